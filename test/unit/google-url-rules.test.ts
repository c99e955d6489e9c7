import { describe, expect, it } from 'vitest';
import { appendQuery } from '../../src/sandboxes/google/click';
import { customParametersProblem, finalUrlSuffixProblem, trackingTemplateProblem } from '../../src/sandboxes/google/url-rules';

/** §3.3 URL validation and §3.4 custom parameter limits as the sandbox enforces them. */

describe('§3.3 tracking template validation', () => {
  it.each([
    ['{lpurl}?utm_source=adwords&utm_campaign={_utmcampaign}&hsa_kw={keyword}', 'campaign', undefined],
    ['https://tracker.example/c?u={escapedlpurl}', 'campaign', undefined],
    ['https://tracker.example/c?a=1', 'ad', undefined],
    ['https://tracker.example/c?a=1', 'campaign', 'MISSING_TRACKING_URL_TEMPLATE_TAG'],
    ['{lpurl}?hsa_acc={customer id}', 'campaign', 'INVALID_TAG_IN_TRACKING_URL_TEMPLATE'],
    ['tracker.example/{lpurl}', 'campaign', 'MISSING_PROTOCOL_IN_TRACKING_URL_TEMPLATE'],
    ['ftp://tracker.example/{lpurl}', 'campaign', 'INVALID_PROTOCOL_IN_TRACKING_URL_TEMPLATE'],
    ['{lpurl}?a={b', 'campaign', 'MALFORMED_TRACKING_URL_TEMPLATE'],
    ['{lpurl}?a=b c', 'campaign', 'MALFORMED_TRACKING_URL_TEMPLATE'],
  ] as const)('%s at %s level → %s', (template, level, code) => {
    expect(trackingTemplateProblem(template, level)?.code).toBe(code);
  });

  it('accepts an empty template (clears it) and checks the final URL suffix', () => {
    expect(trackingTemplateProblem('', 'campaign')).toBeUndefined();
    expect(finalUrlSuffixProblem('a=1&b={campaignid}')).toBeUndefined();
    expect(finalUrlSuffixProblem('&a=1')?.code).toBe('FINAL_URL_SUFFIX_MALFORMED');
    expect(finalUrlSuffixProblem('u={lpurl}')?.code).toBe('INVALID_TAG_IN_FINAL_URL_SUFFIX');
  });
});

describe('§3.4 custom parameter limits', () => {
  const params = (n: number) => Array.from({ length: n }, (_v, i) => ({ key: `key${i}`, value: `v${i}` }));
  it('allows 8 parameters and rejects 9', () => {
    expect(customParametersProblem(params(8))).toBeUndefined();
    expect(customParametersProblem(params(9))?.code).toBe('URL_CUSTOM_PARAMETERS_COUNT_EXCEEDS_LIMIT');
  });
  it('points at the offending parameter and field', () => {
    const problem = customParametersProblem([{ key: 'ok', value: 'x' }, { key: 'bad-key', value: 'x' }]);
    expect(problem).toMatchObject({ code: 'INVALID_CHARACTERS_IN_URL_CUSTOM_PARAMETER_KEY', subPath: [{ fieldName: 'url_custom_parameters', index: 1 }, { fieldName: 'key' }] });
    expect(customParametersProblem([{ key: 'a', value: '' }])?.code).toBe('NULL_CUSTOM_PARAMETER_VALUE');
    expect(customParametersProblem([{ key: 'a', value: 'x' }, { key: 'a', value: 'y' }])?.code).toBe('INVALID_VALUE');
  });
});

describe('§3.4 query assembly', () => {
  it('appends before a fragment, with ? or & as the URL needs', () => {
    expect(appendQuery('https://x.example/p', 'a=1')).toBe('https://x.example/p?a=1');
    expect(appendQuery('https://x.example/p?z=0#top', 'a=1')).toBe('https://x.example/p?z=0&a=1#top');
    expect(appendQuery('https://x.example/p', '')).toBe('https://x.example/p');
  });
});
