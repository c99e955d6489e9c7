import { describe, expect, it } from 'vitest';
import { campaignOwnKeys, foldWrites, planAdTracking, settleWriteResults } from '../../src/domain/tracking';
import type { AccountTrackingContext, AdTrackingPlan } from '../../src/domain/tracking';
import type { AdRecord, CustomParameter, GoogleAdTracking, LinkedInAdTracking } from '../../src/networks/types';
import { untaggedGoogleTracking } from '../support/ad-fixtures';

/**
 * Issue 15 item 1 (TRK-5, TRK-8): a campaign-level template serves every ad of the campaign, so it
 * must leave out the keys any of its ads sets in its own final URL, and say so on the ads.
 */

const OWN_UTM_URL = 'https://shop.test/p/news?utm_source=newsletter&utm_content=hero';
const PLAIN_URL = 'https://shop.test/p/plain';

function googleAd(adId: string, landingUrl: string, tracking: Partial<GoogleAdTracking> = {}, status: AdRecord['status'] = 'active'): AdRecord {
  return {
    network: 'google',
    accountId: '1234567890',
    adId,
    name: `Ad ${adId}`,
    status,
    rawStatus: 'ENABLED',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: '111', name: 'Brand - Search' },
    adGroup: { id: '222', name: 'Exact' },
    landingUrl,
    tracking: untaggedGoogleTracking(tracking),
  };
}

function linkedInAd(adId: string, landingUrl: string, campaignUrlParameters: CustomParameter[] = []): AdRecord {
  const tracking: LinkedInAdTracking = { network: 'linkedin', format: 'SPONSORED_UPDATE', campaignGroupId: '612734066', campaignUrlParameters };
  return {
    network: 'linkedin',
    accountId: '507404993',
    adId,
    name: `Creative ${adId}`,
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: '123456789', name: 'Q2 Webinar' },
    adGroup: { id: '123456789', name: 'Q2 Webinar' },
    landingUrl,
    tracking,
  };
}

/** Plans a campaign's ads the way a sweep does: own keys of all its ads, then one folded write. */
function sweep(ads: AdRecord[], listedAlso: AdRecord[] = []) {
  const context: AccountTrackingContext = {
    autoTracking: true,
    isFirstSweep: false,
    linkedInCreativeToken: 'CREATIVE_ID',
    campaignOwnKeys: campaignOwnKeys([...ads, ...listedAlso].map((ad) => ({ campaignId: ad.campaign.id, adId: ad.adId, name: ad.name, landingUrl: ad.landingUrl, status: ad.status }))),
  };
  return foldWrites(ads.map((ad) => planAdTracking(ad, context, {}, { redirects: false })));
}

/** The query a click on a Google ad lands with: final URL, then the `{lpurl}?…` template's pairs. */
function googleClickKeys(finalUrl: string, template: string): string[] {
  const query = template.includes('?') ? template.slice(template.indexOf('?') + 1) : '';
  return [...new URLSearchParams(`${new URL(finalUrl).search.slice(1)}&${query}`).keys()];
}

/** LinkedIn appends the campaign's parameters to the creative's landing URL. */
function linkedInClickKeys(finalUrl: string, parameters: CustomParameter[]): string[] {
  return [...new URL(finalUrl).searchParams.keys(), ...parameters.map((p) => p.key)];
}

const doubled = (keys: string[]) => keys.filter((key, i) => keys.indexOf(key) !== i);
const googleWrite = (plans: { writes: unknown[] }) => {
  const write = plans.writes[0] as { network: string; trackingUrlTemplate: string; urlCustomParameters: CustomParameter[] } | undefined;
  if (write?.network !== 'google') throw new Error('expected one Google write');
  return write;
};

describe('campaignOwnKeys (issue15-1)', () => {
  it('issue15-1 groups the keys of ads’ own URLs by campaign and names the ads; gone ads and bare URLs hold nothing back', () => {
    const keys = campaignOwnKeys([
      { campaignId: 'c1', adId: 'a1', name: 'News', landingUrl: OWN_UTM_URL, status: 'active' },
      { campaignId: 'c1', adId: 'a2', name: 'Paused promo', landingUrl: 'https://shop.test/?utm_source=promo', status: 'paused' },
      { campaignId: 'c1', adId: 'a3', name: 'Removed', landingUrl: 'https://shop.test/?hsa_ad=1', status: 'deleted' },
      { campaignId: 'c1', adId: 'a1', name: 'News (stale copy)', landingUrl: 'https://shop.test/?utm_term=x', status: 'active' },
      { campaignId: 'c2', adId: 'b1', name: 'Plain', landingUrl: PLAIN_URL, status: 'active' },
      { campaignId: 'c2', adId: 'b2', name: 'None', landingUrl: null, status: 'active' },
    ]);
    expect([...keys.keys()]).toEqual(['c1']);
    expect(Object.fromEntries(keys.get('c1')!)).toEqual({
      utm_source: [{ adId: 'a1', name: 'News' }, { adId: 'a2', name: 'Paused promo' }],
      utm_content: [{ adId: 'a1', name: 'News' }],
    });
  });
});

