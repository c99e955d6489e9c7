import { describe, expect, it } from 'vitest';
import { campaignUrlParametersAdapter, LINKEDIN_CREATIVE_ID_TOKEN } from '../../src/networks/linkedin/campaign-url-parameters';
import { errorFromResponse } from '../../src/networks/linkedin/errors';
import { buildQuery, encodeRestli, List, Raw, Rec, renderParam } from '../../src/networks/linkedin/restli';
import { parseRestliValue } from '../../src/sandboxes/linkedin/restli';
import { adTrackingParametersView, appendToLandingUrl, parseAdTrackingParameters, resolveTrackingParameters } from '../../src/sandboxes/linkedin/url-tracking';

describe('§0 Rest.li 2.0 encoding (client)', () => {
  it('§0 URNs are percent-encoded, including the characters encodeURIComponent leaves alone', () => {
    expect(encodeRestli('urn:li:sponsoredAccount:507404993')).toBe('urn%3Ali%3AsponsoredAccount%3A507404993');
    expect(encodeRestli("a(b),c:d!'*")).toBe('a%28b%29%2Cc%3Ad%21%27%2A');
  });

  it('§0 lists and records keep ( ) , : literal; nesting works', () => {
    const query = buildQuery({
      q: 'search',
      search: Rec({ status: Rec({ values: List('ACTIVE', 'PAUSED') }), campaignGroup: Rec({ values: List('urn:li:sponsoredCampaignGroup:1') }) }),
      pageToken: undefined,
      fields: Raw('id,name'),
      pageSize: 100,
    });
    expect(query).toBe('q=search&search=(status:(values:List(ACTIVE,PAUSED)),campaignGroup:(values:List(urn%3Ali%3AsponsoredCampaignGroup%3A1)))&fields=id,name&pageSize=100');
  });

  it('§0 what the client renders the emulator parses back to the same structure', () => {
    const tricky = 'Q2 Webinar & more (EMEA): 50%, ok';
    const rendered = renderParam(Rec({ a: List(tricky, 'urn:li:share:1'), b: Rec({ start: 1714521600000 }), c: true }));
    expect(parseRestliValue(rendered)).toEqual({ a: [tricky, 'urn:li:share:1'], b: { start: '1714521600000' }, c: 'true' });
  });

  it('§0 the emulator refuses malformed values', () => {
    expect(() => parseRestliValue('List(a,b')).toThrow(/Invalid Rest.li value/);
    expect(() => parseRestliValue('(a:b')).toThrow();
    expect(() => parseRestliValue('urn:li:x:1')).toThrow();
  });
});

describe('TRK-8 §2.7 Dynamic UTM tracking: the adTrackingParameters resource (docs/linkedin-tracking-parameters.md)', () => {
  const URN = 'urn:li:sponsoredCampaign:123';
  const VERSION = '202608';

  it('TRK-8 the client addresses the resource by an encoded campaign key and splits tokens from literals into the two maps', () => {
    expect(campaignUrlParametersAdapter.path('123')).toBe('/adTrackingParameters/(adEntity:(sponsoredCampaign:urn%3Ali%3AsponsoredCampaign%3A123))');
    expect(parseRestliValue(campaignUrlParametersAdapter.path('123').split('/')[2]!)).toEqual({ adEntity: { sponsoredCampaign: URN } });
    const body = campaignUrlParametersAdapter.body('123', [
      { key: 'utm_source', value: 'linkedin' },
      { key: 'hsa_ad', value: LINKEDIN_CREATIVE_ID_TOKEN },
    ]);
    expect(body).toEqual({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { hsa_ad: 'CREATIVE_ID' }, customValueParameters: { utm_source: 'linkedin' } });
    const accepted = parseAdTrackingParameters(body, URN, VERSION);
    if (!accepted.ok) throw new Error(accepted.message);
    expect(campaignUrlParametersAdapter.read(adTrackingParametersView(URN, accepted.value))).toEqual([
      { key: 'utm_source', value: 'linkedin' },
      { key: 'hsa_ad', value: 'CREATIVE_ID' },
    ]);
    expect(campaignUrlParametersAdapter.read(undefined)).toEqual([]);
  });

  it('§2.7 served parameters resolve tokens and are appended to the end of the URL, after a "#" too', () => {
    const parsed = parseAdTrackingParameters({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { utm_campaign: 'CAMPAIGN_NAME', hsa_ad: 'CREATIVE_ID' } }, URN, VERSION);
    if (!parsed.ok) throw new Error(parsed.message);
    const pairs = resolveTrackingParameters(parsed.value, {
      accountId: 1,
      accountName: 'A',
      campaignGroupId: 2,
      campaignGroupName: 'G',
      campaignId: 3,
      campaignName: 'Q2 Webinar',
      creativeId: 4,
      creativeName: 'Ad 4',
    });
    expect(appendToLandingUrl('https://x.example/p', pairs)).toBe('https://x.example/p?utm_campaign=Q2%20Webinar&hsa_ad=4');
    expect(appendToLandingUrl('https://x.example/p?a=1', pairs)).toBe('https://x.example/p?a=1&utm_campaign=Q2%20Webinar&hsa_ad=4');
    expect(appendToLandingUrl('https://x.example/p#offer', pairs)).toBe('https://x.example/p#offer?utm_campaign=Q2%20Webinar&hsa_ad=4');
  });

  it('TRK-8 the emulator validates like Rest.li: adEntity required and matching, maps not lists, known tokens, unique keys, no unknown fields', () => {
    const problem = (body: unknown, version = VERSION) => {
      const result = parseAdTrackingParameters(body, URN, version);
      return result.ok ? 'ok' : result.message;
    };
    expect(problem({ customValueParameters: { a: '1' } })).toBe('ERROR :: /adEntity :: field is required');
    expect(problem({ adEntity: { sponsoredCampaign: 'urn:li:sponsoredCampaign:9' } })).toMatch(/^ERROR :: \/adEntity ::/);
    expect(problem({ adEntity: { sponsoredCampaign: URN }, customValueParameters: [{ key: 'a', value: '1' }] })).toMatch(/customValueParameters :: must be a map/);
    expect(problem({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { a: 'NOPE' } })).toMatch(/not a symbol of AdDynamicTrackingParameterValue/);
    expect(problem({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { a: 'CAMPAIGN_ID' }, customValueParameters: { a: '1' } })).toMatch(/unique/);
    expect(problem({ adEntity: { sponsoredCampaign: URN }, trackingParameters: [] })).toBe('ERROR :: /trackingParameters :: unrecognized field found but not allowed');
    expect(problem({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { n: 'CREATIVE_NAME' } }, '202605')).toMatch(/not a symbol/);
    expect(problem({ adEntity: { sponsoredCampaign: URN }, dynamicValueParameters: { n: 'CREATIVE_NAME' } }, '202606')).toBe('ok');
  });
});

