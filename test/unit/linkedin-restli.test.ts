import { describe, expect, it } from 'vitest';
import { campaignUrlParametersAdapter, LINKEDIN_CREATIVE_ID_TOKEN } from '../../src/networks/linkedin/campaign-url-parameters';
import { errorFromResponse } from '../../src/networks/linkedin/errors';
import { buildQuery, encodeRestli, List, Raw, Rec, renderParam } from '../../src/networks/linkedin/restli';
import { parseRestliValue } from '../../src/sandboxes/linkedin/restli';
import { appendToLandingUrl, parseTrackingParameters, resolveTrackingParameters } from '../../src/sandboxes/linkedin/url-tracking';

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

describe('§2.7 campaign URL tracking parameters (unconfirmed shape, one adapter)', () => {
  it('§2.7 token names become dynamic values, everything else custom values, order kept', () => {
    const patch = campaignUrlParametersAdapter.patch([
      { key: 'utm_source', value: 'linkedin' },
      { key: 'hsa_ad', value: LINKEDIN_CREATIVE_ID_TOKEN },
    ]);
    expect(patch).toEqual({
      patch: { $set: { trackingParameters: [{ key: 'utm_source', value: { customValue: 'linkedin' } }, { key: 'hsa_ad', value: { dynamicValue: 'CREATIVE_ID' } }] } },
    });
    const accepted = parseTrackingParameters(patch.patch.$set.trackingParameters);
    expect(accepted.ok).toBe(true);
    expect(campaignUrlParametersAdapter.read({ trackingParameters: patch.patch.$set.trackingParameters })).toEqual([
      { key: 'utm_source', value: 'linkedin' },
      { key: 'hsa_ad', value: 'CREATIVE_ID' },
    ]);
    expect(campaignUrlParametersAdapter.read({})).toEqual([]);
  });

  it('§2.7 served parameters resolve tokens and are appended to the end of the URL, after a "#" too', () => {
    const parsed = parseTrackingParameters([
      { key: 'utm_campaign', value: { dynamicValue: 'CAMPAIGN_NAME' } },
      { key: 'hsa_ad', value: { dynamicValue: 'CREATIVE_ID' } },
    ]);
    if (!parsed.ok) throw new Error(parsed.message);
    const pairs = resolveTrackingParameters(parsed.value, {
      accountId: 1,
      accountName: 'A',
      campaignGroupId: 2,
      campaignGroupName: 'G',
      campaignId: 3,
      campaignName: 'Q2 Webinar',
      creativeId: 4,
    });
    expect(appendToLandingUrl('https://x.example/p', pairs)).toBe('https://x.example/p?utm_campaign=Q2%20Webinar&hsa_ad=4');
    expect(appendToLandingUrl('https://x.example/p?a=1', pairs)).toBe('https://x.example/p?a=1&utm_campaign=Q2%20Webinar&hsa_ad=4');
    expect(appendToLandingUrl('https://x.example/p#offer', pairs)).toBe('https://x.example/p#offer?utm_campaign=Q2%20Webinar&hsa_ad=4');
  });

  it('§2.7 the emulator rejects unknown tokens, duplicate keys and both value kinds at once', () => {
    expect(parseTrackingParameters([{ key: 'a', value: { dynamicValue: 'NOPE' } }]).ok).toBe(false);
    expect(parseTrackingParameters([{ key: 'a', value: { customValue: '1' } }, { key: 'a', value: { customValue: '2' } }]).ok).toBe(false);
    expect(parseTrackingParameters([{ key: 'a', value: { customValue: '1', dynamicValue: 'CAMPAIGN_ID' } }]).ok).toBe(false);
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
