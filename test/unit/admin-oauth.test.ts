import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { authorizeUrl, FACEBOOK_SCOPES, LINKEDIN_SCOPES, PKCE_NETWORKS, type AuthorizeSettings } from '../../src/admin/authorize-urls';
import { escapeHtml, html } from '../../src/admin/html';
import { OAuthStates, signState, STATE_TTL_MS, verifyState, type PendingState, type StateStore } from '../../src/admin/oauth-state';
import { safeNext } from '../../src/admin/session';

const KEY = Buffer.alloc(32, 9);

function memoryStore(): StateStore & { size(): number } {
  const states = new Map<string, PendingState>();
  return {
    put: async (state) => void states.set(state.nonce, state),
    take: async (nonce, sessionKey) => {
      const found = states.get(nonce);
      if (!found || found.sessionKey !== sessionKey) return null;
      states.delete(nonce);
      return found;
    },
    size: () => states.size,
  };
}

describe('ACC-2 OAuth state: signed, bound to the session, expiring, single-use', () => {
  it('a state verifies for its session and network until it expires', () => {
    const token = signState(KEY, { network: 'google', nonce: 'n1', expiresAt: 1_000_000 }, 'session-a');
    expect(verifyState(KEY, token, { sessionKey: 'session-a', network: 'google', now: 999_999 })).toEqual({ ok: true, nonce: 'n1' });
    expect(verifyState(KEY, token, { sessionKey: 'session-a', network: 'google', now: 1_000_000 })).toEqual({ ok: false, problem: 'expired' });
  });

  it('another session, another key, or any edited part is refused as forged; garbage as malformed', () => {
    const token = signState(KEY, { network: 'facebook', nonce: 'nonce', expiresAt: 5_000 }, 'session-a');
    const check = (t: string, sessionKey = 'session-a', key = KEY) => verifyState(key, t, { sessionKey, network: 'facebook', now: 0 });
    expect(check(token, 'session-b')).toEqual({ ok: false, problem: 'forged' });
    expect(check(token, 'session-a', Buffer.alloc(32, 1))).toEqual({ ok: false, problem: 'forged' });
    const [network, nonce, expiry, mac] = token.split('.');
    expect(check([network, `${nonce}x`, expiry, mac].join('.'))).toEqual({ ok: false, problem: 'forged' });
    expect(check([network, nonce, 'zzzzzz', mac].join('.'))).toEqual({ ok: false, problem: 'forged' });
    expect(check(['linkedin', nonce, expiry, mac].join('.'))).toEqual({ ok: false, problem: 'forged' });
    expect(check('not-a-state')).toEqual({ ok: false, problem: 'malformed' });
    expect(check('a..b.c')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('a state issued for one network does not complete another', () => {
    const token = signState(KEY, { network: 'facebook', nonce: 'n', expiresAt: 5_000 }, 's');
    expect(verifyState(KEY, token, { sessionKey: 's', network: 'linkedin', now: 0 })).toEqual({ ok: false, problem: 'wrong_network' });
  });

  it('redeeming consumes the state: the second answer with it is refused as used', async () => {
    const store = memoryStore();
    let now = 10_000;
    const states = new OAuthStates(KEY, store, () => now);
    const { state: token, codeChallenge } = await states.issue('session-a', 'linkedin', 'https://adtrack.example/oauth/linkedin/callback');
    expect(codeChallenge).toBeUndefined();
    expect(store.size()).toBe(1);
    expect(await states.redeem(token, 'session-b', 'linkedin')).toEqual({ ok: false, problem: 'forged' });
    expect(store.size()).toBe(1);
    expect(await states.redeem(token, 'session-a', 'linkedin')).toEqual({ ok: true, redirectUri: 'https://adtrack.example/oauth/linkedin/callback' });
    expect(await states.redeem(token, 'session-a', 'linkedin')).toEqual({ ok: false, problem: 'used' });

    const { state: late } = await states.issue('session-a', 'linkedin', 'https://adtrack.example/cb');
    now += STATE_TTL_MS;
    expect(await states.redeem(late, 'session-a', 'linkedin')).toEqual({ ok: false, problem: 'expired' });
  });

  it('PKCE: the verifier stays server-side and comes back at redemption; the challenge is its S256 hash', async () => {
    const states = new OAuthStates(KEY, memoryStore());
    const issued = await states.issue('s', 'google', 'https://adtrack.example/cb', { pkce: true });
    const redeemed = await states.redeem(issued.state, 's', 'google');
    if (!redeemed.ok) throw new Error(redeemed.problem);
    expect(redeemed.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.codeChallenge).toBe(createHash('sha256').update(redeemed.codeVerifier!).digest('base64url'));
    expect(issued.state).not.toContain(redeemed.codeVerifier);
  });
});

describe('ACC-2 authorize URLs per network', () => {
  const settings: AuthorizeSettings = {
    FACEBOOK_DIALOG_URL: 'https://www.facebook.com',
    FACEBOOK_API_VERSION: 'v25.0',
    FACEBOOK_APP_ID: 'fb-app',
    GOOGLE_OAUTH_AUTHORIZE_URL: 'https://accounts.google.com/o/oauth2/v2/auth',
    GOOGLE_CLIENT_ID: 'g-client',
    LINKEDIN_OAUTH_URL: 'https://www.linkedin.com',
    LINKEDIN_CLIENT_ID: 'li-client',
  };
  const request = { redirectUri: 'https://adtrack.example/oauth/x/callback', state: 'st.at.e' };
  const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

  it('Facebook: the versioned Login dialog with comma-separated permissions', () => {
    const url = authorizeUrl('facebook', settings, request);
    expect(url.split('?')[0]).toBe('https://www.facebook.com/v25.0/dialog/oauth');
    expect(params(url)).toEqual({ client_id: 'fb-app', redirect_uri: request.redirectUri, state: request.state, response_type: 'code', scope: FACEBOOK_SCOPES.join(',') });
    expect(FACEBOOK_SCOPES).toEqual(expect.arrayContaining(['ads_management', 'ads_read', 'leads_retrieval', 'pages_show_list', 'pages_manage_ads', 'business_management']));
  });

  it('Google: the AdWords scope, offline access and forced consent so a refresh token comes back', () => {
    const url = authorizeUrl('google', settings, request);
    expect(url.split('?')[0]).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(params(url)).toMatchObject({
      client_id: 'g-client',
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/adwords',
      access_type: 'offline',
      prompt: 'consent',
      state: request.state,
    });
    expect(params(url)).not.toHaveProperty('code_challenge');
    const pkce = params(authorizeUrl('google', settings, { ...request, codeChallenge: 'abc' }));
    expect(pkce).toMatchObject({ code_challenge: 'abc', code_challenge_method: 'S256' });
    expect(PKCE_NETWORKS).toEqual(new Set(['google']));
  });

  it('LinkedIn: /oauth/v2/authorization with space-separated ads, reporting, lead and conversion scopes (host with or without /oauth/v2)', () => {
    const url = authorizeUrl('linkedin', settings, request);
    expect(url.split('?')[0]).toBe('https://www.linkedin.com/oauth/v2/authorization');
    expect(params(url)).toEqual({ response_type: 'code', client_id: 'li-client', redirect_uri: request.redirectUri, state: request.state, scope: LINKEDIN_SCOPES.join(' ') });
    expect(LINKEDIN_SCOPES).toEqual(expect.arrayContaining(['r_ads', 'rw_ads', 'r_ads_reporting', 'r_marketing_leadgen_automation', 'rw_conversions']));
    expect(authorizeUrl('linkedin', { ...settings, LINKEDIN_OAUTH_URL: 'http://127.0.0.1:9/oauth/v2/' }, request).split('?')[0]).toBe('http://127.0.0.1:9/oauth/v2/authorization');
  });
});

describe('admin console helpers', () => {
  it('html escapes every interpolated value unless it is html itself', () => {
    const name = `<script>alert("x")</script> & 'friends'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(`<p title="${escapeHtml(name)}">${escapeHtml(name)}</p>`);
    expect(escapeHtml(name)).not.toMatch(/[<>"']/);
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
  });

  it('after sign-in only console paths are followed (no open redirect)', () => {
    expect(safeNext('/admin/accounts')).toBe('/admin/accounts');
    expect(safeNext('/connect/google')).toBe('/connect/google');
    for (const bad of ['https://evil.example', '//evil.example', '/admin//evil.example', '/api/accounts', undefined, 42]) expect(safeNext(bad)).toBe('/admin/accounts');
  });
});
