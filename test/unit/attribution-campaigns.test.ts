import { describe, expect, it } from 'vitest';
import {
  adCampaignAsset,
  adCampaignAssetOfClick,
  associateAsset,
  campaignContactMetrics,
  campaignOfAssetAt,
  currentCampaignOfAsset,
  dissociateAsset,
  pageViewMatchesTrackingUrl,
  summariseContactCampaigns,
  visibleCampaignAssets,
  withinCampaignDates,
  type AssetRef,
  type Campaign,
  type CampaignAssociation,
  type ContactTouch,
} from '../../src/domain/attribution';
import { identifyClick } from '../../src/domain/tracking';
import { extractSessionSource } from '../../src/domain/visitors';

const day = (d: number, time = '10:00') => `2026-03-${String(d).padStart(2, '0')}T${time}:00.000Z`;

const spring: Campaign = { id: 'spring', name: 'Spring launch', createdAt: day(1, '00:00'), utmCampaign: 'Spring-Sale', startAt: day(1, '00:00'), endAt: day(31, '23:59') };
const summer: Campaign = { id: 'summer', name: 'Summer', createdAt: day(1, '00:00') };
const campaigns = [spring, summer];

const landingPage: AssetRef = { kind: 'landing_page', id: 'lp-spring' };
const pricingPage: AssetRef = { kind: 'web_page', id: 'pricing' };
const demoForm: AssetRef = { kind: 'form', id: 'demo' };
const newsletter: AssetRef = { kind: 'email', id: 'nl-42' };
const trackingUrl: AssetRef = { kind: 'tracking_url', id: 'tu-1' };
const fbCampaign = adCampaignAsset('facebook', '111');
const googleCampaign = adCampaignAsset('google', '901');

function history(...entries: [AssetRef, string, string][]): CampaignAssociation[] {
  let result: CampaignAssociation[] = [];
  for (const [asset, campaignId, at] of entries) result = associateAsset(result, asset, campaignId, at).history;
  return result;
}

const associations = history([landingPage, 'spring', day(2)], [demoForm, 'spring', day(2)], [newsletter, 'spring', day(2)], [fbCampaign, 'spring', day(2)]);

const view = (at: string, url: string, assets: AssetRef[] = [], sessionId = 's1'): ContactTouch => ({ at, kind: 'page_view', url, assets, sessionId });
const submit = (at: string, url: string, assets: AssetRef[] = [], sessionId = 's1'): ContactTouch => ({ at, kind: 'form_submission', url, assets, sessionId });

const summarise = (touches: ContactTouch[], assoc = associations) => summariseContactCampaigns({ touches, campaigns, associations: assoc });