describe('TRK-5 Google: no key twice in any click of a campaign mixing own-UTM and plain ads (issue15-1)', () => {
  it('TRK-5 issue15-1 the campaign template leaves out the keys an ad sets itself; every click has each key once', () => {
    const own = googleAd('1', OWN_UTM_URL);
    const plain = googleAd('2', PLAIN_URL);
    const folded = sweep([own, plain]);
    expect(folded.writes).toHaveLength(1);
    const { trackingUrlTemplate } = googleWrite(folded);
    expect(trackingUrlTemplate).not.toContain('utm_source=');
    expect(trackingUrlTemplate).toContain('utm_medium=ppc');
    for (const ad of [own, plain]) expect(doubled(googleClickKeys(ad.landingUrl!, trackingUrlTemplate)), ad.adId).toEqual([]);
    // Without the rule (on main) the own-UTM ad's click carried utm_source twice.
    const alone = sweep([plain]);
    expect(doubled(googleClickKeys(own.landingUrl!, googleWrite(alone).trackingUrlTemplate))).toEqual(['utm_source']);
  });

  it('TRK-5 issue15-1 each ad of the campaign says which keys were left out and who sets them', () => {
    const [ownPlan, plainPlan] = sweep([googleAd('1', OWN_UTM_URL), googleAd('2', PLAIN_URL)]).plans as [AdTrackingPlan, AdTrackingPlan];
    for (const plan of [ownPlan, plainPlan]) {
      expect(plan.trackingStatus).toBe('pending');
      expect(plan.reason?.code).toBe('TEMPLATE_KEYS_LEFT_OUT');
      expect(plan.reason?.message).toContain('utm_source');
      expect(plan.reason?.message).toContain('"Ad 1" (1)');
      expect(plan.reason?.retryable).toBe(false);
    }
    expect(ownPlan.reason?.message).toContain("This ad's own values are kept");
    expect(plainPlan.reason?.message).toContain('Clicks on this ad carry no value for these keys');
    expect(plainPlan.appliedParams).not.toHaveProperty('utm_source');
    // The note survives the successful write: the ad is tracked, and still says what it lacks.
    const [settled] = settleWriteResults([plainPlan], [{ key: plainPlan.writeKey!, ok: true }]);
    expect(settled).toMatchObject({ trackingStatus: 'tracked', reason: { code: 'TEMPLATE_KEYS_LEFT_OUT' } });
    expect(settled!.nextState.reason?.code).toBe('TEMPLATE_KEYS_LEFT_OUT');
  });

  it('TRK-5 issue15-1 a paused ad with its own UTMs holds the key back too (it may serve again under the same template)', () => {
    const folded = sweep([googleAd('2', PLAIN_URL)], [googleAd('9', 'https://shop.test/p/x?utm_medium=email', {}, 'paused')]);
    const { trackingUrlTemplate } = googleWrite(folded);
    expect(trackingUrlTemplate).not.toContain('utm_medium=');
    expect(trackingUrlTemplate).toContain('utm_source=adwords');
  });

  it('TRK-5 issue15-1 an account template copied into the campaign template drops the pairs an ad sets itself', () => {
    const accountTemplate = '{lpurl}?utm_source=google&utm_medium=cpc&device={device}';
    const folded = sweep([googleAd('1', OWN_UTM_URL, { customerTrackingUrlTemplate: accountTemplate }), googleAd('2', PLAIN_URL, { customerTrackingUrlTemplate: accountTemplate })]);
    const { trackingUrlTemplate } = googleWrite(folded);
    expect(trackingUrlTemplate.startsWith('{lpurl}?utm_medium=cpc&device={device}&utm_term={keyword}&')).toBe(true);
    expect(doubled(googleClickKeys(OWN_UTM_URL, trackingUrlTemplate))).toEqual([]);
  });

  it('TRK-5 issue15-1 ours written before the own-UTM ad appeared is taken off again; the advertiser’s pairs are never touched', () => {
    const plain = googleAd('2', PLAIN_URL, { campaignTrackingUrlTemplate: '{lpurl}?promo=spring&utm_content={_content}' });
    const first = googleWrite(sweep([plain]));
    const tagged = { campaignTrackingUrlTemplate: first.trackingUrlTemplate, campaignCustomParameters: first.urlCustomParameters };
    // A later sweep lists a new ad with its own utm_source and utm_content.
    const folded = sweep([googleAd('2', PLAIN_URL, tagged), googleAd('1', OWN_UTM_URL, tagged)]);
    const { trackingUrlTemplate } = googleWrite(folded);
    expect(first.trackingUrlTemplate).toContain('utm_source=adwords');
    expect(trackingUrlTemplate).not.toContain('utm_source=');
    // utm_content comes from the advertiser's own template: theirs to keep (and not a double of ours).
    expect(trackingUrlTemplate.startsWith('{lpurl}?promo=spring&utm_content={_content}&utm_term={keyword}&utm_medium=ppc&')).toBe(true);
    // Re-planning the result writes nothing more (idempotent) and keeps the note.
    const again = sweep([googleAd('2', PLAIN_URL, { campaignTrackingUrlTemplate: trackingUrlTemplate, campaignCustomParameters: first.urlCustomParameters }), googleAd('1', OWN_UTM_URL, { campaignTrackingUrlTemplate: trackingUrlTemplate, campaignCustomParameters: first.urlCustomParameters })]);
    expect(again.writes).toEqual([]);
    expect(again.plans.map((plan) => [plan.trackingStatus, plan.reason?.code])).toEqual([
      ['tracked', 'TEMPLATE_KEYS_LEFT_OUT'],
      ['tracked', 'TEMPLATE_KEYS_LEFT_OUT'],
    ]);
  });

  it('TRK-5 issue15-1 a campaign none of whose ads sets a template key gets the full template and no note', () => {
    const folded = sweep([googleAd('2', PLAIN_URL), googleAd('3', 'https://shop.test/p/ref?ref=mail')]);
    expect(googleWrite(folded).trackingUrlTemplate).toContain('utm_source=adwords');
    expect(folded.plans.every((plan) => plan.reason === undefined)).toBe(true);
  });
});