describe('§6 error envelope → NetworkError', () => {
  const cases: [string, number, unknown, Record<string, unknown>, { kind: string; code: string; retryAfterMs?: number }][] = [
    ['expired token', 401, { status: 401, serviceErrorCode: 65601, code: 'EXPIRED_ACCESS_TOKEN', message: 'expired' }, {}, { kind: 'auth', code: 'EXPIRED_ACCESS_TOKEN' }],
    ['revoked token without code', 401, { status: 401, serviceErrorCode: 65602, message: 'revoked' }, {}, { kind: 'auth', code: 'REVOKED_ACCESS_TOKEN' }],
    ['empty token', 401, { status: 401, serviceErrorCode: 401, message: 'Empty oauth2_access_token' }, {}, { kind: 'auth', code: '401' }],
    ['access denied', 403, { status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'no' }, {}, { kind: 'permission', code: 'ACCESS_DENIED' }],
    ['not found', 404, { status: 404, message: 'gone' }, {}, { kind: 'not_found', code: 'HTTP_404' }],
    ['too many entities', 400, { status: 400, message: 'Request would return too many entities. ' }, {}, { kind: 'invalid', code: 'HTTP_400' }],
    ['validation', 422, { status: 422, code: 'FIELD_VALUE_INVALID', message: 'bad' }, {}, { kind: 'invalid', code: 'FIELD_VALUE_INVALID' }],
    ['inactive version', 426, { status: 426, code: 'NONEXISTENT_VERSION', message: 'old' }, {}, { kind: 'invalid', code: 'NONEXISTENT_VERSION' }],
    ['throttled with a Retry-After anyway', 429, { status: 429, message: 'throttle' }, { 'retry-after': '5' }, { kind: 'rate_limited', code: 'HTTP_429', retryAfterMs: 5_000 }],
    ['concurrent modification', 409, { status: 409, message: 'conflict' }, {}, { kind: 'transient', code: 'HTTP_409' }],
    ['server error', 503, 'Service Unavailable', {}, { kind: 'transient', code: 'HTTP_503' }],
    ['dead refresh token', 400, { error: 'invalid_grant', error_description: 'expired' }, {}, { kind: 'auth', code: 'invalid_grant' }],
    ['wrong app secret', 401, { error: 'invalid_client', error_description: 'Client authentication failed' }, {}, { kind: 'invalid', code: 'invalid_client' }],
  ];
  for (const [name, status, body, headers, expected] of cases) {
    it(`§6 ${name} (${status}) → ${expected.kind}`, () => {
      const error = errorFromResponse(status, body, headers);
      expect(error).toMatchObject({ ...expected, httpStatus: status });
      if (expected.retryAfterMs === undefined) expect(error.retryAfterMs).toBeUndefined();
    });
  }
});
