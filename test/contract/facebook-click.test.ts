import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FacebookClient } from '../../src/networks/facebook';
import type { FacebookAdTracking } from '../../src/networks/types';
import { FACEBOOK_SANDBOX_APP, startFacebookSandbox, type FacebookSandboxControl, type SeedSummary } from '../../src/sandboxes/facebook';

type Started = Awaited<ReturnType<typeof startFacebookSandbox>>;
let fb: Started;
let control: FacebookSandboxControl;
let client: FacebookClient;
let seed: SeedSummary;
let token: string;

const EVERY_MACRO =
  'utm_source=facebook&utm_campaign={{campaign.name}}&utm_content={{ad.name}}&utm_term={{adset.name}}' +
  '&hsa_cam={{campaign.id}}&hsa_grp={{adset.id}}&hsa_ad={{ad.id}}&hsa_src={{site_source_name}}&placement={{placement}}';

beforeAll(async () => {
  fb = await startFacebookSandbox();
  control = fb.control;
  client = new FacebookClient({ graphBaseUrl: fb.url, apiVersion: 'v25.0', appId: FACEBOOK_SANDBOX_APP.id, appSecret: FACEBOOK_SANDBOX_APP.secret });
});
afterAll(async () => {
  await fb.server.close();
});
beforeEach(async () => {
  seed = await control.seed({ seed: 3, accounts: 1, adsPerAccount: 12, landingBaseUrl: 'http://127.0.0.1:4567' });
  token = await control.loginAs(seed.user.handle);
});

/** Tags the ad through the client, exactly as auto-tracking does, then finishes review. */
async function tag(adId: string, urlTags = EVERY_MACRO): Promise<void> {
  const page = await client.listAds(token, seed.accounts[0]!.id, { scope: 'all', pageSize: 100 });
  const ad = page.items.find((item) => item.adId === adId)!;
  const [result] = await client.applyTracking(token, seed.accounts[0]!.id, [
    { network: 'facebook', key: adId, adId, creativeId: (ad.tracking as FacebookAdTracking).creativeId, urlTags },
  ]);
  expect(result?.ok).toBe(true);
  await control.approve(adId);
}

describe('click simulation (§3.2)', () => {
  it('turns a tagged link ad into its landing URL with every macro resolved', async () => {
    const adId = seed.ads.byKind.link[0]!;
    await tag(adId);
    const ad = await control.ad(adId);
    const { landingUrl, siteSourceName } = await control.click(adId);
    expect(landingUrl).not.toContain('{{');
    const url = new URL(landingUrl!);
    expect(url.origin + url.pathname).toBe(ad.landingUrl!.split('?')[0]!.split('#')[0]);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      utm_source: 'facebook',
      utm_campaign: ad.publishSnapshot!.campaignName,
      utm_content: ad.name,
      utm_term: ad.publishSnapshot!.adsetName,
      hsa_cam: ad.campaignId,
      hsa_grp: ad.adsetId,
      hsa_ad: adId,
      hsa_src: 'fb',
      placement: 'Facebook_Mobile_Feed',
    });
    expect(siteSourceName).toBe('fb');
  });

  it('name macros keep the name from first publish after a campaign rename (TRK-10)', async () => {
    const adId = seed.ads.byKind.link[0]!;
    await tag(adId);
    const before = new URL((await control.click(adId)).landingUrl!).searchParams.get('utm_campaign');
    await control.renameCampaign((await control.ad(adId)).campaignId, 'Renamed Campaign');
    const after = new URL((await control.click(adId)).landingUrl!).searchParams.get('utm_campaign');
    expect(after).toBe(before);
    expect(after).not.toBe('Renamed Campaign');
  });

  it('ACC-1 {{site_source_name}} is ig for Instagram-placement ads; a PAC carousel opens the Instagram link there', async () => {
    const igAd = seed.ads.byKind.instagram_link[0]!;
    await tag(igAd);
    const ig = await control.click(igAd);
    expect(new URL(ig.landingUrl!).searchParams.get('hsa_src')).toBe('ig');
    expect(ig.placement).toBe('instagram');

    const pac = seed.ads.byKind.carousel_pac[0]!;
    const onFacebook = await control.click(pac, { placement: 'facebook' });
    const onInstagram = await control.click(pac, { placement: 'instagram' });
    const path = (url: string | null) => new URL(url!).pathname;
    expect(path(onFacebook.landingUrl)).not.toBe(path(onInstagram.landingUrl));
    expect(path(onInstagram.landingUrl)).toMatch(/-2$/);
  });

  it('tags go before a #fragment and after the advertiser\'s own query', async () => {
    const ad = await control.createAd({ accountId: seed.accounts[0]!.id, kind: 'link', landingUrl: 'http://127.0.0.1:4567/p/offer?utm_source=newsletter#offer' });
    await tag(ad.id, 'hsa_ad={{ad.id}}');
    const { landingUrl, fbclid } = await control.click(ad.id);
    expect(landingUrl).toBe(`http://127.0.0.1:4567/p/offer?utm_source=newsletter&hsa_ad=${ad.id}&fbclid=${fbclid}#offer`);
  });

  it('a Messenger-destination ad opens no website; a carousel opens the clicked card', async () => {
    expect(await control.click(seed.ads.byKind.messenger[0]!)).toMatchObject({ landingUrl: null, fbclid: null });
    const carousel = seed.ads.byKind.carousel[0]!;
    await tag(carousel, 'hsa_ad={{ad.id}}');
    const second = await control.click(carousel, { card: 1 });
    expect(second.landingUrl).toBe(`http://127.0.0.1:4567/p/carousel-${carousel.slice(-6)}-2?hsa_ad=${carousel}&fbclid=${second.fbclid}`);
  });

  it('removing utm_campaign (advertiser edit) makes a new creative without it', async () => {
    const adId = seed.ads.byKind.link[0]!;
    await tag(adId);
    const { removed, ad } = await control.removeParam(adId, 'utm_campaign');
    expect(removed).toBe(true);
    expect(ad.urlTags).not.toContain('utm_campaign');
    expect(ad.effectiveStatus).toBe('PENDING_REVIEW');
    expect(new URL((await control.click(adId)).landingUrl!).searchParams.has('utm_campaign')).toBe(false);
  });
});
