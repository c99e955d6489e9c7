import { describe, expect, it } from 'vitest';
import { sb, seed, token, useGoogleContract } from './support/google-contract';

/** §3.4 click simulation: the URL a click opens, with templates, custom parameters and ValueTrack resolved. */

type Json = Record<string, any>;

/** The product's campaign-level template (TRK-5) with the account id written literally (§3.2). */
const productTemplate = (customerId: string) =>
  `{lpurl}?utm_term={keyword}&utm_source=adwords&utm_medium=ppc&utm_campaign={_utmcampaign}&hsa_cam={campaignid}&hsa_grp={adgroupid}&hsa_mt={matchtype}&hsa_src={network}&hsa_ad={creative}&hsa_acc=${customerId}&hsa_net=adwords&hsa_kw={keyword}&hsa_tgt={targetid}&hsa_ver=3`;

async function setCampaignTracking(customerId: string, campaignId: string, trackingUrlTemplate: string, urlCustomParameters: { key: string; value: string }[]) {
  const response = await fetch(`${sb.url}/v22/customers/${customerId}/campaigns:mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      operations: [{ update: { resourceName: `customers/${customerId}/campaigns/${campaignId}`, trackingUrlTemplate, urlCustomParameters }, updateMask: 'trackingUrlTemplate,urlCustomParameters' }],
    }),
  });
  expect(response.status).toBe(200);
}

/** An ad whose own ad group and ad carry no template, so the campaign's applies. */
const untemplated = (ids: string[], customerId?: string) =>
  ids.find((id) => {
    const ad = sb.state.ads.get(id);
    return ad && !ad.trackingUrlTemplate && !sb.state.adGroups.get(ad.adGroupId)?.trackingUrlTemplate && (!customerId || ad.customerId === customerId);
  }) ?? '';

const click = async (adId: string, body: Json = {}) => (await sb.control<Json>('POST', `/ads/${adId}/click`, body)).body;

useGoogleContract(3, undefined, { accounts: 4, landingBaseUrl: 'http://127.0.0.1:4567' });

describe('§3.4 click simulation', () => {
  it('resolves a campaign template with the _utmcampaign custom parameter and every ValueTrack tag', async () => {
    const adId = untemplated(seed.adIdsByKind.search);
    const ad = sb.state.ads.get(adId);
    const customerId = ad?.customerId ?? '';
    await setCampaignTracking(customerId, ad?.campaignId ?? '', productTemplate(customerId), [{ key: 'utmcampaign', value: 'Search%20-%20Brand' }]);
    const keyword = [...sb.state.keywords.values()].find((k) => k.adGroupId === ad?.adGroupId);
    const result = await click(adId, { keywordId: keyword?.id, device: 'mobile' });

    expect(result.templateLevel).toBe('campaign');
    const url = new URL(result.landingUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe(ad?.finalUrls[0]?.split('?')[0]);
    expect(result.landingUrl).not.toMatch(/[{}]/);
    const q = url.searchParams;
    expect(q.get('utm_campaign')).toBe('Search - Brand');
    expect(q.get('utm_source')).toBe('adwords');
    expect(q.get('utm_term')).toBe(keyword?.text);
    expect(q.get('hsa_kw')).toBe(keyword?.text);
    expect(q.get('hsa_cam')).toBe(ad?.campaignId);
    expect(q.get('hsa_grp')).toBe(ad?.adGroupId);
    expect(q.get('hsa_ad')).toBe(adId);
    expect(q.get('hsa_acc')).toBe(customerId);
    expect(q.get('hsa_mt')).toBe({ EXACT: 'e', PHRASE: 'p', BROAD: 'b' }[keyword?.matchType ?? 'EXACT']);
    expect(q.get('hsa_src')).toBe('g');
    expect(q.get('hsa_tgt')).toBe(`kwd-${keyword?.id}`);
    expect(q.get('hsa_ver')).toBe('3');
    // Auto-tagging is on for this account: the click id rides along.
    expect(q.get('gclid')).toBe(result.gclid);
    expect(sb.state.clicks.get(result.gclid as string)?.adId).toBe(adId);
  });

  it('lets an ad-group template override the campaign template entirely, while custom parameters merge per key', async () => {
    const adId = untemplated(seed.adIdsByKind.search);
    const ad = sb.state.ads.get(adId);
    const customerId = ad?.customerId ?? '';
    await setCampaignTracking(customerId, ad?.campaignId ?? '', productTemplate(customerId), [{ key: 'utmcampaign', value: 'Brand' }]);
    const set = await sb.control('POST', '/tracking', {
      level: 'adGroup',
      id: ad?.adGroupId,
      trackingUrlTemplate: '{lpurl}?src=adgroup&c={_utmcampaign}&p={_promo}&missing={_nope}',
      urlCustomParameters: [{ key: 'promo', value: 'P20' }],
    });
    expect(set.status).toBe(200);
    const result = await click(adId);
    expect(result.templateLevel).toBe('adGroup');
    const q = new URL(result.landingUrl as string).searchParams;
    expect(q.get('src')).toBe('adgroup');
    expect(q.get('c')).toBe('Brand');
    expect(q.get('p')).toBe('P20');
    expect(q.get('missing')).toBe('');
    expect(q.has('utm_source')).toBe(false);
    expect(q.has('hsa_cam')).toBe(false);
  });

  it('joins a template query onto a final URL that already has one, and appends the final URL suffix', async () => {
    const adId = untemplated(seed.adIdsByLandingKind.own_utms);
    const ad = sb.state.ads.get(adId);
    await sb.control('POST', '/tracking', { level: 'campaign', id: ad?.campaignId, trackingUrlTemplate: '{lpurl}?utm_medium=ppc', finalUrlSuffix: 'sfx=1', urlCustomParameters: [] });
    const result = await click(adId);
    expect(result.landingUrl).toMatch(/\?utm_source=newsletter&utm_content=hero&sfx=1&utm_medium=ppc&gclid=/);
  });

  it('escapes {lpurl} inside a third-party tracker template and lands on final URL + suffix (parallel tracking)', async () => {
    const campaignId = seed.scenarios.nonLpurlTemplateCampaignIds[0] ?? '';
    const adId = [...sb.state.ads.values()].find((a) => a.campaignId === campaignId && !a.trackingUrlTemplate)?.id ?? '';
    const ad = sb.state.ads.get(adId);
    const result = await click(adId);
    expect(result.templateLevel).toBe('campaign');
    expect(result.backgroundTrackingUrl).toContain(`cid=${campaignId}`);
    expect(result.backgroundTrackingUrl).toContain(`url=${encodeURIComponent(result.finalUrl as string)}`);
    expect(result.landingUrl.startsWith(ad?.finalUrls[0]?.split('#')[0] ?? 'x')).toBe(true);
  });

  it('leaves gclid out when auto-tagging is off and reports display clicks as network d with no keyword', async () => {
    const offCustomer = seed.scenarios.autoTaggingOffCustomerIds[0] ?? '';
    const created = await sb.control<Json>('POST', '/ads', { accountId: offCustomer, kind: 'display', landingUrl: 'http://127.0.0.1:4567/p/new-display', approved: true });
    expect(created.body.ad).toMatchObject({ kind: 'display', reviewStatus: 'REVIEWED', channelType: 'DISPLAY' });
    const displayAd = created.body.ad.id as string;
    const ad = sb.state.ads.get(displayAd);
    await setCampaignTracking(offCustomer, ad?.campaignId ?? '', productTemplate(offCustomer), [{ key: 'utmcampaign', value: 'D' }]);
    const result = await click(displayAd);
    const q = new URL(result.landingUrl as string).searchParams;
    expect(result.gclid).toBeNull();
    expect(q.has('gclid')).toBe(false);
    expect(q.get('hsa_src')).toBe('d');
    expect(q.get('utm_term')).toBe('');
  });

  it('keeps substituting literally after a #fragment, so template parameters end up in the fragment (unconfirmed)', async () => {
    const adId = untemplated(seed.adIdsByLandingKind.fragment);
    const ad = sb.state.ads.get(adId);
    await sb.control('POST', '/tracking', { level: 'campaign', id: ad?.campaignId, trackingUrlTemplate: '{lpurl}?utm_medium=ppc', finalUrlSuffix: '', urlCustomParameters: [] });
    const result = await click(adId);
    const url = new URL(result.landingUrl as string);
    expect(url.searchParams.has('utm_medium')).toBe(false);
    expect(url.hash).toContain('utm_medium=ppc');
  });
});

describe('advertiser actions', () => {
  it('remove-param deletes utm_campaign from the template that applies to the ad, so clicks lose it (TRK-10)', async () => {
    const adId = untemplated(seed.adIdsByKind.search);
    const ad = sb.state.ads.get(adId);
    const customerId = ad?.customerId ?? '';
    await setCampaignTracking(customerId, ad?.campaignId ?? '', productTemplate(customerId), [{ key: 'utmcampaign', value: 'Brand' }]);
    const removed = await sb.control<Json>('POST', `/ads/${adId}/remove-param`, { key: 'utm_campaign' });
    expect(removed.body.removedFrom).toEqual(['campaign.trackingUrlTemplate']);
    expect(sb.state.campaigns.get(ad?.campaignId ?? '')?.trackingUrlTemplate).not.toContain('utm_campaign');
    const q = new URL((await click(adId)).landingUrl as string).searchParams;
    expect(q.has('utm_campaign')).toBe(false);
    expect(q.get('utm_source')).toBe('adwords');
  });

  it('a new landing URL sends the ad to review until approved', async () => {
    const adId = seed.adIdsByKind.display[0] ?? '';
    const changed = await sb.control<Json>('POST', `/ads/${adId}/landing-url`, { url: 'http://127.0.0.1:4567/p/moved' });
    expect(changed.body.ad).toMatchObject({ finalUrls: ['http://127.0.0.1:4567/p/moved'], reviewStatus: 'REVIEW_IN_PROGRESS' });
    const approved = await sb.control<Json>('POST', `/ads/${adId}/approve`);
    expect(approved.body.ad).toMatchObject({ reviewStatus: 'REVIEWED', approvalStatus: 'APPROVED' });
    expect((await sb.control('POST', `/ads/${adId}/landing-url`, { url: 'not a url' })).status).toBe(400);
  });
});
