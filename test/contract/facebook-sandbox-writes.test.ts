/** Sandbox contract: creative writes (§3), batch (§5), errors, faults and usage (§9), insights (§4, §6). */
import { describe, expect, it } from 'vitest';
import {
  type GraphErrorEnvelope,
  type GraphListBody,
} from '../../src/sandboxes/facebook';
import { account, adOfKind, control, reseed, seed, token, type AdRow, useFacebookContract } from './support/facebook-contract';

useFacebookContract();

describe('§3 creatives are immutable; tracking changes swap creatives', () => {
  const readAd = (adId: string) =>
    control.graph<AdRow & { creative: { id: string; url_tags?: string } }>('GET', `/v25.0/${adId}`, { access_token: token, fields: 'id,effective_status,updated_time,creative{id,url_tags,object_story_spec}' });

  it('§3.3 a creative update may change only name/status/adlabels; url_tags is code 100', async () => {
    const before = await readAd(adOfKind('link'));
    const renamed = await control.graph('POST', `/v25.0/${before.body.creative.id}`, { access_token: token, name: 'renamed creative' });
    expect(renamed.body).toEqual({ success: true });
    const tags = await control.graph<GraphErrorEnvelope>('POST', `/v25.0/${before.body.creative.id}`, { access_token: token, url_tags: 'utm_source=x' });
    expect(tags.status).toBe(400);
    expect(tags.body.error.code).toBe(100);
  });

  it('§3.3 new creative + ad update: PENDING_REVIEW until approved, updated_time bumps, old creative untouched', async () => {
    const adId = adOfKind('link');
    const before = await readAd(adId);
    const spec = before.body.creative.object_story_spec;
    const created = await control.graph<{ id: string }>('POST', `/v25.0/${account().id}/adcreatives`, { access_token: token, name: 'copy', object_story_spec: spec, url_tags: 'utm_source=facebook&utm_content={{ad.id}}' });
    expect(created.body.id).toMatch(/^\d+$/);
    const swap = await control.graph('POST', `/v25.0/${adId}`, { access_token: token, creative: { creative_id: created.body.id } });
    expect(swap.body).toEqual({ success: true });
    const after = await readAd(adId);
    expect(after.body).toMatchObject({ effective_status: 'PENDING_REVIEW', creative: { id: created.body.id, url_tags: 'utm_source=facebook&utm_content={{ad.id}}' } });
    expect(after.body.updated_time > before.body.updated_time).toBe(true);
    const old = await control.graph<{ url_tags?: string }>('GET', `/v25.0/${before.body.creative.id}`, { access_token: token, fields: 'url_tags' });
    expect(old.body.url_tags).toBe(before.body.creative.url_tags);
    await control.approve(adId);
    expect((await readAd(adId)).body.effective_status).toBe('ACTIVE');
  });

  it('issue 11: like Graph, the node\'s own id (sent by Meta\'s SDK on updates and edge creates) and null parameters are ignored; another id is still (#100)', async () => {
    const adId = adOfKind('link');
    const renamed = await control.graph('POST', `/v25.0/${adId}`, { access_token: token, id: adId, name: 'renamed by SDK', status: null }, { json: true });
    expect(renamed.body).toEqual({ success: true });
    const before = await readAd(adId);
    const created = await control.graph<{ id: string }>('POST', `/v25.0/${account().id}/adcreatives`, { access_token: token, id: account().id, object_story_spec: before.body.creative.object_story_spec, url_tags: null }, { json: true });
    expect(created.body.id).toMatch(/^\d+$/);
    const otherId = await control.graph<GraphErrorEnvelope>('POST', `/v25.0/${adId}`, { access_token: token, id: before.body.creative.id, name: 'x' }, { json: true });
    expect(otherId.body.error.code).toBe(100);
  });

  it('§3.3 validate_only changes nothing; read-only fields in a copied spec are rejected', async () => {
    const adId = adOfKind('carousel');
    const before = await readAd(adId);
    const dry = await control.graph('POST', `/v25.0/${adId}`, { access_token: token, name: 'dry run', execution_options: ['validate_only'] });
    expect(dry.body).toEqual({ success: true });
    expect((await readAd(adId)).body.updated_time).toBe(before.body.updated_time);
    const withId = await control.graph<GraphErrorEnvelope>('POST', `/v25.0/${account().id}/adcreatives`, { access_token: token, id: before.body.creative.id, object_story_spec: before.body.creative.object_story_spec });
    expect(withId.body.error.code).toBe(100);
  });
});