describe('ATT-4 first touch, last touch and influenced campaigns of a contact', () => {
  it('ATT-4 first touch: the first page ever seen carried the campaign\'s utm_campaign', () => {
    const summary = summarise([
      view(day(5, '10:00'), 'https://shop.test/?utm_campaign=spring-sale&utm_source=facebook'),
      view(day(6, '10:00'), 'https://shop.test/?utm_campaign=other'),
    ]);
    expect(summary.firstTouch).toEqual({ at: day(5, '10:00'), utmCampaign: 'spring-sale', campaignId: 'spring' });
  });

  it('ATT-4 first touch: the first page ever seen belongs to the campaign', () => {
    expect(summarise([view(day(5), 'https://shop.test/spring', [landingPage])]).firstTouch).toEqual({ at: day(5), campaignId: 'spring' });
  });

  it('ATT-4 first touch is only the first page: a campaign page seen later does not make it first touch', () => {
    const summary = summarise([view(day(5, '09:00'), 'https://shop.test/'), view(day(5, '09:05'), 'https://shop.test/spring', [landingPage])]);
    expect(summary.firstTouch).toEqual({ at: day(5, '09:00') });
    expect(summary.influenced).toEqual([{ campaignId: 'spring', at: day(5, '09:05') }]);
  });

  it('ATT-4 the first-touch utm_campaign is kept even when no campaign owns it', () => {
    expect(summarise([view(day(5), 'https://shop.test/?utm_campaign=Black+Friday')]).firstTouch).toEqual({ at: day(5), utmCampaign: 'Black Friday' });
  });

  it('ATT-4 a utm_campaign seen before the campaign was created does not belong to it', () => {
    const late = { ...spring, createdAt: day(10) };
    const summary = summariseContactCampaigns({ touches: [view(day(5), 'https://shop.test/?utm_campaign=spring-sale')], campaigns: [late], associations });
    expect(summary.firstTouch).toEqual({ at: day(5), utmCampaign: 'spring-sale' });
  });

  it('ATT-4 last touch: the contact converted on a page whose URL carries the utm_campaign', () => {
    const summary = summarise([view(day(5, '10:00'), 'https://shop.test/'), submit(day(5, '10:03'), 'https://shop.test/contact?utm_campaign=spring-sale')]);
    expect(summary.lastTouch).toEqual({ at: day(5, '10:03'), utmCampaign: 'spring-sale', campaignId: 'spring' });
  });

  it('ATT-4 last touch: the contact visited a campaign asset earlier in the converting session', () => {
    const summary = summarise([
      view(day(5, '10:00'), 'https://shop.test/spring', [landingPage]),
      view(day(5, '10:02'), 'https://shop.test/pricing', [pricingPage]),
      submit(day(5, '10:03'), 'https://shop.test/contact'),
    ]);
    expect(summary.lastTouch).toEqual({ at: day(5, '10:03'), campaignId: 'spring' });
  });

  it('ATT-4 last touch: the contact submitted a form that belongs to the campaign', () => {
    const summary = summarise([view(day(5, '10:00'), 'https://shop.test/'), submit(day(5, '10:03'), 'https://shop.test/demo', [demoForm])]);
    expect(summary.lastTouch).toMatchObject({ campaignId: 'spring' });
  });

  it('ATT-4 last touch: a campaign asset seen in an EARLIER session does not count (it only influenced)', () => {
    const summary = summarise([
      view(day(4, '10:00'), 'https://shop.test/spring', [landingPage], 's0'),
      view(day(5, '10:00'), 'https://shop.test/', [], 's1'),
      submit(day(5, '10:03'), 'https://shop.test/contact', [], 's1'),
    ]);
    expect(summary.lastTouch).toEqual({ at: day(5, '10:03') });
    expect(summary.influenced.map((i) => i.campaignId)).toEqual(['spring']);
  });

  it('ATT-4 last-touch utm_campaign falls back to the converting session\'s landing page (ad click, then navigation)', () => {
    const summary = summarise([
      view(day(5, '10:00'), 'https://shop.test/p/spring?utm_campaign=Spring+Sale&hsa_net=facebook&hsa_acc=1&hsa_cam=111', [fbCampaign]),
      view(day(5, '10:01'), 'https://shop.test/contact'),
      submit(day(5, '10:02'), 'https://shop.test/contact'),
    ]);
    expect(summary.lastTouch).toEqual({ at: day(5, '10:02'), utmCampaign: 'Spring Sale', campaignId: 'spring' });
  });

  it('ATT-4 the last touch is the FIRST conversion; later submissions do not change it', () => {
    const summary = summarise([
      submit(day(5, '10:00'), 'https://shop.test/contact'),
      view(day(6, '10:00'), 'https://shop.test/spring', [landingPage], 's2'),
      submit(day(6, '10:01'), 'https://shop.test/demo', [demoForm], 's2'),
    ]);
    expect(summary.lastTouch).toEqual({ at: day(5, '10:00') });
  });

  it('ATT-4 influenced: touching any campaign asset (e.g. opening a campaign email) influences the campaign', () => {
    const summary = summarise([{ at: day(7), kind: 'email_open', assets: [newsletter] }]);
    expect(summary.influenced).toEqual([{ campaignId: 'spring', at: day(7) }]);
    expect(summary.firstTouch).toBeNull();
    expect(summary.lastTouch).toBeNull();
  });

  it('ATT-4 a contact with no touches has no first touch, last touch or influence', () => {
    expect(summarise([])).toEqual({ firstTouch: null, lastTouch: null, influenced: [] });
  });
});

