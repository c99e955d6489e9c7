import { describe, expect, it } from 'vitest';
import { untrustedJsonResponse, withoutNul } from '../../src/networks/untrusted-json';

describe('issue15 network answers without U+0000', () => {
  it('drops U+0000 from strings and keys at any depth and keeps everything else as it was', () => {
    const answer = { data: [{ id: '1', name: 'a\u0000b', tags: ['x\u0000', 2, null, true], 'k\u0000ey': { deep: '\u0000' } }], paging: { next: 'https://x/?a=%00' } };
    expect(withoutNul(answer)).toEqual({ data: [{ id: '1', name: 'ab', tags: ['x', 2, null, true], key: { deep: '' } }], paging: { next: 'https://x/?a=%00' } });
    expect(withoutNul('plain')).toBe('plain');
  });

  it('parses the raw JSON text the way axios does, then strips', () => {
    const parse = (raw: string) => untrustedJsonResponse.reduce<unknown>((data, transform) => transform.call({ responseType: 'json', transitional: {} } as never, data, undefined as never), raw);
    expect(parse('{"name":"a\\u0000b","n":1}')).toEqual({ name: 'ab', n: 1 });
  });
});