describe('§5 batch', () => {
  const op = (adId: string) => ({ method: 'GET', relative_url: `${adId}?fields=id,name` });

  it('§5 51 operations are rejected, 50 are served', async () => {
    const ops = Array.from({ length: 51 }, () => op(adOfKind('link')));
    const tooMany = await control.graph<GraphErrorEnvelope>('POST', '/v25.0/', { access_token: token, batch: ops });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/Maximum batch size is 50/);
    const fifty = await control.graph<unknown[]>('POST', '/v25.0/', { access_token: token, batch: ops.slice(0, 50) });
    expect(fifty.body).toHaveLength(50);
    const logged = await control.requests('POST /batch');
    expect(logged.slice(-2).map((r) => [r.status, r.batchSize])).toEqual([[400, 51], [200, 50]]);
  });

  it('§5 items answer in order as {code, headers, body-as-string}; a failing op carries the error envelope', async () => {
    const res = await control.graph<{ code: number; headers?: unknown[]; body: string }[]>('POST', '/v25.0/', {
      access_token: token,
      batch: [op(adOfKind('link')), { method: 'POST', relative_url: adOfKind('link'), body: 'status=SLEEPING' }, op(adOfKind('lead'))],
    });
    expect(res.body.map((item) => item.code)).toEqual([200, 400, 200]);
    expect(res.body[0]!.headers).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Content-Type' })]));
    expect((JSON.parse(res.body[0]!.body) as { id: string }).id).toBe(adOfKind('link'));
    expect((JSON.parse(res.body[1]!.body) as GraphErrorEnvelope).error.code).toBe(100);
    const noHeaders = await control.graph<{ headers?: unknown }[]>('POST', '/v25.0/', { access_token: token, include_headers: 'false', batch: [op(adOfKind('link'))] });
    expect(noHeaders.body[0]!.headers).toBeUndefined();
  });

  it('TRK-2 §5 named operations: a creative created in the batch is referenced by {result=name:$.id} in the ad update; omit_response_on_success decides whether its answer is kept', async () => {
    const adId = adOfKind('link');
    const before = await control.graph<{ creative: { id: string; object_story_spec: unknown } }>('GET', `/v25.0/${adId}`, { access_token: token, fields: 'creative{id,object_story_spec}' });
    const create = (name: string, keep?: boolean) => ({
      method: 'POST',
      name,
      relative_url: `${account().id}/adcreatives`,
      body: new URLSearchParams({ object_story_spec: JSON.stringify(before.body.creative.object_story_spec), url_tags: `utm_source=${name}` }).toString(),
      ...(keep === undefined ? {} : { omit_response_on_success: keep ? false : true }),
    });
    const update = (name: string) => ({ method: 'POST', relative_url: adId, body: `creative=${encodeURIComponent('{"creative_id":"')}{result=${name}:$.id}${encodeURIComponent('"}')}` });
    const kept = await control.graph<({ code: number; body: string } | null)[]>('POST', '/v25.0/', { access_token: token, include_headers: 'false', batch: [create('first', true), update('first')] });
    const createdId = (JSON.parse(kept.body[0]!.body) as { id: string }).id;
    expect(kept.body[1]).toEqual({ code: 200, body: JSON.stringify({ success: true }) });
    expect((await control.ad(adId)).creativeId).toBe(createdId);

    const omitted = await control.graph<({ code: number; body: string } | null)[]>('POST', '/v25.0/', { access_token: token, batch: [create('second'), update('second')] });
    expect(omitted.body[0]).toBeNull();
    expect(omitted.body[1]!.code).toBe(200);
    expect((await control.ad(adId)).urlTags).toBe('utm_source=second');

    const unknown = await control.graph<{ code: number; body: string }[]>('POST', '/v25.0/', { access_token: token, batch: [update('nobody')] });
    expect((JSON.parse(unknown.body[0]!.body) as GraphErrorEnvelope).error.code).toBe(100);
    const badCreate = { ...create('broken', true), body: 'url_tags=x' };
    const afterFailure = await control.graph<{ code: number; body: string }[]>('POST', '/v25.0/', { access_token: token, batch: [badCreate, update('broken')] });
    expect(afterFailure.body.map((item) => item.code)).toEqual([400, 400]);
    expect((await control.ad(adId)).urlTags).toBe('utm_source=second');
  });

  it('TRK-2 §3.3 an ad update takes only {"creative_id": …}; an inline creative spec (undocumented) is (#100)', async () => {
    const adId = adOfKind('link');
    const before = await control.graph<{ creative: { object_story_spec: unknown } }>('GET', `/v25.0/${adId}`, { access_token: token, fields: 'creative{object_story_spec}' });
    const inline = await control.graph<GraphErrorEnvelope>('POST', `/v25.0/${adId}`, { access_token: token, creative: { object_story_spec: before.body.creative.object_story_spec, url_tags: 'a=b' } });
    expect(inline.status).toBe(400);
    expect(inline.body.error).toMatchObject({ code: 100 });
    expect(inline.body.error.message).toMatch(/creative_id/);
  });

  it('§5 batchItemFailureRate fails single items with a transient code 2', async () => {
    await control.setFaults({ batchItemFailureRate: 1 });
    const res = await control.graph<{ code: number; body: string }[]>('POST', '/v25.0/', { access_token: token, batch: [op(adOfKind('link')), op(adOfKind('lead'))] });
    expect(res.status).toBe(200);
    expect(res.body.map((item) => (JSON.parse(item.body) as GraphErrorEnvelope).error)).toEqual([
      expect.objectContaining({ code: 2, is_transient: true }),
      expect.objectContaining({ code: 2, is_transient: true }),
    ]);
  });
});

