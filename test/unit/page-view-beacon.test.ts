import { describe, expect, it } from 'vitest';
import { quickPageView } from '../../src/api/routes/page-view-beacon';
import { pageViewSchema } from '../../src/api/routes/visitors';

const token = '0123456789abcdef0123456789abcdef';
const base = { visitorToken: token, url: 'https://shop.example.com/p/1?utm_source=x' };

/** Valid, invalid and borderline bodies: every rule of pageViewSchema on each side of its edge. */
const corpus: unknown[] = [
  base,
  { ...base, visitorToken: ` ${token.toUpperCase()} ` },
  { ...base, visitorToken: token.slice(1) },
  { ...base, visitorToken: 42 },
  { url: base.url },
  { ...base, url: '' },
  { ...base, url: 'x'.repeat(8192) },
  { ...base, url: 'x'.repeat(8193) },
  { ...base, url: '😀'.repeat(4096) },
  { ...base, url: '😀'.repeat(4097) },
  { ...base, url: null },
  { ...base, referrer: 'https://google.com/' },
  { ...base, referrer: 'r'.repeat(8193) },
  { ...base, referrer: null },
  { ...base, referrer: undefined },
  { ...base, title: 't'.repeat(2000) },
  { ...base, title: 't'.repeat(2001) },
  { ...base, title: 7 },
  { ...base, pageViewId: 'abcd_123-XYZ' },
  { ...base, pageViewId: 'short' },
  { ...base, pageViewId: 'a'.repeat(64) },
  { ...base, pageViewId: 'a'.repeat(65) },
  { ...base, pageViewId: 'has space in it' },
  { ...base, extra: 1 },
  { ...base, __proto__: { inherited: true } },
  [base],
  'a string',
  null,
  {},
];

describe('page-view beacon fast path (VIS-1, issue 12 P8)', () => {
  it('VIS-1 accepts a body only when pageViewSchema accepts it, with the same output; everything else is left to the schema', () => {
    let accepted = 0;
    for (const body of corpus) {
      const quick = quickPageView(body);
      const schema = pageViewSchema.safeParse(body);
      if (quick === null) continue;
      accepted += 1;
      expect(schema.success, JSON.stringify(body).slice(0, 80)).toBe(true);
      expect(quick).toEqual(schema.data);
    }
    // The common beacons do take the fast path.
    expect(accepted).toBeGreaterThanOrEqual(9);
    expect(quickPageView({ ...base, referrer: 'https://google.com/', title: 'Shop', pageViewId: 'abcdefgh' })).toEqual({
      ...base,
      referrer: 'https://google.com/',
      title: 'Shop',
      pageViewId: 'abcdefgh',
    });
  });
});
