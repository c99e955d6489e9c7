import { describe, expect, it } from 'vitest';
import { checkLandingUrl, landingUrlToProbe, SHORTENER_HOSTS, shortenerOf } from '../../src/domain/tracking';

const fb = { network: 'facebook' as const };
const google = { network: 'google' as const };
const linkedin = { network: 'linkedin' as const };

describe('TRK-3/TRK-6/TRK-8 full URL required', () => {
  it.each([null, '', '   ', '/p/spring', 'example.com/p', 'ftp://example.com/p', 'mailto:a@b.test', 'https://exa mple.com/p', 'javascript:alert(1)'])(
    'INVALID_URL for %j',
    (url) => {
      expect(checkLandingUrl(url, fb)?.code).toBe('INVALID_URL');
    },
  );

  it.each(['https://example.com/p', 'http://127.0.0.1:4567/p/spring', 'https://shop.example.co.uk/p?utm_source=newsletter'])(
    'accepts %s',
    (url) => {
      expect(checkLandingUrl(url, google)).toBeNull();
    },
  );

  it('the reason carries a human explanation and is not a retry candidate', () => {
    const reason = checkLandingUrl('example.com', fb);
    expect(reason?.message).toContain('"example.com"');
    expect(reason?.retryable).toBe(false);
  });
});

describe('TRK-3/TRK-6/TRK-8 link shorteners', () => {
  it.each(SHORTENER_HOSTS.filter((host) => host !== 'lnkd.in'))('SHORTENED_URL for %s on every network', (host) => {
    for (const options of [fb, google, linkedin]) {
      expect(checkLandingUrl(`https://${host}/abc`, options)?.code).toBe('SHORTENED_URL');
    }
  });

  it('covers the hosts the brief names', () => {
    for (const host of ['bit.ly', 'bitly.com', 'tinyurl.com', 't.co', 'goo.gl', 'ow.ly', 'buff.ly', 'is.gd', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'tiny.cc', 'lnkd.in']) {
      expect(SHORTENER_HOSTS).toContain(host);
    }
  });

  it('matches subdomains and upper case, not look-alike hosts', () => {
    expect(checkLandingUrl('https://WWW.Bit.ly/abc', fb)?.code).toBe('SHORTENED_URL');
    expect(checkLandingUrl('https://notbit.ly/abc', fb)).toBeNull();
    expect(checkLandingUrl('https://bit.ly.example.com/abc', fb)).toBeNull();
  });

  it("the product's own shortener domain is the exception, on every network", () => {
    for (const network of ['facebook', 'google', 'linkedin'] as const) {
      expect(checkLandingUrl('https://go.adtrack.test/x1', { network, ownShortenerDomain: 'go.adtrack.test' })).toBeNull();
    }
    expect(checkLandingUrl('https://bit.ly/x1', { ...fb, ownShortenerDomain: 'bit.ly' })).toBeNull();
  });

  it('TRK-8 lnkd.in is fine on LinkedIn only', () => {
    expect(checkLandingUrl('https://lnkd.in/abc', linkedin)).toBeNull();
    expect(checkLandingUrl('https://lnkd.in/abc', fb)?.code).toBe('SHORTENED_URL');
    expect(checkLandingUrl('https://lnkd.in/abc', google)?.code).toBe('SHORTENED_URL');
    expect(shortenerOf('lnkd.in', linkedin)).toBeNull();
  });
});

describe('TRK-8 URL with "#"', () => {
  it('URL_HAS_FRAGMENT on LinkedIn', () => {
    expect(checkLandingUrl('https://example.com/p#offer', linkedin)?.code).toBe('URL_HAS_FRAGMENT');
  });

  it('issue15-2 URL_HAS_FRAGMENT on Google too: the {lpurl} template would put every parameter inside the fragment', () => {
    const reason = checkLandingUrl('https://example.com/p?x=1#offer', google);
    expect(reason?.code).toBe('URL_HAS_FRAGMENT');
    expect(reason?.message).toContain('{lpurl}');
  });

  it('a fragment is not a problem on Facebook (url_tags go before it)', () => {
    expect(checkLandingUrl('https://example.com/p#offer', fb)).toBeNull();
  });
});

describe('TRK-3/TRK-6/TRK-8 redirects', () => {
  it('REDIRECTING_URL when the landing probe saw a redirect, naming the target', () => {
    const reason = checkLandingUrl('http://127.0.0.1:4567/r/spring', fb, { redirects: true, location: 'http://127.0.0.1:4567/p/spring' });
    expect(reason?.code).toBe('REDIRECTING_URL');
    expect(reason?.message).toContain('http://127.0.0.1:4567/p/spring');
  });

  it('http → https counts as a redirect', () => {
    const reason = checkLandingUrl('http://example.com/upgrade/x', google, { redirects: true, location: 'https://example.com/upgrade/x' });
    expect(reason?.code).toBe('REDIRECTING_URL');
    expect(reason?.message).toContain('http to https');
  });

  it('no redirect, or no probe, is fine', () => {
    expect(checkLandingUrl('https://example.com/p', linkedin, { redirects: false })).toBeNull();
    expect(checkLandingUrl('https://example.com/p', linkedin)).toBeNull();
  });

  it("trusted shorteners redirect by nature and are exempt (own domain; lnkd.in on LinkedIn)", () => {
    const redirect = { redirects: true, location: 'https://example.com/p' };
    expect(checkLandingUrl('https://go.adtrack.test/a', { ...fb, ownShortenerDomain: 'go.adtrack.test' }, redirect)).toBeNull();
    expect(checkLandingUrl('https://lnkd.in/a', linkedin, redirect)).toBeNull();
  });

  it('static problems win over the redirect result', () => {
    expect(checkLandingUrl('https://bit.ly/a', fb, { redirects: true })?.code).toBe('SHORTENED_URL');
  });
});

describe('landing probe target', () => {
  it('asks to probe only URLs that pass the static rules and are not trusted shorteners', () => {
    expect(landingUrlToProbe(' https://example.com/p ', fb)).toBe('https://example.com/p');
    expect(landingUrlToProbe('https://bit.ly/a', fb)).toBeNull();
    expect(landingUrlToProbe('not a url', fb)).toBeNull();
    expect(landingUrlToProbe(null, fb)).toBeNull();
    expect(landingUrlToProbe('https://lnkd.in/a', linkedin)).toBeNull();
    expect(landingUrlToProbe('https://example.com/p#x', linkedin)).toBeNull();
  });
});