describe('§9 errors, faults and usage', () => {
  it('§9 the rate-limit fault answers 80004 with X-Business-Use-Case-Usage for ad-account calls, 17 for user calls; off again after', async () => {
    await control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 120 });
    const acct = await control.graph<GraphErrorEnvelope>('GET', `/v25.0/${account().id}/ads`, { access_token: token });
    expect(acct.body.error).toMatchObject({ code: 80004, is_transient: true });
    const usage = JSON.parse(acct.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { estimated_time_to_regain_access: number; type: string }[]>;
    expect(usage[account().id.replace('act_', '')]?.[0]).toMatchObject({ type: 'ads_management', estimated_time_to_regain_access: 2 });
    const user = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me/adaccounts', { access_token: token });
    expect(user.body.error).toMatchObject({ code: 17, error_subcode: 2446079 });
    const faulted = await control.requests('GET /act_{id}/ads');
    expect(faulted.at(-1)).toMatchObject({ status: 400, fault: 'rate_limit' });
    await control.clearFaults();
    const after = await control.graph('GET', `/v25.0/${account().id}/ads`, { access_token: token });
    expect(after.status).toBe(200);
  });

  it('§9 the transient fault answers code 2 with is_transient and a 5xx', async () => {
    await control.setFaults({ transientErrorRate: 1 });
    const res = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me', { access_token: token });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 2, is_transient: true });
  });

  it('§9 expireAllTokens turns every token into 190/463, logged as a fault', async () => {
    await control.setFaults({ expireAllTokens: true });
    const res = await control.graph<GraphErrorEnvelope>('GET', '/v25.0/me/adaccounts', { access_token: token });
    expect(res.body.error).toMatchObject({ code: 190, error_subcode: 463 });
    expect((await control.requests('GET /me/adaccounts')).at(-1)?.fault).toBe('expired_token');
  });

  it('§9.3 ad-account calls carry usage headers; §9.4 past the development tier budget the account is throttled', async () => {
    await control.setAccessTier('development');
    const read = () => control.graph<GraphErrorEnvelope>('GET', `/v25.0/${seed.accounts[1]!.id}`, { access_token: token });
    const first = await read();
    expect(JSON.parse(first.headers.get('x-ad-account-usage') ?? '{}')).toMatchObject({ ads_api_access_tier: 'development_access' });
    let throttled: Awaited<ReturnType<typeof read>> | undefined;
    for (let i = 0; i < 70 && !throttled; i++) {
      const res = await read();
      if (res.status !== 200) throttled = res;
    }
    expect(throttled?.body.error.code).toBe(80004);
    const usage = JSON.parse(throttled?.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { estimated_time_to_regain_access: number }[]>;
    expect(Object.values(usage)[0]?.[0]?.estimated_time_to_regain_access).toBe(5);
    await control.setAccessTier('standard');
    await reseed();
  });
});

