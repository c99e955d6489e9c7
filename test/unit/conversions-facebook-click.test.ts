import { describe, expect, it } from 'vitest';
import { facebookBrowserIds, facebookClickCookie } from '../../src/domain/conversions';

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

describe('REP-2 / CONV-9 the fbc and fbp a form submission sends (facebook §8.3)', () => {
  const fbc = `fb.1.${SEEN_AT}.IwAR1`;
  const fbp = 'fb.1.1596403881668.1116446470';

  it.each([
    ['the same moment', 0, true],
    ['a day later', DAY, true],
    ['exactly 90 days later (Meta\'s _fbc lifetime)', 90 * DAY, true],
    ['90 days and a second later', 90 * DAY + 1000, false],
    ['a year later', 365 * DAY, false],
  ])('a stored click id, %s → sent: %s', (_label, after, kept) => {
    expect(facebookBrowserIds({ storedFbc: fbc, atMs: SEEN_AT + after }).fbc).toBe(kept ? fbc : undefined);
  });

  it.each([undefined, null, '', 'fb.3.1.IwAR1', 'garbage', `fb.1.${SEEN_AT}`, `fb.1.${SEEN_AT}.`, `fb.1.${SEEN_AT}.a.b`, `fb.1.${SEEN_AT}.<x>`])(
    'an unusable click id %s is not sent',
    (value) => {
      expect(facebookBrowserIds({ storedFbc: value, cookieFbc: value, atMs: SEEN_AT })).toEqual({});
    },
  );

  it('the pixel\'s _fbc cookie is used when nothing was stored (subdomain index 0-2 accepted)', () => {
    const cookie = `fb.0.${SEEN_AT}.AbCd-_1`;
    expect(facebookBrowserIds({ cookieFbc: cookie, atMs: SEEN_AT + DAY })).toEqual({ fbc: cookie });
  });

  it('of a stored click id and the pixel\'s cookie, the newer click wins', () => {
    const older = `fb.1.${SEEN_AT - DAY}.OlderClick`;
    const newer = `fb.2.${SEEN_AT}.NewerClick`;
    expect(facebookBrowserIds({ storedFbc: older, cookieFbc: newer, atMs: SEEN_AT }).fbc).toBe(newer);
    expect(facebookBrowserIds({ storedFbc: newer, cookieFbc: older, atMs: SEEN_AT }).fbc).toBe(newer);
  });

  it('a click id from more than five minutes in the future (a wrong browser clock) is not believed', () => {
    expect(facebookBrowserIds({ cookieFbc: `fb.1.${SEEN_AT + 4 * 60_000}.Ok`, atMs: SEEN_AT }).fbc).toBeDefined();
    expect(facebookBrowserIds({ cookieFbc: `fb.1.${SEEN_AT + 6 * 60_000}.Late`, atMs: SEEN_AT }).fbc).toBeUndefined();
  });

  it.each([
    [fbp, fbp],
    [` ${fbp} `, fbp],
    ['fb.1.1596403881668.abc', undefined],
    ['fb.1.1596403881668', undefined],
    ['1116446470', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('the _fbp cookie %s → %s', (cookie, sent) => {
    expect(facebookBrowserIds({ cookieFbp: cookie, atMs: SEEN_AT }).fbp).toBe(sent);
  });
});