describe('ATT-5 / CMP-1 assets belong to at most one campaign; history is kept', () => {
  it('ATT-5 associating an asset with another campaign moves it: one campaign per asset', () => {
    const moved = associateAsset(associations, landingPage, 'summer', day(10));
    expect(moved).toMatchObject({ changed: true, movedFrom: 'spring' });
    expect(currentCampaignOfAsset(moved.history, landingPage)).toBe('summer');
    const open = moved.history.filter((a) => a.asset.id === landingPage.id && a.until === undefined);
    expect(open).toHaveLength(1);
  });

  it('ATT-5 associating with the campaign it already belongs to changes nothing', () => {
    const same = associateAsset(associations, landingPage, 'spring', day(10));
    expect(same.changed).toBe(false);
    expect(same.history).toEqual(associations);
  });

  it('ATT-5 moving an asset does not move past attribution: earlier touches stay with the old campaign', () => {
    const moved = associateAsset(associations, landingPage, 'summer', day(10)).history;
    expect(campaignOfAssetAt(moved, landingPage, day(9))).toBe('spring');
    expect(campaignOfAssetAt(moved, landingPage, day(10))).toBe('summer');
    const before = summarise([view(day(9), 'https://shop.test/spring', [landingPage])], moved);
    const after = summarise([view(day(11), 'https://shop.test/spring', [landingPage])], moved);
    expect(before.firstTouch?.campaignId).toBe('spring');
    expect(after.firstTouch?.campaignId).toBe('summer');
  });

  it('ATT-5 / CMP-2 a campaign counts an asset\'s data only from the association time on', () => {
    expect(campaignOfAssetAt(associations, landingPage, day(1))).toBeUndefined();
    const summary = summarise([view(day(1), 'https://shop.test/spring', [landingPage])]);
    expect(summary.firstTouch).toEqual({ at: day(1) });
    expect(summary.influenced).toEqual([]);
  });

  it('CMP-1 removing an asset from its campaign keeps what it counted so far', () => {
    const removed = dissociateAsset(associations, demoForm, day(10));
    expect(removed).toMatchObject({ changed: true, movedFrom: 'spring' });
    expect(currentCampaignOfAsset(removed.history, demoForm)).toBeUndefined();
    expect(campaignOfAssetAt(removed.history, demoForm, day(9))).toBe('spring');
    expect(dissociateAsset(removed.history, demoForm, day(11)).changed).toBe(false);
  });

  it('ad campaign assets use plain ids, so a click and a sync name the same asset', () => {
    expect(adCampaignAsset('linkedin', 'urn:li:sponsoredCampaignGroup:77')).toEqual({ kind: 'ad_campaign', id: 'linkedin:77', network: 'linkedin' });
    const fb = identifyClick(extractSessionSource('https://shop.test/?hsa_net=facebook&hsa_acc=1&hsa_cam=111&hsa_ad=5').hsa);
    expect(adCampaignAssetOfClick(fb)).toEqual(fbCampaign);
    const li = identifyClick(extractSessionSource('https://shop.test/?hsa_net=linkedin&hsa_acc=1&hsa_cam=77&hsa_grp=123&hsa_ad=5').hsa);
    expect(adCampaignAssetOfClick(li)).toEqual({ kind: 'ad_campaign', id: 'linkedin:77', network: 'linkedin' });
    expect(adCampaignAssetOfClick(null)).toBeUndefined();
  });
});