describe('§4 and §6 insights', () => {
  interface Row {
    ad_id: string;
    impressions: string;
    spend: string;
    actions?: { action_type: string; value: string }[];
    date_start: string;
    date_stop: string;
  }

  it('§6 level=ad, time_increment=1, time_range: one row per ad and day, values as strings', async () => {
    const until = new Date().toISOString().slice(0, 10);
    const since = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const rows: Row[] = [];
    let after: string | undefined;
    do {
      const res = await control.graph<GraphListBody<Row>>('GET', `/v25.0/${account().id}/insights`, {
        access_token: token,
        level: 'ad',
        fields: 'ad_id,impressions,clicks,spend,actions',
        time_range: { since, until },
        time_increment: 1,
        limit: 25,
        after,
      });
      rows.push(...res.body.data);
      after = res.body.paging?.next ? res.body.paging.cursors?.after : undefined;
    } while (after);
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.every((r) => r.date_start === r.date_stop && r.date_start >= since && r.date_start <= until)).toBe(true);
    expect(rows.every((r) => typeof r.impressions === 'string' && /^\d+\.\d{2}$/.test(r.spend))).toBe(true);
    expect(rows.flatMap((r) => r.actions ?? []).every((a) => Number(a.value) > 0)).toBe(true);
    const leadRow = rows.find((r) => r.ad_id === adOfKind('lead') && r.actions?.some((a) => a.action_type === 'lead'));
    expect(leadRow?.actions?.find((a) => a.action_type === 'onsite_conversion.lead_grouped')).toBeDefined();
  });

  it('§4 lifetime actions carry the ad post engagements (reactions + comments + shares)', async () => {
    const adId = seed.ads.engagementCapped[0]!;
    await control.setEngagements(adId, 37);
    const res = await control.graph<GraphListBody<Row>>('GET', `/v25.0/${adId}/insights`, { access_token: token, fields: 'ad_id,actions', date_preset: 'maximum' });
    const actions = Object.fromEntries((res.body.data[0]?.actions ?? []).map((a) => [a.action_type, Number(a.value)]));
    expect((actions.post_reaction ?? 0) + (actions.comment ?? 0) + (actions.post ?? 0)).toBe(37);
  });

  it('§9.2 a wrong level value is code 1 / subcode 99', async () => {
    const res = await control.graph<GraphErrorEnvelope>('GET', `/v25.0/${account().id}/insights`, { access_token: token, level: 'creative' });
    expect(res.body.error).toMatchObject({ code: 1, error_subcode: 99 });
  });
});
