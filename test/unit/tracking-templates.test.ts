import { describe, expect, it } from 'vitest';
import {
  buildFacebookUrlTags,
  buildGoogleTrackingTemplate,
  facebookTemplatePairs,
  facebookTemplateParams,
  GOOGLE_ACCOUNT_LEVEL_TEMPLATE,
  googleAccountLevelTemplate,
  googleCampaignNameValue,
  googleTemplateParams,
  linkedInTemplateParams,
  lpurlTemplateParams,
  mergeFacebookUrlTags,
  mergeGoogleCampaignTracking,
  mergeLinkedInUrlParameters,
} from '../../src/domain/tracking';
import type { GoogleCampaignState } from '../../src/domain/tracking';

const fbInput = {
  accountId: 'act_1234567890',
  campaignId: '120200',
  campaignName: 'Spring Sale',
  adSetId: '120100',
  adId: '120001',
  isLeadAd: false,
};

describe('TRK-2 Facebook parameters', () => {
  it('TRK-2 url_tags carry exactly the documented parameters, in order', () => {
    expect(buildFacebookUrlTags(fbInput)).toBe(
      'utm_source=facebook&utm_medium=paid&utm_campaign=Spring+Sale&hsa_acc=1234567890&hsa_cam=120200' +
        '&hsa_grp=120100&hsa_ad=120001&hsa_net=facebook&hsa_src={{site_source_name}}&hsa_ver=3',
    );
  });

  it('TRK-2 hsa_acc is the account id without act_', () => {
    expect(facebookTemplateParams(fbInput).find((param) => param.key === 'hsa_acc')?.value).toBe('1234567890');
  });

  it('TRK-2 lead ads add hsa_la=true; hsa_ol is never written (url_tags only reach paid clicks)', () => {
    const tags = buildFacebookUrlTags({ ...fbInput, isLeadAd: true });
    expect(tags.endsWith('&hsa_ver=3&hsa_la=true')).toBe(true);
    expect(tags).not.toContain('hsa_ol');
    expect(buildFacebookUrlTags(fbInput)).not.toContain('hsa_la');
  });

  it('TRK-2/TRK-10 names and ids are literals; only the site source is a network macro', () => {
    const params = facebookTemplateParams(fbInput);
    expect(params.filter((param) => param.kind === 'macro')).toEqual([
      { key: 'hsa_src', value: '{{site_source_name}}', kind: 'macro' },
    ]);
    expect(buildFacebookUrlTags(fbInput)).not.toContain('{{campaign.name}}');
  });

  it('TRK-2 the campaign name is form-encoded the way url_tags expects', () => {
    const tags = buildFacebookUrlTags({ ...fbInput, campaignName: 'Q2 Büro & Co = 100%' });
    expect(tags).toContain('utm_campaign=Q2+B%C3%BCro+%26+Co+%3D+100%25&');
  });

  it('TRK-2 merge keeps the advertiser url_tags and appends only missing keys', () => {
    const { urlTags, added } = mergeFacebookUrlTags('utm_source=newsletter&utm_content={{ad.id}}', null, facebookTemplatePairs(fbInput));
    expect(urlTags.startsWith('utm_source=newsletter&utm_content={{ad.id}}&utm_medium=paid&')).toBe(true);
    expect(urlTags).not.toContain('utm_source=facebook');
    expect(added.map((param) => param.key)).not.toContain('utm_source');
  });

  it('TRK-2 UTMs the advertiser put in the link itself are not added again in url_tags', () => {
    const { urlTags } = mergeFacebookUrlTags('', 'https://shop.test/p?utm_source=newsletter&utm_content=hero', facebookTemplatePairs(fbInput));
    expect(urlTags.startsWith('utm_medium=paid&utm_campaign=Spring+Sale&')).toBe(true);
    expect(urlTags).not.toContain('utm_source');
  });

  it('TRK-2 merge of complete url_tags returns them unchanged (idempotent)', () => {
    const tags = buildFacebookUrlTags(fbInput);
    expect(mergeFacebookUrlTags(tags, null, facebookTemplatePairs(fbInput))).toEqual({ urlTags: tags, added: [] });
  });
});

