import { describe, expect, it } from 'vitest';
import {
  PAGE_URL_MAX_LENGTH,
  UNIQUE_VISITORS_NOTE,
  VISITOR_COOKIE_NAME,
  VISITOR_TOKEN_BYTES,
  hostOf,
  isVisitorToken,
  normalisePageUrl,
  parseVisitorToken,
  visitorTokenFromBytes,
} from '../../src/domain/visitors';

describe('VIS-1 visitor token (first-party cookie value)', () => {
  const token = '0123456789abcdef0123456789abcdef';

  it('VIS-1 a token is exactly 32 lowercase hex characters', () => {
    expect(isVisitorToken(token)).toBe(true);
    for (const bad of ['', token.slice(1), `${token}0`, token.toUpperCase(), `${token.slice(1)}g`, ` ${token}`, 42, null, undefined, {}]) {
      expect(isVisitorToken(bad)).toBe(false);
    }
  });

  it('VIS-1 parsing forgives surrounding whitespace and upper case, rejects anything else', () => {
    expect(parseVisitorToken(`  ${token.toUpperCase()}\n`)).toBe(token);
    expect(parseVisitorToken('not-a-token')).toBeNull();
    expect(parseVisitorToken('0123456789abcdef-0123456789abcde')).toBeNull();
    expect(parseVisitorToken(123)).toBeNull();
  });

  it('VIS-1 the generator turns 16 caller-supplied random bytes into a valid token', () => {
    const bytes = Uint8Array.from({ length: VISITOR_TOKEN_BYTES }, (_, i) => i * 17);
    const generated = visitorTokenFromBytes(bytes);
    expect(generated).toBe('00112233445566778899aabbccddeeff');
    expect(isVisitorToken(generated)).toBe(true);
    expect(visitorTokenFromBytes(new Uint8Array(16))).toBe('0'.repeat(32));
  });

  it('VIS-1 the generator refuses any other number of bytes', () => {
    expect(() => visitorTokenFromBytes(new Uint8Array(15))).toThrow(RangeError);
    expect(() => visitorTokenFromBytes(new Uint8Array(32))).toThrow(RangeError);
  });

  it('VIS-1 the cookie has a fixed first-party name', () => {
    expect(VISITOR_COOKIE_NAME).toMatch(/^[a-z_]+$/);
  });

  it('VIS-6 unique visitors are labelled as an estimate', () => {
    expect(UNIQUE_VISITORS_NOTE).toMatch(/estimate/);
    expect(UNIQUE_VISITORS_NOTE).toMatch(/clears cookies/);
  });
});

describe('page URL normalisation', () => {
  it('drops the fragment and keeps the query as sent', () => {
    expect(normalisePageUrl('https://Shop.TEST/p/spring?utm_source=facebook&x=a+b#offer')).toEqual({
      ok: true,
      url: 'https://shop.test/p/spring?utm_source=facebook&x=a+b',
      truncated: false,
    });
  });

  it('drops credentials (personal data) and default ports', () => {
    expect(normalisePageUrl('http://user:secret@shop.test:80/a')).toMatchObject({ ok: true, url: 'http://shop.test/a' });
  });

  it('caps the length without leaving a broken percent escape', () => {
    const base = 'https://shop.test/p?q=';
    const long = `${base}${'%41'.repeat(1000)}`;
    const result = normalisePageUrl(long);
    if (!result.ok) throw new Error('expected ok');
    expect(result.truncated).toBe(true);
    expect(result.url.length).toBeLessThanOrEqual(PAGE_URL_MAX_LENGTH);
    expect(result.url).toMatch(/(%41)+$/);
    const exact = normalisePageUrl(`${base}${'a'.repeat(20)}`, base.length + 11);
    expect(exact).toEqual({ ok: true, url: `${base}${'a'.repeat(11)}`, truncated: true });
    const cutInEscape = normalisePageUrl(`${base}ab%41`, base.length + 4);
    expect(cutInEscape).toEqual({ ok: true, url: `${base}ab`, truncated: true });
  });

  it('rejects empty values, non-URLs and non-http(s) schemes', () => {
    expect(normalisePageUrl('')).toEqual({ ok: false, reason: 'empty' });
    expect(normalisePageUrl(undefined)).toEqual({ ok: false, reason: 'empty' });
    expect(normalisePageUrl('/relative/path')).toEqual({ ok: false, reason: 'not_a_url' });
    expect(normalisePageUrl('javascript:alert(1)')).toEqual({ ok: false, reason: 'unsupported_scheme' });
    expect(normalisePageUrl('file:///etc/passwd')).toEqual({ ok: false, reason: 'unsupported_scheme' });
  });

  it('hostOf gives the lower-case host or undefined', () => {
    expect(hostOf('https://WWW.Google.com/search?q=x')).toBe('www.google.com');
    expect(hostOf('')).toBeUndefined();
    expect(hostOf('not a url')).toBeUndefined();
    expect(hostOf(undefined)).toBeUndefined();
  });
});