describe('TRK-8 LinkedIn: no key twice in any click of a campaign mixing own-UTM and plain creatives (issue15-1)', () => {
  const linkedInWrite = (plans: { writes: unknown[] }) => {
    const write = plans.writes[0] as { network: string; urlParameters: CustomParameter[] } | undefined;
    if (write?.network !== 'linkedin') throw new Error('expected one LinkedIn write');
    return write.urlParameters;
  };

  it('TRK-8 issue15-1 the campaign parameters leave out the keys a creative sets itself, with a note on each creative', () => {
    const own = linkedInAd('1', OWN_UTM_URL);
    const plain = linkedInAd('2', PLAIN_URL);
    const folded = sweep([own, plain]);
    const parameters = linkedInWrite(folded);
    expect(parameters.map((p) => p.key)).toEqual(['utm_medium', 'utm_campaign', 'hsa_net', 'hsa_ver', 'hsa_acc', 'hsa_cam', 'hsa_grp', 'hsa_ad']);
    for (const ad of [own, plain]) expect(doubled(linkedInClickKeys(ad.landingUrl!, parameters)), ad.adId).toEqual([]);
    expect(folded.plans.map((plan) => plan.reason?.code)).toEqual(['TEMPLATE_KEYS_LEFT_OUT', 'TEMPLATE_KEYS_LEFT_OUT']);
    // Without the rule (on main) the own-UTM creative's click carried utm_source twice.
    expect(doubled(linkedInClickKeys(own.landingUrl!, linkedInWrite(sweep([plain]))))).toEqual(['utm_source']);
  });

  it('TRK-8 issue15-1 ours already on the campaign is removed once a creative sets the key; the advertiser’s parameter is kept', () => {
    const tagged = [{ key: 'utm_content', value: 'spring-promo' }, ...linkedInWrite(sweep([linkedInAd('2', PLAIN_URL)]))];
    const folded = sweep([linkedInAd('2', PLAIN_URL, tagged), linkedInAd('1', OWN_UTM_URL, tagged)]);
    const parameters = linkedInWrite(folded);
    expect(parameters.find((p) => p.key === 'utm_source')).toBeUndefined();
    expect(parameters[0]).toEqual({ key: 'utm_content', value: 'spring-promo' });
    expect(folded.plans[0]!.appliedParams).toEqual({});
    const again = sweep([linkedInAd('2', PLAIN_URL, parameters), linkedInAd('1', OWN_UTM_URL, parameters)]);
    expect(again.writes).toEqual([]);
  });
});
