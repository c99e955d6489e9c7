import { describe, expect, it } from 'vitest';
import {
  autoTrackingWasOn,
  clickMatchesAd,
  expectedParams,
  identifyClick,
  parseTrackingParams,
  planAdTracking,
} from '../../src/domain/tracking';
import type { AccountTrackingContext, AdTrackingPlan } from '../../src/domain/tracking';
import type { AdRecord, AdTracking } from '../../src/networks/types';
import { untaggedGoogleTracking } from '../support/ad-fixtures';

const TOKEN = '%%CREATIVE%%';
const account: AccountTrackingContext = { autoTracking: true, isFirstSweep: false, linkedInCreativeToken: TOKEN };

function ad(network: AdRecord['network'], tracking: AdTracking, over: Partial<Omit<AdRecord, 'tracking'>> = {}): AdRecord {
  return {
    network,
    accountId: '1234567890',
    adId: '5550001',
    name: 'ad',
    status: 'active',
    rawStatus: 'ACTIVE',
    updatedTime: '2026-03-01T00:00:00Z',
    campaign: { id: '111', name: 'Spring Sale' },
    adGroup: { id: '222', name: 'group' },
    landingUrl: 'https://shop.test/p/spring?utm_source=newsletter&utm_content=hero',
    ...over,
    tracking,
  };
}

const facebookAd = (isLeadAd = false) =>
  ad('facebook', { network: 'facebook', creativeId: 'cr', urlTags: '', format: isLeadAd ? 'lead' : 'link', isLeadAd, engagements: 0 }, { accountId: 'act_1234567890' });
const googleAd = (channelType = 'SEARCH') =>
  ad('google', untaggedGoogleTracking({ channelType }));
const linkedInAd = () =>
  ad(
    'linkedin',
    { network: 'linkedin', format: 'SPONSORED_UPDATE', campaignGroupId: 'urn:li:sponsoredCampaignGroup:77', campaignUrlParameters: [] },
    { accountId: '507404993', adId: 'urn:li:sponsoredCreative:172681003', campaign: { id: '123', name: 'Webinar' }, adGroup: { id: '123', name: 'Webinar' } },
  );

/** The URL a visitor lands on, built the way each network resolves what the plan wrote. */
function clickUrl(record: AdRecord, plan: AdTrackingPlan): string {
  const landing = record.landingUrl ?? '';
  const join = (extra: string) => `${landing}${landing.includes('?') ? '&' : '?'}${extra}`;
  const write = plan.write;
  if (write?.network === 'facebook') return join(write.urlTags.replace('{{site_source_name}}', 'ig'));
  if (write?.network === 'linkedin') {
    return join(
      write.urlParameters
        .map(({ key, value }) => `${key}=${encodeURIComponent(value === TOKEN ? '172681003' : value)}`)
        .join('&'),
    );
  }
  if (write?.network === 'google') {
    const valueTrack: Record<string, string> = {
      '{keyword}': 'running+shoes',
      '{campaignid}': '111',
      '{adgroupid}': '222',
      '{creative}': '5550001',
      '{matchtype}': 'e',
      '{network}': 'g',
      '{targetid}': 'kwd-42',
    };
    let url = write.trackingUrlTemplate;
    for (const { key, value } of write.urlCustomParameters) url = url.split(`{_${key}}`).join(value);
    for (const [tag, value] of Object.entries(valueTrack)) url = url.split(tag).join(value);
    // {lpurl} at the start is replaced unescaped; its own query turns the template's '?' into '&'.
    return url.replace('{lpurl}?', landing.includes('?') ? `${landing}&` : `${landing}?`);
  }
  throw new Error('no write');
}

describe('ATT-1 parseTrackingParams', () => {
  it('extracts utm_* and hsa_* only, decoded', () => {
    expect(parseTrackingParams('https://shop.test/p?utm_campaign=Spring+Sale&hsa_ad=9&gclid=abc&ref=x')).toEqual({ utm_campaign: 'Spring Sale', hsa_ad: '9' });
  });

  it('treats unreplaced macros and empty values as missing', () => {
    expect(parseTrackingParams('https://shop.test/p?hsa_src={{site_source_name}}&utm_term={keyword}&utm_campaign={_utmcampaign}&hsa_kw=&utm_source=fb')).toEqual({
      utm_source: 'fb',
    });
    expect(parseTrackingParams('?hsa_src=%7B%7Bsite_source_name%7D%7D')).toEqual({});
  });

  it('the first occurrence wins, so the advertiser UTM in the landing URL keeps precedence', () => {
    expect(parseTrackingParams('https://shop.test/p?utm_source=newsletter&utm_source=linkedin').utm_source).toBe('newsletter');
  });

  it('ignores the fragment and accepts a bare query string', () => {
    expect(parseTrackingParams('https://shop.test/p?hsa_ad=1#hsa_ad=2')).toEqual({ hsa_ad: '1' });
    expect(parseTrackingParams('hsa_ad=1&utm_medium=paid')).toEqual({ hsa_ad: '1', utm_medium: 'paid' });
    expect(parseTrackingParams('https://shop.test/p')).toEqual({});
  });
});