describe('TRK-5 Google campaign template', () => {
  it('TRK-5 the template carries exactly the documented parameters, with a literal customer id', () => {
    expect(buildGoogleTrackingTemplate({ customerId: '123-456-7890' })).toBe(
      '{lpurl}?utm_term={keyword}&utm_source=adwords&utm_medium=ppc&utm_campaign={_utmcampaign}&hsa_cam={campaignid}' +
        '&hsa_grp={adgroupid}&hsa_mt={matchtype}&hsa_src={network}&hsa_ad={creative}&hsa_acc=1234567890' +
        '&hsa_net=adwords&hsa_kw={keyword}&hsa_tgt={targetid}&hsa_ver=3',
    );
  });

  it('TRK-5 ValueTrack tags are macros, the customer id and constants literals', () => {
    const literals = googleTemplateParams({ customerId: '1234567890' })
      .filter((param) => param.kind === 'literal')
      .map((param) => param.key);
    expect(literals).toEqual(['utm_source', 'utm_medium', 'hsa_acc', 'hsa_net', 'hsa_ver']);
  });

  it('TRK-7 the documented account-level template is exported verbatim', () => {
    expect(GOOGLE_ACCOUNT_LEVEL_TEMPLATE).toBe(
      '{lpurl}?utm_feeditemid={feeditemid}&utm_device={device}&utm_term={keyword}&utm_source=google&utm_medium=ppc' +
        '&utm_campaign={_utmcampaign}&hsa_cam={campaignid}&hsa_grp={adgroupid}&hsa_mt={matchtype}&hsa_src={network}' +
        '&hsa_ad={creative}&hsa_acc={customer id}&hsa_net=adwords&hsa_kw={keyword}&hsa_tgt={targetid}&hsa_ver=3',
    );
    expect(googleAccountLevelTemplate('123-456-7890')).toContain('&hsa_acc=1234567890&');
    expect(googleAccountLevelTemplate('123-456-7890')).not.toContain('{customer id}');
  });

  it('TRK-5 the campaign-name custom parameter is percent-encoded, whitespace-free, at most 200 bytes', () => {
    expect(googleCampaignNameValue('Brand - Search')).toBe('Brand%20-%20Search');
    const long = googleCampaignNameValue('é'.repeat(150));
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long).toBe('%C3%A9'.repeat(33)); // cut on a whole character, never inside an escape
    expect(googleCampaignNameValue('a\tb\nc')).not.toMatch(/\s/);
    expect(decodeURIComponent(googleCampaignNameValue('Q2 {promo} 50%'))).toBe('Q2 {promo} 50%');
  });

  it('TRK-6 lpurlTemplateParams: empty or {lpurl}-first templates merge, others do not', () => {
    expect(lpurlTemplateParams('')).toEqual([]);
    expect(lpurlTemplateParams('  {lpurl}  ')).toEqual([]);
    expect(lpurlTemplateParams('{lpurl}?a=1')?.map((param) => param.key)).toEqual(['a']);
    expect(lpurlTemplateParams('https://track.test/?u={lpurl}')).toBeNull();
    expect(lpurlTemplateParams('{lpurl}/extra?a=1')).toBeNull();
    expect(lpurlTemplateParams('{escapedlpurl}?a=1')).toBeNull();
  });
});

