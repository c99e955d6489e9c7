import { describe, expect, it } from 'vitest';
import {
  decodeComponent,
  formEncode,
  mergeMissing,
  parseQuery,
  queryOfUrl,
  serialiseQuery,
  toQueryParam,
  toRecord,
} from '../../src/domain/tracking';

describe('query-string: parse and serialise keep the advertiser text', () => {
  it('parses pairs in order with decoded keys and values', () => {
    const params = parseQuery('utm_source=news+letter&utm_content=%C3%A9t%C3%A9&flag&empty=');
    expect(params.map((param) => [param.key, param.value])).toEqual([
      ['utm_source', 'news letter'],
      ['utm_content', 'été'],
      ['flag', ''],
      ['empty', ''],
    ]);
  });

  it('round-trips untouched strings byte for byte, macros and odd encodings included', () => {
    const tags = 'utm_source=facebook&utm_content={{ad.id}}&x=%7Bbrace%7D&y=a%20b&z=a+b&flag';
    expect(serialiseQuery(parseQuery(tags))).toBe(tags);
  });

  it('ignores a leading "?" and empty pieces', () => {
    expect(parseQuery('?a=1&&b=2').map((param) => param.key)).toEqual(['a', 'b']);
    expect(parseQuery('')).toEqual([]);
    expect(parseQuery('?')).toEqual([]);
  });

  it('keeps malformed percent-encoding as written instead of failing', () => {
    expect(decodeComponent('100%')).toBe('100%');
    expect(parseQuery('a=%E0%A4%A')[0]?.value).toBe('%E0%A4%A');
  });

  it('extracts the query of a URL without its fragment', () => {
    expect(queryOfUrl('https://x.test/p?a=1&b=2#offer')).toBe('a=1&b=2');
    expect(queryOfUrl('https://x.test/p#a?b=1')).toBe('');
    expect(queryOfUrl('https://x.test/p')).toBe('');
  });

  it('form-encodes like url_tags expects: space as "+", reserved characters escaped', () => {
    expect(formEncode('Spring Sale & more')).toBe('Spring+Sale+%26+more');
    expect(formEncode('a=b/c?d#e')).toBe('a%3Db%2Fc%3Fd%23e');
    expect(formEncode('Büro')).toBe('B%C3%BCro');
  });

  it('writes macros verbatim and literals encoded', () => {
    expect(toQueryParam({ key: 'hsa_src', value: '{{site_source_name}}', kind: 'macro' }, formEncode).raw).toBe(
      'hsa_src={{site_source_name}}',
    );
    expect(toQueryParam({ key: 'utm_campaign', value: 'A B', kind: 'literal' }, formEncode).raw).toBe('utm_campaign=A+B');
  });

  it('toRecord keeps the first value of a repeated key', () => {
    expect(toRecord(parseQuery('a=1&a=2&b=3'))).toEqual({ a: '1', b: '3' });
  });
});

describe('TRK-2/TRK-5 merge never overwrites an existing key', () => {
  const template = parseQuery('utm_source=facebook&utm_medium=paid&utm_campaign=Spring+Sale&hsa_ver=3');

  it('keeps the advertiser values and order, appends only missing keys', () => {
    const existing = parseQuery('utm_source=newsletter&utm_content=hero');
    const { merged, added } = mergeMissing(existing, template);
    expect(serialiseQuery(merged)).toBe(
      'utm_source=newsletter&utm_content=hero&utm_medium=paid&utm_campaign=Spring+Sale&hsa_ver=3',
    );
    expect(added.map((param) => param.key)).toEqual(['utm_medium', 'utm_campaign', 'hsa_ver']);
  });

  it('treats keys set elsewhere (alsoPresent) as present', () => {
    const { added } = mergeMissing([], template, new Set(['utm_source', 'hsa_ver']));
    expect(added.map((param) => param.key)).toEqual(['utm_medium', 'utm_campaign']);
  });

  it('adds nothing when every key is already there, whatever the values (idempotent)', () => {
    const existing = parseQuery('utm_source=x&utm_medium=y&utm_campaign=Old+Name&hsa_ver=2');
    const { merged, added } = mergeMissing(existing, template);
    expect(added).toEqual([]);
    expect(serialiseQuery(merged)).toBe('utm_source=x&utm_medium=y&utm_campaign=Old+Name&hsa_ver=2');
  });

  it('never appends a template key twice', () => {
    const { added } = mergeMissing([], [...template, ...template]);
    expect(added).toHaveLength(template.length);
  });
});
