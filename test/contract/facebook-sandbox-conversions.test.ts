import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFacebookSandbox, type FacebookSandboxControl, type GraphErrorEnvelope, type SeedSummary } from '../../src/sandboxes/facebook';

type Started = Awaited<ReturnType<typeof startFacebookSandbox>>;
let fb: Started;
let control: FacebookSandboxControl;
let seed: SeedSummary;
let token: string;

const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
const pixel = () => seed.accounts[0]!.pixelId;

function websiteEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Lead',
    event_time: now() - 60,
    event_id: `form-${Math.random().toString(36).slice(2)}`,
    action_source: 'website',
    event_source_url: 'https://example.com/contact',
    user_data: { em: [sha('john_smith@gmail.com')], client_user_agent: 'Mozilla/5.0', client_ip_address: '203.0.113.7' },
    custom_data: { value: 100, currency: 'USD' },
    ...overrides,
  };
}

const send = (data: unknown, extra: Record<string, unknown> = {}) =>
  control.graph<GraphErrorEnvelope & { events_received: number; messages: unknown[]; fbtrace_id: string }>('POST', `/v25.0/${pixel()}/events`, { access_token: token, data, ...extra }, { json: true });

beforeAll(async () => {
  fb = await startFacebookSandbox();
  control = fb.control;
});
afterAll(async () => {
  await fb.server.close();
});
beforeEach(async () => {
  seed = await control.seed({ seed: 9, accounts: 2, adsPerAccount: 6 });
  token = await control.loginAs(seed.user.handle);
});

