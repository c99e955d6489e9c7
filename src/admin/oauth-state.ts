import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NETWORKS, type Network } from '../networks/types';

/**
 * The OAuth `state` (ACC-2, CSRF of the redirect flow): `<network>.<nonce>.<expiry>.<mac>`, where the
 * MAC also covers the admin's session key, so a state is only good in the browser session that
 * started the flow. The nonce is recorded server-side at issue and deleted at redemption, which makes
 * a state single-use even within its lifetime.
 */

export type StateProblem = 'malformed' | 'forged' | 'expired' | 'wrong_network' | 'used';

export interface PendingState {
  nonce: string;
  sessionKey: string;
  network: Network;
  redirectUri: string;
  expiresAt: Date;
  /** PKCE verifier, kept server-side; only its S256 challenge goes to the network. */
  codeVerifier?: string;
}

/** Where pending states live: `take` deletes and returns the record only for the session that owns it. */
export interface StateStore {
  put(state: PendingState): Promise<void>;
  take(nonce: string, sessionKey: string): Promise<PendingState | null>;
}

export const STATE_TTL_MS = 10 * 60_000;

export function stateKey(adminToken: string): Buffer {
  return createHmac('sha256', adminToken).update('adtrack/oauth-state/v1').digest();
}

function mac(key: Buffer, payload: string, sessionKey: string): Buffer {
  return createHmac('sha256', key).update(`${payload}|${sessionKey}`).digest();
}

export function signState(key: Buffer, claims: { network: Network; nonce: string; expiresAt: number }, sessionKey: string): string {
  const payload = `${claims.network}.${claims.nonce}.${claims.expiresAt.toString(36)}`;
  return `${payload}.${mac(key, payload, sessionKey).toString('base64url')}`;
}

/** Checks form, signature (session binding), expiry and network; does not consume. */
export function verifyState(
  key: Buffer,
  token: string,
  expected: { sessionKey: string; network: Network; now: number },
): { ok: true; nonce: string } | { ok: false; problem: StateProblem } {
  const parts = token.split('.');
  if (parts.length !== 4 || !parts.every(Boolean)) return { ok: false, problem: 'malformed' };
  const [network, nonce, expiry, signature] = parts as [string, string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(key, `${network}.${nonce}.${expiry}`, expected.sessionKey);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, problem: 'forged' };
  if (!(NETWORKS as readonly string[]).includes(network) || network !== expected.network) return { ok: false, problem: 'wrong_network' };
  if (parseInt(expiry, 36) <= expected.now) return { ok: false, problem: 'expired' };
  return { ok: true, nonce };
}

export class OAuthStates {
  constructor(
    private readonly key: Buffer,
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(sessionKey: string, network: Network, redirectUri: string, options: { pkce?: boolean } = {}): Promise<{ state: string; codeChallenge?: string }> {
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + STATE_TTL_MS;
    // RFC 7636: 32 random bytes → a 43-character verifier; the challenge is its SHA-256, base64url.
    const codeVerifier = options.pkce ? randomBytes(32).toString('base64url') : undefined;
    await this.store.put({ nonce, sessionKey, network, redirectUri, expiresAt: new Date(expiresAt), ...(codeVerifier ? { codeVerifier } : {}) });
    const state = signState(this.key, { network, nonce, expiresAt }, sessionKey);
    return codeVerifier ? { state, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') } : { state };
  }

  /** Verifies and consumes: a second redemption of the same state answers `used`. */
  async redeem(
    token: string,
    sessionKey: string,
    network: Network,
  ): Promise<{ ok: true; redirectUri: string; codeVerifier?: string } | { ok: false; problem: StateProblem }> {
    const checked = verifyState(this.key, token, { sessionKey, network, now: this.now() });
    if (!checked.ok) return checked;
    const pending = await this.store.take(checked.nonce, sessionKey);
    if (!pending) return { ok: false, problem: 'used' };
    return { ok: true, redirectUri: pending.redirectUri, ...(pending.codeVerifier ? { codeVerifier: pending.codeVerifier } : {}) };
  }
}
