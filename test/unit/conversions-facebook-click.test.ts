import { describe, expect, it } from 'vitest';
import { currentFacebookClickCookie, facebookClickCookie } from '../../src/domain/conversions';

const SEEN_AT = Date.parse('2026-11-20T10:15:00Z');
const DAY = 86_400_000;

describe('REP-2 / CONV-9 Facebook click id (fbc) from a landing URL\'s fbclid (facebook §8.3)', () => {
  it('builds fb.{subdomain_index}.{creation_ms}.{fbclid} with subdomain index 1 and the first-seen time', () => {
    expect(facebookClickCookie('IwAR2F4-7dC_xyz', SEEN_AT)).toBe(`fb.1.${SEEN_AT}.IwAR2F4-7dC_xyz`);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
    ['with a dot (would shift the fields)', 'abc.def'],
    ['with a space', 'abc def'],
    ['with markup', '<script>'],
    ['URL-encoded junk', 'a%20b'],
    ['over 500 characters', 'a'.repeat(501)],
  ])('a %s fbclid gives no fbc', (_label, fbclid) => {
    expect(facebookClickCookie(fbclid, SEEN_AT)).toBeUndefined();
  });

  it('surrounding whitespace is trimmed; 500 characters are accepted', () => {
    expect(facebookClickCookie('  IwAR1 ', SEEN_AT)).toBe(`fb.1.${SEEN_AT}.IwAR1`);
    expect(facebookClickCookie('b'.repeat(500), SEEN_AT)).toBe(`fb.1.${SEEN_AT}.${'b'.repeat(500)}`);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('a creation time of %s gives no fbc', (ms) => {
    expect(facebookClickCookie('IwAR1', ms)).toBeUndefined();
  });
});

describe('the stored fbc lives as long as Meta\'s _fbc cookie (90 days)', () => {
  const fbc = `fb.1.${SEEN_AT}.IwAR1`;

  it.each([
    ['the same moment', 0, true],
    ['a day later', DAY, true],
    ['exactly 90 days later', 90 * DAY, true],
    ['90 days and a second later', 90 * DAY + 1000, false],
    ['a year later', 365 * DAY, false],
  ])('%s → %s', (_label, after, kept) => {
    expect(currentFacebookClickCookie(fbc, SEEN_AT + after)).toBe(kept ? fbc : undefined);
  });

  it.each([undefined, null, '', 'fb.2.x.IwAR1', 'garbage', `fb.1.${SEEN_AT}`, `fb.1.${SEEN_AT}.`, `fb.1.${SEEN_AT}.a.b`])('an unusable stored value %s is not sent', (stored) => {
    expect(currentFacebookClickCookie(stored, SEEN_AT)).toBeUndefined();
  });
});