describe('ATT-1 expectedParams', () => {
  it('Facebook: the hsa identity of the ad, hsa_la on lead ads', () => {
    expect(expectedParams(facebookAd())).toEqual({ hsa_net: 'facebook', hsa_acc: '1234567890', hsa_cam: '111', hsa_grp: '222', hsa_ad: '5550001', hsa_ver: '3' });
    expect(expectedParams(facebookAd(true))).toMatchObject({ hsa_la: 'true' });
  });

  it('Google: the hsa identity; Smart campaigns carry no ad group / ad ids', () => {
    expect(expectedParams(googleAd())).toEqual({ hsa_net: 'adwords', hsa_acc: '1234567890', hsa_cam: '111', hsa_grp: '222', hsa_ad: '5550001', hsa_ver: '3' });
    expect(expectedParams(googleAd('SMART'))).toEqual({ hsa_net: 'adwords', hsa_acc: '1234567890', hsa_cam: '111', hsa_ver: '3' });
  });

  it('LinkedIn: campaign group as hsa_cam, campaign as hsa_grp, plain ids', () => {
    expect(expectedParams(linkedInAd())).toEqual({ hsa_net: 'linkedin', hsa_acc: '507404993', hsa_cam: '77', hsa_grp: '123', hsa_ad: '172681003', hsa_ver: '3' });
  });
});

describe('ATT-1 round trip: plan → network click → parse → recognised ad', () => {
  it.each([
    ['facebook', facebookAd()],
    ['facebook lead ad', facebookAd(true)],
    ['google', googleAd()],
    ['linkedin', linkedInAd()],
  ])('%s', (_label, record) => {
    const url = clickUrl(record, planAdTracking(record, account));
    const params = parseTrackingParams(url);
    expect(clickMatchesAd(params, record)).toBe(true);
    expect(params.utm_source).toBe('newsletter'); // the advertiser UTM in the landing URL survives (TRK-2/5/8)
    expect(params.utm_content).toBe('hero');
    expect(params.utm_campaign).toBe(record.network === 'linkedin' ? 'Webinar' : 'Spring Sale');
  });

  it('Facebook: hsa_src is filled by the network', () => {
    const record = facebookAd();
    expect(parseTrackingParams(clickUrl(record, planAdTracking(record, account))).hsa_src).toBe('ig');
  });

  it('a click of another ad does not match', () => {
    const record = googleAd();
    const params = parseTrackingParams(clickUrl(record, planAdTracking(record, account)));
    expect(clickMatchesAd(params, { ...record, adId: '5550002' })).toBe(false);
    expect(clickMatchesAd({ ...params, hsa_net: 'facebook' }, record)).toBe(false);
    expect(clickMatchesAd({}, record)).toBe(false);
  });

  it('ids match across network spellings (act_, urn, dashes, adGroupId~adId)', () => {
    const record = { ...googleAd(), accountId: '123-456-7890', adId: '222~5550001' };
    expect(clickMatchesAd({ hsa_net: 'adwords', hsa_acc: '1234567890', hsa_cam: '111', hsa_grp: '222', hsa_ad: '5550001', hsa_ver: '3' }, record)).toBe(true);
  });
});

describe('ATT-1 identifyClick', () => {
  it('maps hsa_net to the network and reads the ids', () => {
    expect(identifyClick({ hsa_net: 'adwords', hsa_acc: '1234567890', hsa_cam: '111', hsa_grp: '222', hsa_ad: '5' })).toEqual({
      network: 'google',
      accountId: '1234567890',
      campaignId: '111',
      adGroupId: '222',
      adId: '5',
    });
  });

  it('LinkedIn: hsa_cam is the campaign group, hsa_grp the campaign', () => {
    expect(identifyClick({ hsa_net: 'linkedin', hsa_cam: '77', hsa_grp: '123', hsa_ad: '9' })).toEqual({
      network: 'linkedin',
      campaignGroupId: '77',
      campaignId: '123',
      adGroupId: '123',
      adId: '9',
    });
  });

  it('untagged or unknown networks give null', () => {
    expect(identifyClick({ utm_source: 'x' })).toBeNull();
    expect(identifyClick({ hsa_net: 'tiktok' })).toBeNull();
  });
});

describe('ACC-5 attribution only for clicks while auto-tracking was on', () => {
  const history = [
    { at: '2026-01-10T00:00:00Z', enabled: true },
    { at: '2026-02-01T00:00:00Z', enabled: false },
    { at: '2026-03-01T00:00:00Z', enabled: true },
  ];

  it.each([
    ['2026-01-09T23:59:59Z', false],
    ['2026-01-10T00:00:00Z', true],
    ['2026-01-20T00:00:00Z', true],
    ['2026-02-15T00:00:00Z', false],
    ['2026-03-02T00:00:00Z', true],
  ])('click at %s → %s', (clickAt, expected) => {
    expect(autoTrackingWasOn(history, clickAt)).toBe(expected);
  });

  it('order of the history does not matter; no history or a bad time means off', () => {
    expect(autoTrackingWasOn([...history].reverse(), '2026-02-15T00:00:00Z')).toBe(false);
    expect(autoTrackingWasOn([], '2026-02-15T00:00:00Z')).toBe(false);
    expect(autoTrackingWasOn(history, 'yesterday')).toBe(false);
  });
});
