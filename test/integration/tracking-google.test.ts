import { beforeAll, describe, expect, it } from 'vitest';
import { adDayMetrics } from '../../src/sandboxes/google/metrics';
import { formatDate } from '../../src/sandboxes/google/time';
import { eventually, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import {
  clickAd,
  connectAccount,
  connectNetwork,
  expectNoDuplicateKeys,
  getAd,
  issuedSecrets,
  keyCounts,
  listAds,
  sweepNow,
  templateQuery,
  waitForSweeps,
} from '../support/tracking-helpers';

/**
 * Google Ads end to end (ACC-2, TRK-1, TRK-5, TRK-6, TRK-10, TRK-11, REP-1): campaign-level tracking
 * template + `utmcampaign` custom parameter, merged with what the advertiser set, proven by clicks.
 * The oracle reads the sandbox's world in-process; the service only talks to it over HTTP.
 */

/** The query of the seed's advertiser campaign template (`{lpurl}?utm_source=google&utm_content={_content}&promo={_promo}`). */
const SEEDED_ADVERTISER_QUERY = '?utm_source=google&utm_content=x&promo=x';
const TEMPLATE_KEYS = ['utm_term', 'utm_source', 'utm_medium', 'utm_campaign', 'hsa_cam', 'hsa_grp', 'hsa_mt', 'hsa_src', 'hsa_ad', 'hsa_acc', 'hsa_net', 'hsa_kw', 'hsa_tgt', 'hsa_ver'];

describe('ACC-1 Google Ads auto-tracking end to end', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const g = () => sandboxes.control('google');
  const world = () => sandboxes.running.google.state;
  let seeded: any;
  let customerId: string;
  let accountKey: string;
  /** A second account with no account-level template: TRK-5 defaults apply there. */
  let plainCustomerId: string;
  const made = {} as Record<'plain' | 'advertiserTemplate' | 'trackerTemplate' | 'adLevel' | 'adGroupLevel' | 'video' | 'mixedOwn' | 'mixedPlain' | 'mixedPaused' | 'plainAccount', string>;
  const create = async (body: Record<string, unknown>) => (await g().post('/_sandbox/ads', { accountId: customerId, approved: true, ...body })).ad.id as string;
  const campaignOf = (adId: string) => world().ads.get(adId)!.campaignId;

  /** What TRK-6 says about a deliverable ad, from the sandbox's world (independent of the planner). */
  function expectedOutcome(adId: string): string {
    const ad = world().ads.get(adId)!;
    const campaign = world().campaigns.get(ad.campaignId)!;
    const adGroup = world().adGroups.get(ad.adGroupId)!;
    if (campaign.kind === 'video') return 'UNSUPPORTED_AD_TYPE';
    const url = new URL(ad.finalUrls[0]!);
    if (['bit.ly', 'tinyurl.com', 'ow.ly'].includes(url.hostname)) return 'SHORTENED_URL';
    if (ad.finalUrls[0]!.includes('#')) return 'URL_HAS_FRAGMENT';
    if (url.pathname.startsWith('/r/') || url.pathname.startsWith('/upgrade/')) return 'REDIRECTING_URL';
    if (made.trackerTemplate === adId || (campaign.trackingUrlTemplate && !campaign.trackingUrlTemplate.startsWith('{lpurl}'))) return 'TEMPLATE_WITHOUT_LPURL';
    if (adGroup.trackingUrlTemplate || ad.trackingUrlTemplate) return 'TRACKING_SET_BELOW_CAMPAIGN';
    return 'tracked';
  }
  const isDeliverable = (adId: string) => {
    const ad = world().ads.get(adId)!;
    return (
      ad.status === 'ENABLED' &&
      world().campaigns.get(ad.campaignId)!.status === 'ENABLED' &&
      world().adGroups.get(ad.adGroupId)!.status === 'ENABLED' &&
      ad.approvalStatus !== 'DISAPPROVED'
    );
  };
  const adsOfAccount = (id = customerId) => [...world().ads.values()].filter((ad) => ad.customerId === id);
  /** Issue 15 item 1: the keys the campaign's ads (any that may still serve) set in their own final URLs. */
  const ownKeysOfCampaign = (campaignId: string) =>
    new Set(
      [...world().ads.values()]
        .filter((ad) => ad.campaignId === campaignId && ad.status !== 'REMOVED' && world().adGroups.get(ad.adGroupId)!.status !== 'REMOVED')
        .flatMap((ad) => [...new URL(ad.finalUrls[0]!).searchParams.keys()]),
    );

  beforeAll(async () => {
    seeded = await sandboxes.seed('google', { seed: 3005, accounts: 2, adsPerAccount: 12 });
    customerId = seeded.accountIds[0];
    plainCustomerId = seeded.accountIds[1];
    accountKey = `google:${customerId}`;
    const landing = sandboxes.running.urls.landing;
    const inAccount = (ids: string[]) => ids.find((id) => world().campaigns.get(id)?.customerId === customerId)!;
    // Situations the seed's cycles leave out or hide behind URL problems.
    made.plain = await create({ kind: 'search', landingUrl: `${landing}/p/plain-search` });
    made.advertiserTemplate = await create({ campaignId: inAccount(seeded.scenarios.advertiserTemplateCampaignIds), landingUrl: `${landing}/p/advertiser-template` });
    made.trackerTemplate = await create({ campaignId: inAccount(seeded.scenarios.nonLpurlTemplateCampaignIds), landingUrl: `${landing}/p/tracker-template` });
    made.adLevel = await create({ kind: 'display', landingUrl: `${landing}/p/ad-level`, trackingUrlTemplate: '{lpurl}?ad_src=google' });
    const adGroupTemplated = seeded.scenarios.adGroupTemplateAdIds.map((id: string) => world().ads.get(id)!).find((ad: { customerId: string }) => ad.customerId === customerId);
    made.adGroupLevel = await create({ campaignId: adGroupTemplated.campaignId, landingUrl: `${landing}/p/ad-group-level` });
    made.video = await create({ kind: 'video', landingUrl: `${landing}/p/video` });
    // Issue 15 item 1: one campaign mixing an ad with its own UTMs, a plain ad and a paused ad with its own utm_term.
    made.mixedOwn = await create({ kind: 'search', landingUrl: `${landing}/p/mixed-own?utm_source=newsletter&utm_medium=email` });
    made.mixedPlain = await create({ campaignId: campaignOf(made.mixedOwn), landingUrl: `${landing}/p/mixed-plain` });
    made.mixedPaused = await create({ campaignId: campaignOf(made.mixedOwn), landingUrl: `${landing}/p/mixed-paused?utm_term=spring`, status: 'PAUSED' });
    const connection = await connectNetwork(stack, sandboxes, 'google', seeded.user);
    expect(connection.adAccounts.map((a) => a.externalId)).toContain(customerId);
    // ACC-2: the refresh token and access tokens are sealed.
    const stored = JSON.stringify(await stack.db.models.Connection.findById(connection.id).lean());
    for (const secret of issuedSecrets(sandboxes, 'google')) expect(stored).not.toContain(secret);
    made.plainAccount = await create({ accountId: plainCustomerId, kind: 'search', landingUrl: `${landing}/p/plain-account` });
    await connectAccount(stack, connection.id, customerId);
    await connectAccount(stack, connection.id, plainCustomerId);
    await waitForSweeps(stack, accountKey, 1);
    await waitForSweeps(stack, `google:${plainCustomerId}`, 1);
  });

  it('TRK-1/TRK-5 tags every eligible ad at campaign level with exactly the TRK-5 parameters, merged with the advertiser’s', async () => {
    for (const id of [customerId, plainCustomerId]) {
      const apiAds = new Map((await listAds(stack, `google:${id}`)).map((ad) => [ad.adId, ad]));
      const eligible = adsOfAccount(id).filter((ad) => isDeliverable(ad.id) && expectedOutcome(ad.id) === 'tracked');
      expect(eligible.length).toBeGreaterThan(1);
      const accountTemplate = world().customers.get(id)!.trackingUrlTemplate ?? '';
      for (const ad of eligible) {
        expect(apiAds.get(ad.id)?.trackingStatus, `ad ${ad.id}`).toBe('tracked');
        const campaign = world().campaigns.get(ad.campaignId)!;
        // The write is campaign-level: a template starting with {lpurl}, each key once, plus the custom parameter.
        expect(campaign.trackingUrlTemplate?.startsWith('{lpurl}?')).toBe(true);
        expectNoDuplicateKeys(templateQuery(campaign.trackingUrlTemplate!), `template of campaign ${campaign.id}`);
        expect(campaign.urlCustomParameters.find((p) => p.key === 'utmcampaign')).toBeTruthy();
        expect(world().adGroups.get(ad.adGroupId)!.trackingUrlTemplate ?? '').toBe('');

        const click = await clickAd(sandboxes, 'google', ad.id);
        const q = click.searchParams;
        // Issue 15 item 1: no key twice in any click. The campaign template serves every ad of the
        // campaign, so it leaves out the keys any of them sets in its own final URL; every ad of such a
        // campaign says so. Keys an ad sets itself come once, with its own value.
        expectNoDuplicateKeys(click.search, `click on ad ${ad.id}`);
        const own = new URL(ad.finalUrls[0]!).searchParams;
        const isAdvertiserCampaign = campaign.id === world().ads.get(made.advertiserTemplate)!.campaignId;
        const advertiserKeys = new URLSearchParams(isAdvertiserCampaign ? SEEDED_ADVERTISER_QUERY : '');
        const accountKeys = new URLSearchParams(isAdvertiserCampaign ? '' : templateQuery(accountTemplate));
        const heldBack = ownKeysOfCampaign(campaign.id);
        const leftOut = [...heldBack].filter((key) => (TEMPLATE_KEYS.includes(key) || accountKeys.has(key)) && !advertiserKeys.has(key));
        for (const key of TEMPLATE_KEYS) expect(keyCounts(click.search)[key] ?? 0, `${key} on ad ${ad.id} → ${click.href}`).toBe(own.has(key) || !leftOut.includes(key) ? 1 : 0);
        for (const [key, value] of own) expect(q.get(key)).toBe(value);
        expect(apiAds.get(ad.id)?.error?.code ?? null, `note on ad ${ad.id}`).toBe(leftOut.length > 0 ? 'TEMPLATE_KEYS_LEFT_OUT' : null);
        // Advertiser parameters (final URL, campaign template, account template) are kept, never overwritten.
        const expectedValue = (key: string, ours: string) => own.get(key) ?? advertiserKeys.get(key) ?? (heldBack.has(key) ? null : (accountKeys.get(key) ?? ours));
        expect(q.get('utm_source'), `ad ${ad.id}`).toBe(expectedValue('utm_source', 'adwords'));
        expect(q.get('utm_medium'), `ad ${ad.id}`).toBe(expectedValue('utm_medium', 'ppc'));
        expect(q.get('utm_campaign')).toBe(campaign.name);
        expect(q.get('hsa_cam')).toBe(campaign.id);
        expect(q.get('hsa_grp')).toBe(ad.adGroupId);
        expect(q.get('hsa_ad')).toBe(ad.id);
        expect(q.get('hsa_acc')).toBe(id);
        expect(q.get('hsa_net')).toBe('adwords');
        expect(q.get('hsa_ver')).toBe('3');
        expect(q.get('hsa_src')).toMatch(/^[a-z]+$/);
        if (!leftOut.includes('utm_term')) expect(q.get('utm_term')).toBe(q.get('hsa_kw'));
        if (campaign.kind === 'search') {
          expect(q.get('hsa_kw')).not.toBe('');
          expect(['e', 'p', 'b']).toContain(q.get('hsa_mt'));
          expect(q.get('hsa_tgt')).toMatch(/^kwd-\d+$/);
        }
      }
    }
    expect(adsOfAccount(plainCustomerId).some((ad) => isDeliverable(ad.id) && expectedOutcome(ad.id) === 'tracked' && !new URL(ad.finalUrls[0]!).search)).toBe(true);
    // The advertiser's own campaign template and custom parameters survive the merge (TRK-5).
    const advertiserCampaign = world().campaigns.get(world().ads.get(made.advertiserTemplate)!.campaignId)!;
    expect(advertiserCampaign.trackingUrlTemplate!.startsWith('{lpurl}?utm_source=google&utm_content={_content}&promo={_promo}&')).toBe(true);
    expect(advertiserCampaign.urlCustomParameters.map((p) => p.key)).toEqual(['content', 'promo', 'utmcampaign']);
    const click = await clickAd(sandboxes, 'google', made.advertiserTemplate);
    expect(click.searchParams.get('utm_content')).toBe('spring');
    expect(click.searchParams.get('promo')).toBe('P10');
    expect(click.searchParams.get('utm_medium')).toBe('ppc');
  });

  it('TRK-6/TRK-11/REP-1 untrackable ads carry reason codes and messages, get no template, and still get metrics', async () => {
    const errors = new Map((await listAds(stack, accountKey, 'error')).map((ad) => [ad.adId, ad]));
    const expected = adsOfAccount().filter((ad) => isDeliverable(ad.id) && expectedOutcome(ad.id) !== 'tracked');
    const codes = new Set(expected.map((ad) => expectedOutcome(ad.id)));
    for (const code of ['UNSUPPORTED_AD_TYPE', 'SHORTENED_URL', 'REDIRECTING_URL', 'TEMPLATE_WITHOUT_LPURL', 'TRACKING_SET_BELOW_CAMPAIGN']) expect(codes).toContain(code);
    expect(new Set(errors.keys())).toEqual(new Set(expected.map((ad) => ad.id)));
    for (const ad of expected) {
      const apiAd = errors.get(ad.id)!;
      expect(apiAd.error?.code, `ad ${ad.id} → ${ad.finalUrls[0]}`).toBe(expectedOutcome(ad.id));
      expect(apiAd.error?.message.length).toBeGreaterThan(30);
      expect(apiAd.appliedParams).toEqual({});
    }
    expect(errors.get(made.trackerTemplate)?.error?.message).toContain('{lpurl}');
    expect(errors.get(made.adLevel)?.error?.message).toContain('ad level');
    expect(errors.get(made.adGroupLevel)?.error?.message).toContain('ad group level');
    // TRK-11: the third-party tracker template was left exactly as the advertiser set it.
    const tracker = world().campaigns.get(world().ads.get(made.trackerTemplate)!.campaignId)!;
    expect(tracker.trackingUrlTemplate).toBe('https://track.example-tracker.com/click?cid={campaignid}&url={escapedlpurl}');
    expect(tracker.urlCustomParameters).toEqual([]);
    // A campaign whose only deliverable ads are all untrackable gets no template.
    const video = world().campaigns.get(world().ads.get(made.video)!.campaignId)!;
    expect(video.trackingUrlTemplate ?? '').toBe('');

    // REP-1: metric rows for every ad the account lists, tracked or not — every ad the network has
    // delivery for on the complete days of the look-back window (quiet days have no rows, as in
    // Google's reports; today's partial day may have started in the account's time zone after the
    // hourly metrics sync ran).
    const delivered = (adId: string) => {
      const ad = world().ads.get(adId)!;
      const timeZone = world().customers.get(ad.customerId)!.timeZone;
      const today = formatDate(world().now(), timeZone);
      return [1, 2, 3].some((d) => adDayMetrics(world(), ad, new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10), timeZone, today).impressions > 0);
    };
    const listed = (await listAds(stack, accountKey)).filter((ad) => delivered(ad.adId));
    expect(listed.some((ad) => ad.trackingStatus === 'error')).toBe(true);
    expect(listed.some((ad) => ad.trackingStatus === 'tracked')).toBe(true);
    await eventually(async () => {
      for (const ad of listed) if ((await stack.db.models.AdMetric.countDocuments({ adKey: ad.id })) === 0) return false;
      return true;
    }, { what: 'metrics for every ad with delivery' });
  });

  it('TRK-10 a renamed campaign keeps its tags; a removed utm_campaign comes back with the current name', async () => {
    const target = made.plain;
    const campaign = world().campaigns.get(world().ads.get(target)!.campaignId)!;
    const templateBefore = campaign.trackingUrlTemplate;
    const oldName = campaign.name;
    await g().post(`/_sandbox/campaigns/${campaign.id}/rename`, { name: 'Search – Renamed Q4' });
    await sweepNow(stack, accountKey, { full: true });
    expect(campaign.trackingUrlTemplate).toBe(templateBefore);
    expect((await clickAd(sandboxes, 'google', target)).searchParams.get('utm_campaign')).toBe(oldName);

    const removed = await g().post(`/_sandbox/ads/${target}/remove-param`, { key: 'utm_campaign' });
    expect(removed.removedFrom).toEqual(['campaign.trackingUrlTemplate']);
    const click = await eventually(async () => {
      const url = await clickAd(sandboxes, 'google', target);
      return url.searchParams.has('utm_campaign') ? url : undefined;
    }, { what: 'utm_campaign to be re-added' });
    expect(click.searchParams.get('utm_campaign')).toBe('Search – Renamed Q4');
    expectNoDuplicateKeys(click.search, 're-added');
    expectNoDuplicateKeys(templateQuery(campaign.trackingUrlTemplate!), 'template after the repair');
    await eventually(async () => (await getAd(stack, `google:${target}`)).audit.filter((e) => e.action === 'applied').length === 2, { what: 'the repair in the audit trail' });
  });

  it('TRK-5 issue15-1 a campaign mixing own-UTM and plain ads: no key twice in any click, and each ad says what was left out', async () => {
    const ads = new Map((await listAds(stack, accountKey)).map((ad) => [ad.adId, ad]));
    for (const adId of [made.mixedOwn, made.mixedPlain, made.mixedPaused]) expectNoDuplicateKeys((await clickAd(sandboxes, 'google', adId)).search, `click on ad ${adId}`);
    const own = (await clickAd(sandboxes, 'google', made.mixedOwn)).searchParams;
    expect([own.get('utm_source'), own.get('utm_medium'), own.get('hsa_ad')]).toEqual(['newsletter', 'email', made.mixedOwn]);
    const plain = (await clickAd(sandboxes, 'google', made.mixedPlain)).searchParams;
    for (const key of ['utm_source', 'utm_medium', 'utm_term']) expect(plain.has(key), key).toBe(false);
    expect([plain.get('hsa_ad'), plain.get('hsa_net'), plain.get('utm_campaign')]).toEqual([made.mixedPlain, 'adwords', world().campaigns.get(campaignOf(made.mixedPlain))!.name]);
    for (const adId of [made.mixedOwn, made.mixedPlain]) {
      expect(ads.get(adId)).toMatchObject({ trackingStatus: 'tracked', error: { code: 'TEMPLATE_KEYS_LEFT_OUT' } });
      expect(ads.get(adId)!.error!.message).toMatch(/utm_source, utm_medium/);
      expect(ads.get(adId)!.error!.message).toContain(made.mixedPaused);
    }

    // An ad with its own utm_source joins a campaign we tagged earlier: our utm_source comes off again.
    const tagged = world().campaigns.get(campaignOf(made.plainAccount))!;
    expect(templateQuery(tagged.trackingUrlTemplate!)).toContain('utm_source=adwords');
    const late = await create({ accountId: plainCustomerId, campaignId: tagged.id, landingUrl: `${sandboxes.running.urls.landing}/p/late?utm_source=newsletter` });
    await sweepNow(stack, `google:${plainCustomerId}`, { full: true });
    await eventually(async () => !templateQuery(tagged.trackingUrlTemplate ?? '').includes('utm_source='), { what: 'our utm_source taken off the campaign template' });
    for (const adId of [late, made.plainAccount]) expectNoDuplicateKeys((await clickAd(sandboxes, 'google', adId)).search, `click on ad ${adId}`);
    expect((await clickAd(sandboxes, 'google', late)).searchParams.get('utm_source')).toBe('newsletter');
    await eventually(async () => (await getAd(stack, `google:${made.plainAccount}`)).error?.code === 'TEMPLATE_KEYS_LEFT_OUT', { what: 'the note on the tagged sibling' });
  });
});