describe('TRK-5 Google merge with existing campaign and account settings', () => {
  const state = (over: Partial<GoogleCampaignState> = {}): GoogleCampaignState => ({
    customerId: '1234567890',
    campaignName: 'Brand - Search',
    campaignTrackingUrlTemplate: '',
    customerTrackingUrlTemplate: '',
    campaignFinalUrlSuffix: '',
    campaignCustomParameters: [],
    ...over,
  });

  it('TRK-5 an empty campaign gets the full template and the utmcampaign custom parameter', () => {
    const merge = mergeGoogleCampaignTracking(state());
    expect(merge).toMatchObject({
      ok: true,
      changed: true,
      trackingUrlTemplate: buildGoogleTrackingTemplate({ customerId: '1234567890' }),
      urlCustomParameters: [{ key: 'utmcampaign', value: 'Brand%20-%20Search' }],
    });
  });

  it('TRK-5 advertiser parameters of the campaign template stay first and are never overwritten', () => {
    const merge = mergeGoogleCampaignTracking(state({ campaignTrackingUrlTemplate: '{lpurl}?utm_source=google&promo={_promo}' }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.trackingUrlTemplate.startsWith('{lpurl}?utm_source=google&promo={_promo}&utm_term={keyword}&utm_medium=ppc&')).toBe(true);
    expect(merge.trackingUrlTemplate).not.toContain('utm_source=adwords');
    expect(merge.added).not.toHaveProperty('utm_source');
  });

  it('TRK-5 existing custom parameters are kept and the full list is returned', () => {
    const merge = mergeGoogleCampaignTracking(state({ campaignCustomParameters: [{ key: 'promo', value: 'spring' }] }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.urlCustomParameters).toEqual([
      { key: 'promo', value: 'spring' },
      { key: 'utmcampaign', value: 'Brand%20-%20Search' },
    ]);
  });

  it('TRK-5/TRK-10 an existing utmcampaign custom parameter is not overwritten', () => {
    const merge = mergeGoogleCampaignTracking(state({ campaignCustomParameters: [{ key: 'utmcampaign', value: 'old-name' }] }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.urlCustomParameters).toEqual([{ key: 'utmcampaign', value: 'old-name' }]);
    expect(merge.added).not.toHaveProperty('_utmcampaign');
  });

  it('TRK-5 with no campaign template, the account template pairs are carried into it', () => {
    const merge = mergeGoogleCampaignTracking(state({ customerTrackingUrlTemplate: '{lpurl}?src=acct&utm_source=google' }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.trackingUrlTemplate.startsWith('{lpurl}?src=acct&utm_source=google&utm_term={keyword}&')).toBe(true);
  });

  it('TRK-7 an account already carrying the documented template needs only the custom parameter, template untouched', () => {
    const merge = mergeGoogleCampaignTracking(state({ customerTrackingUrlTemplate: googleAccountLevelTemplate('1234567890') }));
    expect(merge).toMatchObject({ ok: true, changed: true, trackingUrlTemplate: '', urlCustomParameters: [{ key: 'utmcampaign' }] });
  });

  it('TRK-7 account template plus custom parameter already present: nothing to change', () => {
    const merge = mergeGoogleCampaignTracking(
      state({
        customerTrackingUrlTemplate: googleAccountLevelTemplate('1234567890'),
        campaignCustomParameters: [{ key: 'utmcampaign', value: 'x' }],
      }),
    );
    expect(merge).toMatchObject({ ok: true, changed: false });
  });

  it('TRK-5 an account template that does not start with {lpurl} cannot be merged and is not carried', () => {
    const merge = mergeGoogleCampaignTracking(state({ customerTrackingUrlTemplate: 'https://clicks.test/?u={lpurl}' }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.trackingUrlTemplate).toBe(buildGoogleTrackingTemplate({ customerId: '1234567890' }));
  });

  it('TRK-6 a campaign template not starting with {lpurl} is refused', () => {
    expect(mergeGoogleCampaignTracking(state({ campaignTrackingUrlTemplate: 'https://clicks.test/?u={lpurl}' }))).toEqual({
      ok: false,
      template: 'https://clicks.test/?u={lpurl}',
    });
  });

  it('TRK-5 keys of the campaign final URL suffix already reach the page and are not added', () => {
    const merge = mergeGoogleCampaignTracking(state({ campaignFinalUrlSuffix: 'utm_source=google&utm_medium=cpc' }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.trackingUrlTemplate).not.toContain('utm_source=');
    expect(merge.trackingUrlTemplate).not.toContain('utm_medium=');
  });

  it('TRK-5 with 8 custom parameters taken, utm_campaign is written literally and the list stays at 8', () => {
    const eight = Array.from({ length: 8 }, (_, index) => ({ key: `p${index}`, value: 'v' }));
    const merge = mergeGoogleCampaignTracking(state({ campaignCustomParameters: eight }));
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.urlCustomParameters).toEqual(eight);
    expect(merge.trackingUrlTemplate).toContain('&utm_campaign=Brand%20-%20Search&');
    expect(merge.trackingUrlTemplate).not.toContain('{_utmcampaign}');
  });

  it('TRK-10 a template that lost utm_campaign gets it back; nothing else changes', () => {
    const full = buildGoogleTrackingTemplate({ customerId: '1234567890' });
    const withoutCampaign = full.replace('&utm_campaign={_utmcampaign}', '');
    const merge = mergeGoogleCampaignTracking(
      state({ campaignTrackingUrlTemplate: withoutCampaign, campaignCustomParameters: [{ key: 'utmcampaign', value: 'x' }] }),
    );
    if (!merge.ok) throw new Error('expected a merge');
    expect(merge.trackingUrlTemplate).toBe(`${withoutCampaign}&utm_campaign={_utmcampaign}`);
    expect(merge.added).toEqual({ utm_campaign: '{_utmcampaign}' });
  });

  it('TRK-9 the override replaces utm_source and utm_medium', () => {
    expect(buildGoogleTrackingTemplate({ customerId: '1', override: { utmSource: 'google', utmMedium: 'cpc' } })).toContain(
      '&utm_source=google&utm_medium=cpc&',
    );
  });
});

describe('TRK-8 LinkedIn campaign parameters', () => {
  const input = {
    accountId: 'urn:li:sponsoredAccount:507404993',
    campaignGroupId: 'urn:li:sponsoredCampaignGroup:612734066',
    campaignId: '123456789',
    campaignName: 'Q2 Webinar',
    creativeToken: '<CREATIVE-TOKEN>',
  };

  it('TRK-8 the parameters are exactly the documented list; hsa_ad is the given dynamic token', () => {
    expect(linkedInTemplateParams(input)).toEqual([
      { key: 'utm_source', value: 'linkedin' },
      { key: 'utm_medium', value: 'paid' },
      { key: 'utm_campaign', value: 'Q2 Webinar' },
      { key: 'hsa_net', value: 'linkedin' },
      { key: 'hsa_ver', value: '3' },
      { key: 'hsa_acc', value: '507404993' },
      { key: 'hsa_cam', value: '612734066' },
      { key: 'hsa_grp', value: '123456789' },
      { key: 'hsa_ad', value: '<CREATIVE-TOKEN>' },
    ]);
  });

  it('TRK-8 the token is not hard-coded', () => {
    expect(linkedInTemplateParams({ ...input, creativeToken: 'OTHER' }).at(-1)).toEqual({ key: 'hsa_ad', value: 'OTHER' });
  });

  it('TRK-8 merge keeps the advertiser parameters and never overwrites them', () => {
    const existing = [
      { key: 'utm_source', value: 'newsletter' },
      { key: 'team', value: 'emea' },
    ];
    const { urlParameters, added } = mergeLinkedInUrlParameters(existing, linkedInTemplateParams(input));
    expect(urlParameters.slice(0, 2)).toEqual(existing);
    expect(urlParameters.filter((parameter) => parameter.key === 'utm_source')).toEqual([{ key: 'utm_source', value: 'newsletter' }]);
    expect(added).toHaveLength(8);
  });

  it('TRK-9 the override replaces the LinkedIn defaults; blank values fall back', () => {
    const params = linkedInTemplateParams({ ...input, override: { utmSource: 'li', utmMedium: '  ' } });
    expect(params.slice(0, 2)).toEqual([
      { key: 'utm_source', value: 'li' },
      { key: 'utm_medium', value: 'paid' },
    ]);
  });

  it('TRK-9 the override replaces the Facebook defaults', () => {
    expect(buildFacebookUrlTags({ ...fbInput, override: { utmMedium: 'cpc' } }).startsWith('utm_source=facebook&utm_medium=cpc&')).toBe(true);
  });
});
