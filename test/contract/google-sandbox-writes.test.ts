import { createHash } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { cid, sb, seed, token, useGoogleContract } from './support/google-contract';

/** Contract of the Google Ads sandbox's writes: mutates (§3), click-conversion upload (§4.2), leads (§5). */

type Json = Record<string, any>;

async function api(path: string, body: unknown) {
  const response = await fetch(`${sb.url}/v22${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const failure = (body: Json) => body.error.details[0].errors[0] as Json;
const campaignName = (id: string) => `customers/${cid}/campaigns/${id}`;
const campaign = (id: string) => sb.state.campaigns.get(id);
const update = (id: string, fields: Json, mask: string) => ({ update: { resourceName: campaignName(id), ...fields }, updateMask: mask });
const GOOD_TEMPLATE = '{lpurl}?utm_source=adwords&utm_medium=ppc&utm_campaign={_utmcampaign}&hsa_cam={campaignid}&hsa_acc=1234567890&hsa_ver=3';

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

useGoogleContract(21);

describe('§3.2 campaigns:mutate updateMask semantics', () => {
  it('writes masked fields, replaces the custom-parameter list wholesale and returns the MUTABLE_RESOURCE', async () => {
    const id = seed.scenarios.advertiserTemplateCampaignIds[0] ?? '';
    const res = await api(`/customers/${cid}/campaigns:mutate`, {
      operations: [update(id, { trackingUrlTemplate: GOOD_TEMPLATE, urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand%20-%20Search' }] }, 'trackingUrlTemplate,urlCustomParameters')],
      responseContentType: 'MUTABLE_RESOURCE',
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ resourceName: campaignName(id), campaign: { trackingUrlTemplate: GOOD_TEMPLATE } });
    // The seeded content/promo parameters are gone: the list was replaced, not merged.
    expect(campaign(id)?.urlCustomParameters).toEqual([{ key: 'utmcampaign', value: 'Brand%20-%20Search' }]);
  });

  it('clears a masked field that is absent from the body and leaves unmasked fields alone', async () => {
    const id = seed.scenarios.advertiserTemplateCampaignIds[0] ?? '';
    const before = campaign(id);
    const nameBefore = before?.name;
    const res = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, { name: 'ignored, not masked' }, 'trackingUrlTemplate')] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ resourceName: campaignName(id) }]);
    expect(campaign(id)?.trackingUrlTemplate).toBeUndefined();
    expect(campaign(id)?.name).toBe(nameBefore);
    expect(campaign(id)?.urlCustomParameters).toHaveLength(2);
  });

  it('sets the account-level template with customers/{id}:mutate', async () => {
    const res = await api(`/customers/${cid}:mutate`, {
      operation: { update: { resourceName: `customers/${cid}`, trackingUrlTemplate: '{lpurl}?src=acct', finalUrlSuffix: 'a=1' }, updateMask: 'trackingUrlTemplate,finalUrlSuffix' },
    });
    expect(res).toMatchObject({ status: 200, body: { result: { resourceName: `customers/${cid}` } } });
    expect(sb.state.customers.get(cid)).toMatchObject({ trackingUrlTemplate: '{lpurl}?src=acct', finalUrlSuffix: 'a=1' });
  });

  it('sends an ad back to review when its URL fields change (ads:mutate), not when its campaign changes', async () => {
    const adId = seed.adIdsByKind.search[0] ?? '';
    const ad = sb.state.ads.get(adId);
    expect(ad?.reviewStatus).toBe('REVIEWED');
    await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(ad?.campaignId ?? '', { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate')] });
    expect(sb.state.ads.get(adId)?.reviewStatus).toBe('REVIEWED');
    const res = await api(`/customers/${cid}/ads:mutate`, {
      operations: [{ update: { resourceName: `customers/${cid}/ads/${adId}`, finalUrlSuffix: 'x=1' }, updateMask: 'finalUrlSuffix' }],
    });
    expect(res.status).toBe(200);
    expect(sb.state.ads.get(adId)?.reviewStatus).toBe('REVIEW_IN_PROGRESS');
  });
});

describe('§3.3 mutate limits and flags', () => {
  it('rejects 10,001 operations with TOO_MANY_MUTATE_OPERATIONS and logs the batch size', async () => {
    const id = seed.campaignIdsByKind.search[0] ?? '';
    const operations = Array.from({ length: 10_001 }, () => update(id, { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate'));
    const res = await api(`/customers/${cid}/campaigns:mutate`, { operations, partialFailure: true });
    expect(res.status).toBe(400);
    expect(failure(res.body).errorCode).toEqual({ requestError: 'TOO_MANY_MUTATE_OPERATIONS' });
    expect(campaign(id)?.trackingUrlTemplate).toBeUndefined();
    const { body } = await sb.control<{ requests: Json[] }>('GET', `/requests?endpoint=${encodeURIComponent('POST /customers/{cid}/campaigns:mutate')}`);
    expect(body.requests[0]).toMatchObject({ status: 400, batchSize: 10_001 });
  });

  it('validateOnly validates and writes nothing', async () => {
    const id = seed.campaignIdsByKind.search[0] ?? '';
    const res = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate')], validateOnly: true });
    expect(res).toEqual({ status: 200, body: {} });
    expect(campaign(id)?.trackingUrlTemplate).toBeUndefined();
  });

  it('partialFailure: valid operations apply, failed ones get {} and an indexed GoogleAdsFailure', async () => {
    const [a = '', b = ''] = [seed.campaignIdsByKind.search[0], seed.campaignIdsByKind.display[0]];
    const res = await api(`/customers/${cid}/campaigns:mutate`, {
      operations: [update(a, { trackingUrlTemplate: '?utm_source=adwords' }, 'trackingUrlTemplate'), update(b, { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate')],
      partialFailure: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{}, { resourceName: campaignName(b) }]);
    expect(res.body.partialFailureError.code).toBe(3);
    const entry = res.body.partialFailureError.details[0].errors[0] as Json;
    expect(entry.errorCode).toEqual({ urlFieldError: 'MISSING_PROTOCOL_IN_TRACKING_URL_TEMPLATE' });
    expect(entry.location.fieldPathElements).toEqual([{ fieldName: 'operations', index: 0 }, { fieldName: 'update' }, { fieldName: 'tracking_url_template' }]);
    expect(campaign(b)?.trackingUrlTemplate).toBe(GOOD_TEMPLATE);
  });

  it('without partialFailure one bad operation fails the whole request (400) and nothing is written', async () => {
    const [a = '', b = ''] = [seed.campaignIdsByKind.search[0], seed.campaignIdsByKind.display[0]];
    const res = await api(`/customers/${cid}/campaigns:mutate`, {
      operations: [update(a, { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate'), update(b, { trackingUrlTemplate: '{lpurl}?hsa_acc={customer id}' }, 'trackingUrlTemplate')],
    });
    expect(res.status).toBe(400);
    expect(failure(res.body)).toMatchObject({ errorCode: { urlFieldError: 'INVALID_TAG_IN_TRACKING_URL_TEMPLATE' }, location: { fieldPathElements: [{ fieldName: 'operations', index: 1 }, { fieldName: 'update' }, { fieldName: 'tracking_url_template' }] } });
    expect(campaign(a)?.trackingUrlTemplate).toBeUndefined();
  });

  it.each([
    ['a template without an lpurl tag', { trackingUrlTemplate: 'https://tracker.example/?a=b' }, 'trackingUrlTemplate', 'MISSING_TRACKING_URL_TEMPLATE_TAG'],
    ['an unknown tag', { trackingUrlTemplate: '{lpurl}?x={bogus}' }, 'trackingUrlTemplate', 'INVALID_TAG_IN_TRACKING_URL_TEMPLATE'],
    ['an ftp protocol', { trackingUrlTemplate: 'ftp://x.example/{lpurl}' }, 'trackingUrlTemplate', 'INVALID_PROTOCOL_IN_TRACKING_URL_TEMPLATE'],
    ['a suffix starting with ?', { finalUrlSuffix: '?a=1' }, 'finalUrlSuffix', 'FINAL_URL_SUFFIX_MALFORMED'],
    ['9 custom parameters', { urlCustomParameters: Array.from({ length: 9 }, (_v, i) => ({ key: `k${i}`, value: 'v' })) }, 'urlCustomParameters', 'URL_CUSTOM_PARAMETERS_COUNT_EXCEEDS_LIMIT'],
    ['a key with an underscore', { urlCustomParameters: [{ key: '_utmcampaign', value: 'x' }] }, 'urlCustomParameters', 'INVALID_CHARACTERS_IN_URL_CUSTOM_PARAMETER_KEY'],
    ['a value with whitespace', { urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand - Search' }] }, 'urlCustomParameters', 'INVALID_CHARACTERS_IN_URL_CUSTOM_PARAMETER_VALUE'],
  ])('§3.3 URL validation rejects %s', async (_label, fields, mask, code) => {
    const id = seed.campaignIdsByKind.search[0] ?? '';
    const res = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, fields, mask)] });
    expect(res.status).toBe(400);
    expect(failure(res.body).errorCode).toEqual({ urlFieldError: code });
  });

  it('§3.4 limits custom parameter keys to 16 bytes and values to 200 bytes', async () => {
    const id = seed.campaignIdsByKind.search[0] ?? '';
    const longKey = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, { urlCustomParameters: [{ key: 'k'.repeat(17), value: 'v' }] }, 'urlCustomParameters')] });
    expect(failure(longKey.body).errorCode).toEqual({ stringLengthError: 'TOO_LONG' });
    const longValue = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, { urlCustomParameters: [{ key: 'k', value: 'v'.repeat(201) }] }, 'urlCustomParameters')] });
    expect(failure(longValue.body).errorCode).toEqual({ stringLengthError: 'TOO_LONG' });
    const ok = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(id, { urlCustomParameters: [{ key: 'k'.repeat(16), value: 'v'.repeat(200) }] }, 'urlCustomParameters')] });
    expect(ok.status).toBe(200);
  });

  it('turns kit item faults into per-operation CONCURRENT_MODIFICATION, and back off when the fault is off', async () => {
    const ids = seed.campaignIdsByKind.search.concat(seed.campaignIdsByKind.display);
    await sb.control('PUT', '/faults', { batchItemFailureRate: 1 });
    const faulty = await api(`/customers/${cid}/campaigns:mutate`, {
      operations: ids.filter((id) => campaign(id)?.customerId === cid).map((id) => update(id, { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate')),
      partialFailure: true,
    });
    expect(faulty.status).toBe(200);
    const errors = faulty.body.partialFailureError.details[0].errors as Json[];
    expect(errors.every((e) => e.errorCode.databaseError === 'CONCURRENT_MODIFICATION')).toBe(true);
    expect(errors.length).toBe((faulty.body.results as Json[]).length);
    await sb.control('DELETE', '/faults');
    const healthy = await api(`/customers/${cid}/campaigns:mutate`, { operations: [update(seed.campaignIdsByKind.search[0] ?? '', { trackingUrlTemplate: GOOD_TEMPLATE }, 'trackingUrlTemplate')], partialFailure: true });
    expect(healthy.body).not.toHaveProperty('partialFailureError');
  });
});

describe('§4.2 uploadClickConversions', () => {
  const action = () => `customers/${cid}/conversionActions/${seed.conversionActionIds[0] ?? ''}`;
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('requires partialFailure: true (PARTIAL_FAILURE_MODE_REQUIRED)', async () => {
    const res = await api(`/customers/${cid}:uploadClickConversions`, { conversions: [{ gclid: seed.gclids[0], conversionAction: action(), conversionDateTime: '2024-05-01 12:00:00+00:00' }] });
    expect(res.status).toBe(400);
    expect(failure(res.body).errorCode).toEqual({ partialFailureError: 'PARTIAL_FAILURE_MODE_REQUIRED' });
  });

  it('rejects 2,001 conversions (TOO_MANY_CONVERSIONS_IN_REQUEST)', async () => {
    const conversions = Array.from({ length: 2_001 }, (_v, i) => ({ gclid: seed.gclids[0], conversionAction: action(), conversionDateTime: '2024-05-01 12:00:00+00:00', orderId: `o${i}` }));
    const res = await api(`/customers/${cid}:uploadClickConversions`, { conversions, partialFailure: true });
    expect(res.status).toBe(400);
    expect(failure(res.body).errorCode).toEqual({ conversionUploadError: 'TOO_MANY_CONVERSIONS_IN_REQUEST' });
  });

  it('accepts valid rows, reports per-row errors at their index, and records what it accepted', async () => {
    const gclid = seed.gclids.find((g) => sb.state.clicks.get(g)?.customerId === cid) ?? '';
    // A minute ahead, so even the click made just now precedes the conversion.
    const now = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const fresh = (await sb.control<Json>('POST', `/ads/${seed.adIdsByKind.search[0] ?? ''}/click`, {})).body.gclid as string;
    const conversions = [
      { gclid, conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'deal-1', conversionValue: 120.5, currencyCode: 'USD' },
      { gclid, conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'deal-1' },
      { conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'lead-2', userIdentifiers: [{ hashedEmail: sha('jane@example.com').toUpperCase() }] },
      { conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'lead-3', userIdentifiers: [{ hashedEmail: sha('jane@example.com') }] },
      { gclid: fresh, conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'deal-4' },
      { gclid, conversionAction: action(), conversionDateTime: now, orderId: 'deal-5' },
    ];
    const res = await api(`/customers/${cid}:uploadClickConversions`, { conversions, partialFailure: true, jobId: 42 });
    expect(res.status).toBe(200);
    expect(res.body.jobId).toBe('42');
    expect(res.body.results[0]).toMatchObject({ gclid, conversionAction: action() });
    expect(res.body.results[1]).toEqual({});
    expect(res.body.results[3]).toMatchObject({ conversionAction: action() });
    const byIndex = Object.fromEntries(
      (res.body.partialFailureError.details[0].errors as Json[]).map((e) => [e.location.fieldPathElements[0].index, Object.values(e.errorCode)[0]]),
    );
    expect(byIndex).toEqual({ 1: 'DUPLICATE_ORDER_ID', 2: 'INVALID_USER_IDENTIFIER', 4: 'TOO_RECENT_EVENT', 5: 'INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET' });

    const replay = await api(`/customers/${cid}:uploadClickConversions`, { conversions: [conversions[0]], partialFailure: true });
    expect(replay.body.partialFailureError.details[0].errors[0].errorCode).toEqual({ conversionUploadError: 'ORDER_ID_ALREADY_IN_USE' });

    const noOrder = { gclid, conversionAction: action(), conversionDateTime: `${now}+00:00` };
    await api(`/customers/${cid}:uploadClickConversions`, { conversions: [noOrder], partialFailure: true });
    const again = await api(`/customers/${cid}:uploadClickConversions`, { conversions: [noOrder], partialFailure: true });
    expect(again.body.partialFailureError.details[0].errors[0].errorCode).toEqual({ conversionUploadError: 'CLICK_CONVERSION_ALREADY_EXISTS' });

    const { body } = await sb.control<{ accepted: Json[]; rejected: Json[] }>('GET', `/conversions?accountId=${cid}`);
    expect(body.accepted.map((c) => c.conversion.orderId ?? null)).toEqual(['deal-1', 'lead-3', null]);
    expect(body.accepted[0]?.matched).toBe(true);
    expect(body.rejected.map((c) => c.error.code)).toContain('TOO_RECENT_EVENT');
  });

  it('REP-2 an accepted click conversion counts in its ad\'s metrics.conversions on the click\'s day; a rejected repeat does not', async () => {
    const gclid = seed.gclids.find((g) => sb.state.clicks.get(g)?.customerId === cid) ?? '';
    const click = sb.state.clicks.get(gclid)!;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: sb.state.customers.get(cid)?.timeZone }).format(click.at);
    const conversionsOnClickDay = async () => {
      const res = await api(`/customers/${cid}/googleAds:search`, {
        query: `SELECT ad_group_ad.ad.id, segments.date, metrics.conversions FROM ad_group_ad WHERE segments.date = '${day}'`,
      });
      expect(res.status).toBe(200);
      // Rows whose selected metrics are all zero are left out, as the API does.
      return (((res.body.results ?? []) as Json[]).find((r) => r.adGroupAd.ad.id === click.adId)?.metrics.conversions ?? 0) as number;
    };
    const before = await conversionsOnClickDay();
    const now = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const row = { gclid, conversionAction: action(), conversionDateTime: `${now}+00:00`, orderId: 'deal-report' };
    expect((await api(`/customers/${cid}:uploadClickConversions`, { conversions: [row], partialFailure: true })).body).not.toHaveProperty('partialFailureError');
    expect(await conversionsOnClickDay()).toBe(before + 1);
    const repeat = await api(`/customers/${cid}:uploadClickConversions`, { conversions: [row], partialFailure: true });
    expect(repeat.body).toHaveProperty('partialFailureError');
    expect(await conversionsOnClickDay()).toBe(before + 1);
  });

  it('accepts the click once it is 6 hours old (sandbox clock)', async () => {
    const fresh = (await sb.control<Json>('POST', `/ads/${seed.adIdsByKind.search[0] ?? ''}/click`, {})).body.gclid as string;
    await sb.control('POST', '/clock', { advanceSeconds: 6 * 3600 + 5 });
    const when = new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const res = await api(`/customers/${cid}:uploadClickConversions`, { conversions: [{ gclid: fresh, conversionAction: action(), conversionDateTime: `${when}+00:00` }], partialFailure: true });
    expect(res.body).not.toHaveProperty('partialFailureError');
  });
});

describe('§5 lead forms', () => {
  let receiver: RunningServer;
  const received: Json[] = [];
  let failFirst = 0;

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.post('/hook', (req, res) => {
      received.push(req.body as Json);
      if (failFirst > 0) {
        failFirst -= 1;
        return void res.status(500).end();
      }
      res.status(200).json({});
    });
    receiver = await listen(app);
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('§5.1 serves submissions through GAQL with fields, attribution and an offset date-time', async () => {
    const formId = seed.leadFormIds[0] ?? '';
    const res = await api(`/customers/${cid}/googleAds:search`, {
      query:
        'SELECT lead_form_submission_data.id, lead_form_submission_data.asset, lead_form_submission_data.campaign, lead_form_submission_data.ad_group_ad, lead_form_submission_data.gclid, lead_form_submission_data.submission_date_time, lead_form_submission_data.lead_form_submission_fields, lead_form_submission_data.custom_lead_form_submission_fields FROM lead_form_submission_data',
    });
    const rows = (res.body.results as Json[]).map((r) => r.leadFormSubmissionData as Json);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ asset: `customers/${cid}/assets/${formId}`, customLeadFormSubmissionFields: [{ questionText: 'What is your budget?', fieldValue: '10k' }] });
    expect(rows[0]?.submissionDateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(rows[0]?.leadFormSubmissionFields).toContainEqual({ fieldType: 'EMAIL', fieldValue: 'lead.0.1@example.com' });
    expect(rows[0]?.adGroupAd).toMatch(new RegExp(`^customers/${cid}/adGroupAds/\\d+~\\d+$`));
    // The organic one carries no campaign and no gclid.
    expect(rows[2]).not.toHaveProperty('campaign');
    expect(rows[2]).not.toHaveProperty('gclid');
  });

  it('§5.2 POSTs the webhook JSON with google_key, retrying after a non-2xx', async () => {
    const formId = seed.leadFormIds[0] ?? '';
    await sb.control('PUT', '/webhook', { url: `${receiver.url}/hook`, googleKey: 'form-secret', formId });
    await sb.control('PUT', '/config', { webhookRetryDelaysMs: [10, 10] });
    failFirst = 1;
    const { body } = await sb.control<{ leads: Json[] }>('POST', '/leads', { formId, leads: [{ email: 'new@example.com', fullName: 'New Lead' }] });
    const lead = body.leads[0] as Json;
    await until(() => received.length, (n) => n >= 2);
    expect(received[1]).toMatchObject({
      lead_id: lead.id,
      api_version: '1.0',
      form_id: Number(formId),
      google_key: 'form-secret',
      is_test: false,
      gcl_id: lead.gclid,
      creative_id: Number(lead.adId),
    });
    expect(received[1]?.user_column_data).toContainEqual({ column_name: 'User Email', string_value: 'new@example.com', column_id: 'EMAIL' });
    const deliveries = (await sb.control<{ deliveries: Json[] }>('GET', '/webhook')).body.deliveries;
    expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it('§5.2 delivers some leads twice (duplicateRate) and drops some (dropRate)', async () => {
    const formId = seed.leadFormIds[0] ?? '';
    await sb.control('PUT', '/webhook', { url: `${receiver.url}/hook`, googleKey: 'k', formId, duplicateRate: 1 });
    const { body } = await sb.control<{ leads: Json[] }>('POST', '/leads', { formId, count: 1 });
    await until(() => received.length, (n) => n >= 2);
    expect(received.map((r) => r.lead_id)).toEqual([body.leads[0]?.id, body.leads[0]?.id]);
    await sb.control('PUT', '/webhook', { url: `${receiver.url}/hook`, googleKey: 'k', formId, duplicateRate: 0, dropRate: 1 });
    await sb.control('POST', '/leads', { formId, count: 1 });
    const deliveries = (await sb.control<{ deliveries: Json[] }>('GET', '/webhook')).body.deliveries;
    expect(deliveries.at(-1)?.status).toBe('dropped');
  });
});