describe('ATT-5 which assets a campaign shows', () => {
  const withUrls = history([trackingUrl, 'spring', day(12)], [googleCampaign, 'spring', day(2)], [fbCampaign, 'spring', day(2)], [demoForm, 'spring', day(2)]);

  it('ATT-5 a tracking URL shows up only after its first visit (a visit before the campaign existed does not count)', () => {
    // The FAQ's example: visited on the 10th, campaign (association) on the 12th → not shown.
    expect(visibleCampaignAssets(spring, withUrls, { [`tracking_url:tu-1`]: [day(10)] })).not.toContainEqual(trackingUrl);
    expect(visibleCampaignAssets(spring, withUrls, { [`tracking_url:tu-1`]: [day(10), day(13)] })).toContainEqual(trackingUrl);
  });

  it('ATT-5 a paid-search (Google) campaign shows up only after its first visit; other assets show at once', () => {
    const none = visibleCampaignAssets(spring, withUrls, {});
    expect(none).toEqual(expect.arrayContaining([fbCampaign, demoForm]));
    expect(none).not.toContainEqual(googleCampaign);
    expect(visibleCampaignAssets(spring, withUrls, { 'ad_campaign:google:901': [day(3)] })).toContainEqual(googleCampaign);
  });

  it('ATT-5 an asset moved to another campaign is no longer shown in the old one', () => {
    const moved = associateAsset(withUrls, demoForm, 'summer', day(20)).history;
    expect(visibleCampaignAssets(spring, moved, {})).not.toContainEqual(demoForm);
    expect(visibleCampaignAssets(summer, moved, {})).toContainEqual(demoForm);
  });

  it('tracking URLs match page views of the same page that carry all their utm values', () => {
    const url = 'https://shop.test/spring/?utm_source=partner&utm_campaign=Spring-Sale';
    expect(pageViewMatchesTrackingUrl(url, 'https://SHOP.test/spring?utm_campaign=spring-sale&utm_source=partner&gclid=x#top')).toBe(true);
    expect(pageViewMatchesTrackingUrl(url, 'https://shop.test/spring?utm_campaign=spring-sale')).toBe(false);
    expect(pageViewMatchesTrackingUrl(url, 'https://shop.test/other?utm_source=partner&utm_campaign=Spring-Sale')).toBe(false);
    expect(pageViewMatchesTrackingUrl('https://shop.test/spring', 'https://shop.test/spring')).toBe(false);
    expect(pageViewMatchesTrackingUrl('not a url', 'https://shop.test/spring')).toBe(false);
  });
});

describe('CMP-2 campaign contact metrics', () => {
  const contacts = [
    // First touch by utm, converted in the same session on the campaign form: first + last + influenced.
    { contactId: 'a', touches: [view(day(5, '10:00'), 'https://shop.test/?utm_campaign=spring-sale'), submit(day(5, '10:05'), 'https://shop.test/demo', [demoForm])] },
    // Organic first page, converted after visiting the campaign landing page in the same session: last touch only.
    { contactId: 'b', touches: [view(day(6, '10:00'), 'https://shop.test/', [], 'b1'), view(day(6, '10:01'), 'https://shop.test/spring', [landingPage], 'b1'), submit(day(6, '10:02'), 'https://shop.test/contact', [], 'b1')] },
    // Only opened the campaign email: influenced.
    { contactId: 'c', touches: [{ at: day(7), kind: 'email_open' as const, assets: [newsletter] }] },
    // Touched the landing page before it joined the campaign: nothing.
    { contactId: 'd', touches: [view(day(1, '12:00'), 'https://shop.test/spring', [landingPage])] },
    // Outside the campaign's dates: nothing.
    { contactId: 'e', touches: [view('2026-04-02T10:00:00.000Z', 'https://shop.test/spring', [landingPage])] },
  ].map(({ contactId, touches }) => ({ contactId, summary: summarise(touches) }));

  it('CMP-2 first-touch, last-touch and influenced contacts, counted from the association time and within the dates', () => {
    expect(campaignContactMetrics(spring, contacts)).toEqual({ firstTouch: ['a'], lastTouch: ['a', 'b'], influenced: ['a', 'b', 'c'] });
  });

  it('CMP-1 the campaign\'s start and end dates bound what is counted', () => {
    const shortSpring = { ...spring, endAt: day(6, '00:00') };
    expect(campaignContactMetrics(shortSpring, contacts)).toEqual({ firstTouch: ['a'], lastTouch: ['a'], influenced: ['a'] });
    expect(withinCampaignDates(spring, day(1, '00:00'))).toBe(true);
    expect(withinCampaignDates(spring, '2026-02-28T23:59:59.000Z')).toBe(false);
    expect(withinCampaignDates({}, '1999-01-01T00:00:00.000Z')).toBe(true);
  });

  it('CMP-2 another campaign counts none of these contacts', () => {
    expect(campaignContactMetrics(summer, contacts)).toEqual({ firstTouch: [], lastTouch: [], influenced: [] });
  });
});
