import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import {
  clickAd,
  connectAccount,
  connectNetwork,
  expectNoDuplicateKeys,
  issuedSecrets,
  getAd,
  listAds,
  sweepNow,
  waitForSweeps,
} from '../support/tracking-helpers';

/**
 * LinkedIn end to end (ACC-2, TRK-1, TRK-8, TRK-11, REP-1): campaign-level URL parameters with the
 * creative id as a dynamic token, proven by the sandbox's click simulation.
 */

const TEMPLATE_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'hsa_net', 'hsa_ver', 'hsa_acc', 'hsa_cam', 'hsa_grp', 'hsa_ad'];

describe('ACC-1 LinkedIn auto-tracking end to end', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const li = () => sandboxes.control('linkedin');
  const world = () => sandboxes.running.linkedin.state;
  let accountId: string;
  let accountKey: string;
  const made = {} as Record<'text' | 'fragment' | 'redirect' | 'shortened', string>;
  /** The campaign URL parameters each campaign carried before we connected (the advertiser's). */
  const advertiserKeys = new Map<number, string[]>();

  const creative = (adId: string) => [...world().creatives.values()].find((c) => String(c.id) === adId)!;
  function isDeliverable(adId: string): boolean {
    const c = creative(adId);
    const campaign = world().campaigns.get(c.campaignId)!;
    const serving = world().servingOf(c).isServing;
    return c.intendedStatus === 'ACTIVE' && campaign.status === 'ACTIVE' && (serving || ['PENDING', 'NEEDS_REVIEW'].includes(c.review?.status ?? ''));
  }
  /** TRK-8 from the sandbox's own view of the creative (independent of the planner). */
  function expectedOutcome(adId: string, landingUrl: string | null): string {
    const c = creative(adId);
    if (['carousel', 'message', 'conversation'].includes(c.kind) || landingUrl === null) return 'UNSUPPORTED_AD_TYPE';
    const url = new URL(landingUrl);
    if (['bit.ly', 'tinyurl.com'].includes(url.hostname)) return 'SHORTENED_URL';
    if (landingUrl.includes('#')) return 'URL_HAS_FRAGMENT';
    if (url.pathname.startsWith('/r/') || url.pathname.startsWith('/upgrade/')) return 'REDIRECTING_URL';
    return 'tracked';
  }
  const create = async (body: Record<string, unknown>) => (await li().post('/_sandbox/ads', { accountId, status: 'serving', ...body })).adId as string;
  const landingOf = async (adId: string): Promise<string | null> => ((await li().get('/_sandbox/state')).creatives as { adId: string; landingUrl: string | null }[]).find((c) => c.adId === adId)!.landingUrl;

  beforeAll(async () => {
    const seeded = await sandboxes.seed('linkedin', { seed: 4, accounts: 1, adsPerAccount: 16 });
    accountId = seeded.accounts[0].id;
    accountKey = `linkedin:${accountId}`;
    const landing = sandboxes.running.urls.landing;
    made.text = await create({ kind: 'text', landingUrl: `${landing}/p/text-ad?utm_content=sidebar` });
    made.fragment = await create({ kind: 'video', landingUrl: `${landing}/p/video#chapter-2` });
    made.redirect = await create({ kind: 'document', landingUrl: `${landing}/r/whitepaper` });
    made.shortened = await create({ kind: 'single_image', landingUrl: 'https://bit.ly/li9x7', status: 'under_review' });
    for (const campaign of world().campaigns.values()) advertiserKeys.set(campaign.id, campaign.trackingParameters.map((p) => p.key));
    const connection = await connectNetwork(stack, sandboxes, 'linkedin', seeded.user.handle);
    expect(connection.adAccounts.map((a) => a.externalId)).toContain(accountId);
    const stored = JSON.stringify(await stack.db.models.Connection.findById(connection.id).lean());
    for (const secret of issuedSecrets(sandboxes, 'linkedin')) expect(stored).not.toContain(secret);
    await connectAccount(stack, connection.id, accountId);
    await waitForSweeps(stack, accountKey, 1);
  });

  it('TRK-1/TRK-8 tags the campaigns of every eligible creative with exactly the TRK-8 parameters', async () => {
    const apiAds = new Map((await listAds(stack, accountKey)).map((ad) => [ad.adId, ad]));
    const candidates = [...world().creatives.values()].filter((c) => String(c.accountId) === accountId && isDeliverable(String(c.id)));
    const eligible = [];
    for (const c of candidates) if (expectedOutcome(String(c.id), await landingOf(String(c.id))) === 'tracked') eligible.push(c);
    expect(eligible.length).toBeGreaterThanOrEqual(3);
    expect(eligible.map((c) => String(c.id))).toContain(made.text);
    for (const c of eligible) {
      const adId = String(c.id);
      expect(apiAds.get(adId)?.trackingStatus, `creative ${adId}`).toBe('tracked');
      const campaign = world().campaigns.get(c.campaignId)!;
      const click = await clickAd(sandboxes, 'linkedin', adId);
      const q = click.searchParams;
      expectNoDuplicateKeys(click.search, `click on ${adId}`);
      const ownKeys = [...new URL((await landingOf(adId))!).searchParams.keys()];
      const expected = new Set([...TEMPLATE_KEYS, ...(advertiserKeys.get(campaign.id) ?? []), ...ownKeys, ...(world().accounts.get(c.accountId)!.firstPartyCookie ? ['li_fat_id'] : [])]);
      expect(new Set(q.keys()), `creative ${adId} → ${click.href}`).toEqual(expected);
      const advertiserSource = campaign.trackingParameters.find((p) => p.key === 'utm_source' && (advertiserKeys.get(campaign.id) ?? []).includes('utm_source'));
      expect(q.get('utm_source')).toBe(advertiserSource ? 'partner' : 'linkedin');
      expect(q.get('utm_medium')).toBe('paid');
      expect(q.get('utm_campaign')).toBe(campaign.name);
      expect(q.get('hsa_net')).toBe('linkedin');
      expect(q.get('hsa_ver')).toBe('3');
      expect(q.get('hsa_acc')).toBe(accountId);
      expect(q.get('hsa_cam')).toBe(String(campaign.groupId));
      expect(q.get('hsa_grp')).toBe(String(campaign.id));
      expect(q.get('hsa_ad')).toBe(adId);
    }
  });

  it('TRK-8/TRK-11/REP-1 untrackable creatives carry reason codes and messages; their metrics still sync', async () => {
    const errors = new Map((await listAds(stack, accountKey, 'error')).map((ad) => [ad.adId, ad]));
    const expected: { adId: string; code: string }[] = [];
    for (const c of world().creatives.values()) {
      const adId = String(c.id);
      if (String(c.accountId) !== accountId || !isDeliverable(adId)) continue;
      const code = expectedOutcome(adId, await landingOf(adId));
      if (code !== 'tracked') expected.push({ adId, code });
    }
    const codes = new Set(expected.map((e) => e.code));
    for (const code of ['UNSUPPORTED_AD_TYPE', 'URL_HAS_FRAGMENT', 'REDIRECTING_URL', 'SHORTENED_URL']) expect(codes).toContain(code);
    expect(new Set(errors.keys())).toEqual(new Set(expected.map((e) => e.adId)));
    for (const { adId, code } of expected) {
      expect(errors.get(adId)?.error?.code, `creative ${adId}`).toBe(code);
      expect(errors.get(adId)?.error?.message.length).toBeGreaterThan(30);
      expect(errors.get(adId)?.appliedParams).toEqual({});
    }
    expect(errors.get(made.fragment)?.error?.message).toContain('#');

    // REP-1: metrics rows for listed creatives, tracked or not.
    const listed = await listAds(stack, accountKey);
    await eventually(async () => {
      const withRows = await stack.db.models.AdMetric.distinct('adKey', { accountKey });
      return listed.filter((ad) => ad.trackingStatus === 'error').some((ad) => withRows.includes(ad.id)) && listed.some((ad) => ad.trackingStatus === 'tracked' && withRows.includes(ad.id));
    }, { what: 'metrics for tracked and untracked creatives' });
  });

  it('TRK-8 issue15-1 a campaign mixing own-UTM and plain creatives: no key twice in any click, and each creative says what was left out', async () => {
    const landing = sandboxes.running.urls.landing;
    const campaignId = creative(made.text).campaignId;
    expect(advertiserKeys.get(campaignId) ?? []).not.toContain('utm_source');
    // The campaign was tagged in the first sweep; a creative with its own utm_source and utm_medium joins it.
    expect(world().campaigns.get(campaignId)!.trackingParameters.map((p) => p.key)).toContain('utm_source');
    const own = await create({ kind: 'text', campaignId, landingUrl: `${landing}/p/li-own?utm_source=newsletter&utm_medium=email` });
    const plain = await create({ kind: 'text', campaignId, landingUrl: `${landing}/p/li-plain` });
    await sweepNow(stack, accountKey, { full: true });
    await eventually(async () => (await getAd(stack, `linkedin:${plain}`)).error?.code === 'TEMPLATE_KEYS_LEFT_OUT', { what: 'the note on the plain creative' });
    const siblings = [...world().creatives.values()].filter((c) => c.campaignId === campaignId).map((c) => String(c.id));
    expect(siblings).toEqual(expect.arrayContaining([own, plain, made.text]));
    for (const adId of siblings) expectNoDuplicateKeys((await clickAd(sandboxes, 'linkedin', adId)).search, `click on creative ${adId}`);
    const ownClick = (await clickAd(sandboxes, 'linkedin', own)).searchParams;
    expect([ownClick.get('utm_source'), ownClick.get('utm_medium'), ownClick.get('hsa_ad')]).toEqual(['newsletter', 'email', own]);
    const plainClick = (await clickAd(sandboxes, 'linkedin', plain)).searchParams;
    expect([plainClick.has('utm_source'), plainClick.has('utm_medium'), plainClick.get('hsa_ad'), plainClick.get('utm_campaign')]).toEqual([false, false, plain, world().campaigns.get(campaignId)!.name]);
    for (const adId of [own, plain]) {
      const ad = await getAd(stack, `linkedin:${adId}`);
      expect(ad).toMatchObject({ trackingStatus: 'tracked', error: { code: 'TEMPLATE_KEYS_LEFT_OUT' } });
      expect(ad.error!.message).toContain('utm_source, utm_medium');
    }
  });
});