describe('§8 Conversions API', () => {
  it('§8.5 accepts valid events: {events_received, messages, fbtrace_id}, recorded, batchSize logged', async () => {
    const res = await send([websiteEvent(), websiteEvent()]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ events_received: 2, messages: [], fbtrace_id: expect.any(String) as string });
    const { accepted } = await control.conversions(pixel());
    expect(accepted).toHaveLength(2);
    expect((await control.requests('POST /{pixel_id}/events')).at(-1)).toMatchObject({ status: 200, batchSize: 2 });
  });

  it('§8.1 form encoding with data=<JSON string> works too', async () => {
    const res = await control.graph<{ events_received: number }>('POST', `/v25.0/${pixel()}/events`, { access_token: token, data: [websiteEvent()] });
    expect(res.body.events_received).toBe(1);
  });

  it('§8.5 1,001 events are rejected and nothing is recorded; 1,000 pass', async () => {
    const tooMany = await send(Array.from({ length: 1001 }, () => websiteEvent()));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe(100);
    expect((await control.conversions(pixel())).accepted).toHaveLength(0);
    expect((await control.requests('POST /{pixel_id}/events')).at(-1)).toMatchObject({ status: 400, batchSize: 1001 });
    const thousand = await send(Array.from({ length: 1000 }, () => websiteEvent()));
    expect(thousand.body.events_received).toBe(1000);
  });

  it('§8.2 one event older than 7 days rejects the whole request (2804003)', async () => {
    const res = await send([websiteEvent(), websiteEvent({ event_time: now() - 8 * 86_400 }), websiteEvent()]);
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 2804003, error_user_title: 'Event Timestamp Too Old' });
    expect(res.body.error.error_user_msg).toContain('data[1]');
    const { accepted, rejected } = await control.conversions(pixel());
    expect(accepted).toHaveLength(0);
    expect(rejected).toHaveLength(1);
  });

  it('§8.3 a raw (non-hex) email rejects the request', async () => {
    const res = await send([websiteEvent({ user_data: { em: ['john_smith@gmail.com'], client_user_agent: 'UA' } })]);
    expect(res.body.error.error_user_msg).toContain('user_data.em');
    const upper = await send([websiteEvent({ user_data: { em: [sha('a@b.c').toUpperCase()], client_user_agent: 'UA' } })]);
    expect(upper.status).toBe(400);
  });

  it('§8.2 required fields, the action_source enum and website-only requirements', async () => {
    const cases: Record<string, unknown>[] = [
      websiteEvent({ event_name: undefined }),
      websiteEvent({ action_source: 'billboard' }),
      websiteEvent({ event_source_url: undefined }),
      websiteEvent({ user_data: { em: [sha('x@y.z')] } }),
      websiteEvent({ user_data: {} }),
      websiteEvent({ event_time: '2026-01-01' }),
    ];
    for (const event of cases) {
      const res = await send([event]);
      expect(res.status, JSON.stringify(event)).toBe(400);
    }
    const email = await send([websiteEvent({ action_source: 'email', event_source_url: undefined, user_data: { em: [sha('x@y.z')] } })]);
    expect(email.status).toBe(200);
  });

  it('§8.5 duplicates on pixel + event_name + event_id are reported as such', async () => {
    const event = websiteEvent({ event_id: 'lead-123' });
    await send([event]);
    await send([event, websiteEvent({ event_id: 'lead-123', event_name: 'Purchase' })]);
    const { accepted } = await control.conversions(pixel());
    expect(accepted.map((e) => [e.eventName, e.duplicateOf !== undefined])).toEqual([
      ['Lead', false],
      ['Lead', true],
      ['Purchase', false],
    ]);
  });

  it('§8.6 CRM events need system_generated, lead_event_source and a known lead_id', async () => {
    const [lead] = await control.leads(seed.accounts[0]!.formIds[0]);
    const crm = (overrides: Record<string, unknown>) => ({
      event_name: 'Marketing Qualified Lead',
      event_time: now() - 30,
      action_source: 'system_generated',
      user_data: { lead_id: lead!.id },
      custom_data: { event_source: 'crm', lead_event_source: 'adtrack' },
      ...overrides,
    });
    expect((await send([crm({})])).status).toBe(200);
    expect((await send([crm({ user_data: { lead_id: '999999999999999' } })])).body.error.error_user_title).toBe('Invalid Lead ID');
    expect((await send([crm({ action_source: 'website' })])).status).toBe(400);
    expect((await send([crm({ custom_data: { event_source: 'crm' } })])).status).toBe(400);
  });

  it('§8 an unknown pixel is 100/33', async () => {
    const res = await control.graph<GraphErrorEnvelope>('POST', '/v25.0/123456/events', { access_token: token, data: [websiteEvent()] }, { json: true });
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('REP-2 the network counts website leads against the clicked ad (fbclid → fbc, §8.3)', () => {
  const today = () => new Date().toISOString().slice(0, 10);
  async function leadsOf(adId: string): Promise<{ lead: number; pixel: number }> {
    const res = await control.graph<{ data: { actions?: { action_type: string; value: string }[] }[] }>('GET', `/v25.0/${adId}/insights`, {
      access_token: token,
      fields: 'ad_id,actions',
      time_range: { since: today(), until: today() },
    });
    const actions = Object.fromEntries((res.body.data[0]?.actions ?? []).map((a) => [a.action_type, Number(a.value)]));
    return { lead: actions.lead ?? 0, pixel: actions['offsite_conversion.fb_pixel_lead'] ?? 0 };
  }
  const linkAds = () => seed.ads.byKind.link as [string, string, ...string[]];

  it('a click opens the landing URL with a fresh fbclid', async () => {
    const [adId] = linkAds();
    const first = await control.click(adId);
    const second = await control.click(adId);
    expect(first.fbclid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(new URL(first.landingUrl!).searchParams.get('fbclid')).toBe(first.fbclid);
    expect(second.fbclid).not.toBe(first.fbclid);
  });

  it('Lead events naming the click count once each on that ad; repeats, test events, other events and unknown clicks do not', async () => {
    const [adId, otherAdId] = linkAds();
    const before = await leadsOf(adId);
    const otherBefore = await leadsOf(otherAdId);
    const { fbclid } = await control.click(adId);
    const fbc = `fb.1.${Date.now()}.${fbclid}`;
    const lead = (eventId: string, extra: Record<string, unknown> = {}) =>
      websiteEvent({ event_id: eventId, user_data: { em: [sha('rita@example.com')], client_user_agent: 'Mozilla/5.0', fbc }, ...extra });

    expect((await send([lead('s-1'), lead('s-2'), lead('s-3')])).status).toBe(200);
    expect((await send([lead('s-1')])).status).toBe(200); // a retried delivery: deduplicated
    expect((await send([lead('s-4')], { test_event_code: 'TEST123' })).status).toBe(200);
    expect((await send([lead('s-5', { event_name: 'Purchase' })])).status).toBe(200);
    expect((await send([lead('s-6', { user_data: { client_user_agent: 'Mozilla/5.0', fbc: 'fb.1.1700000000000.unknownclick' } })])).status).toBe(200);

    expect(await leadsOf(adId)).toEqual({ lead: before.lead + 3, pixel: before.pixel + 3 });
    expect(await leadsOf(otherAdId)).toEqual(otherBefore);
  });

  it('a lead more than 7 days after the click is not credited (default click window)', async () => {
    const [adId] = linkAds();
    const { fbclid } = await control.click(adId);
    const clickDay = today();
    const before = await leadsOf(adId);
    await control.advanceClock(8 * 86_400);
    const late = websiteEvent({ event_time: Math.floor(Date.now() / 1000) + 8 * 86_400 - 60, user_data: { client_user_agent: 'Mozilla/5.0', fbc: `fb.1.${Date.now()}.${fbclid}` } });
    expect((await send([late])).status).toBe(200);
    const res = await control.graph<{ data: { actions?: { action_type: string; value: string }[] }[] }>('GET', `/v25.0/${adId}/insights`, {
      access_token: token,
      fields: 'actions',
      time_range: { since: clickDay, until: clickDay },
    });
    const lead = Number(res.body.data[0]?.actions?.find((a) => a.action_type === 'lead')?.value ?? 0);
    expect(lead).toBe(before.lead);
  });
});
