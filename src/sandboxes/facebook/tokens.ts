import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GraphError, invalidParameter, invalidToken, missingPermission, missingToken } from './graph-error';
import { ALL_SCOPES, type FacebookWorld, type TokenRecord, type User } from './world';
import { asText } from './values';

// unconfirmed: the code exchange's expires_in varies ("expiring in hours", §1.2); two hours here.
const SHORT_LIVED_SECONDS = 2 * 3600;
const LONG_LIVED_SECONDS = 5_183_944;
// unconfirmed: code lifetime ≈ 10 minutes (§1.2).
const CODE_LIFETIME_SECONDS = 600;

export type RevokeReason = 'logout' | 'password_changed' | 'app_removed';

const REVOCATION: Record<RevokeReason, { subcode: number; message: (user: string, app: string) => string }> = {
  logout: { subcode: 467, message: () => 'Error validating access token: The session is invalid because the user logged out.' },
  password_changed: {
    subcode: 460,
    message: () =>
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  },
  app_removed: { subcode: 458, message: (user, app) => `Error validating access token: User ${user} has not authorized application ${app}.` },
};

/** Who is calling, once the token checked out. */
export interface AuthContext {
  record: TokenRecord;
  user: User;
  canSeeAccount(accountId: string): boolean;
  requireScope(...anyOf: string[]): void;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in?: number;
}

/** The OAuth token store of §1 and §11.1: single-use codes, short/long-lived and Page tokens. */
export class TokenService {
  constructor(
    private readonly world: FacebookWorld,
    private readonly tokensExpired: () => boolean,
  ) {}

  issueCode(input: { user: User; redirectUri: string; accountIds?: string[]; scopes?: string[] }): string {
    const code = `AQ${randomBytes(24).toString('base64url')}`;
    this.world.codes.set(code, {
      code,
      userId: input.user.id,
      redirectUri: input.redirectUri,
      accountIds: input.accountIds ?? [...input.user.accountIds],
      scopes: input.scopes ?? [...ALL_SCOPES],
      issuedAt: this.world.nowSeconds(),
      used: false,
    });
    return code;
  }

  exchangeCode(params: Record<string, unknown>): TokenResponse {
    this.checkClient(params);
    const code = this.world.codes.get(asText(params.code));
    if (!code) throw invalidParameter('Invalid verification code format.');
    if (code.used) {
      const message = 'This authorization code has been used.';
      throw new GraphError(400, { message, type: 'OAuthException', code: 100, error_subcode: 36009 }, {
        'WWW-Authenticate': `OAuth "Facebook Platform" "invalid_code" "${message}"`,
      });
    }
    if (params.redirect_uri !== code.redirectUri) {
      throw new GraphError(400, {
        message:
          'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        type: 'OAuthException',
        code: 100,
        error_subcode: 36008,
      });
    }
    if (this.world.nowSeconds() - code.issuedAt > CODE_LIFETIME_SECONDS) {
      throw new GraphError(400, { message: 'This authorization code has expired.', type: 'OAuthException', code: 100, error_subcode: 36007 });
    }
    code.used = true;
    const record = this.mint({ kind: 'short', userId: code.userId, scopes: code.scopes, accountIds: code.accountIds }, SHORT_LIVED_SECONDS);
    return tokenResponse(record, this.world.nowSeconds());
  }

  /**
   * `grant_type=fb_exchange_token`. unconfirmed: whether exchanging a still-valid long-lived token
   * extends it (§1.3 says only Meta's own SDKs refresh); the sandbox issues a fresh 60-day token.
   */
  exchangeForLongLived(params: Record<string, unknown>): TokenResponse {
    this.checkClient(params);
    const source = this.validate(asText(params.fb_exchange_token));
    const record = this.mint({ kind: 'long', userId: source.userId, scopes: source.scopes, accountIds: source.accountIds }, LONG_LIVED_SECONDS);
    return tokenResponse(record, this.world.nowSeconds());
  }

  /** A Page token minted from a user token; never expires when the user token is long-lived (§1.3). */
  pageToken(userRecord: TokenRecord, pageId: string, accountId: string): string {
    for (const record of this.world.tokens.values()) {
      if (record.kind === 'page' && record.pageId === pageId && record.userId === userRecord.userId && !record.invalidated) return record.token;
    }
    const lifetime = userRecord.kind === 'long' ? 0 : Math.max(1, userRecord.expiresAt - this.world.nowSeconds());
    return this.mint({ kind: 'page', userId: userRecord.userId, scopes: userRecord.scopes, accountIds: [accountId], pageId }, lifetime).token;
  }

  /** `/debug_token`: always 200; an unusable token is reported inside `data` (§1.4). */
  debug(params: Record<string, unknown>): { data: Record<string, unknown> } {
    if (params.access_token !== `${this.world.app.id}|${this.world.app.secret}`) {
      throw invalidToken('Invalid OAuth access token signature.');
    }
    const record = this.world.tokens.get(asText(params.input_token));
    const base = { app_id: this.world.app.id, application: this.world.app.name };
    if (!record) {
      return { data: { ...base, is_valid: false, scopes: [], error: { code: 190, message: 'Invalid OAuth access token.' } } };
    }
    const problem = this.problemWith(record);
    return {
      data: {
        ...base,
        type: record.kind === 'page' ? 'PAGE' : 'USER',
        user_id: record.userId,
        ...(record.pageId ? { profile_id: record.pageId } : {}),
        issued_at: record.issuedAt,
        expires_at: record.expiresAt,
        data_access_expires_at: record.issuedAt + 90 * 86_400,
        is_valid: problem === undefined,
        scopes: record.scopes,
        granular_scopes: record.scopes.map((scope) => ({ scope, target_ids: record.accountIds })),
        ...(problem ? { error: { code: 190, subcode: problem.fields.error_subcode, message: problem.message } } : {}),
      },
    };
  }

  revoke(input: { accessToken?: string; userId?: string; reason: RevokeReason }): number {
    let count = 0;
    for (const record of this.world.tokens.values()) {
      if (record.token !== input.accessToken && record.userId !== input.userId) continue;
      const revocation = REVOCATION[input.reason];
      record.invalidated = { subcode: revocation.subcode, message: revocation.message(record.userId, this.world.app.id) };
      count += 1;
    }
    return count;
  }

  authenticate(token: string | undefined, appsecretProof: unknown): AuthContext {
    if (!token) throw missingToken();
    const record = this.validate(token);
    if (appsecretProof !== undefined && !this.proofMatches(token, appsecretProof)) {
      throw new GraphError(400, { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 });
    }
    const user = this.world.userById(record.userId);
    if (!user) throw invalidToken('Error validating access token: The user is not a confirmed user.', 464);
    return {
      record,
      user,
      canSeeAccount: (accountId) => record.accountIds.includes(accountId) && user.accountIds.has(accountId),
      requireScope: (...anyOf) => {
        if (!anyOf.some((scope) => record.scopes.includes(scope))) throw missingPermission(anyOf.join(' or '));
      },
    };
  }

  private validate(token: string): TokenRecord {
    if (this.tokensExpired()) {
      throw invalidToken(expiredMessage(this.world.nowSeconds() - 60, this.world.nowSeconds()), 463, 'expired_token');
    }
    const record = this.world.tokens.get(token);
    if (!record) throw invalidToken('Invalid OAuth access token - Cannot parse access token');
    const problem = this.problemWith(record);
    if (problem) throw problem;
    return record;
  }

  private problemWith(record: TokenRecord): GraphError | undefined {
    if (record.invalidated) return invalidToken(record.invalidated.message, record.invalidated.subcode);
    const now = this.world.nowSeconds();
    if (record.expiresAt !== 0 && now >= record.expiresAt) return invalidToken(expiredMessage(record.expiresAt, now), 463);
    return undefined;
  }

  private proofMatches(token: string, proof: unknown): boolean {
    if (typeof proof !== 'string') return false;
    const expected = Buffer.from(createHmac('sha256', this.world.app.secret).update(token).digest('hex'));
    const given = Buffer.from(proof);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private checkClient(params: Record<string, unknown>): void {
    if (params.client_id !== this.world.app.id) {
      throw new GraphError(400, { message: 'Error validating application. Invalid application ID.', type: 'OAuthException', code: 101 });
    }
    if (params.client_secret !== this.world.app.secret) {
      throw new GraphError(400, { message: 'Error validating client secret.', type: 'OAuthException', code: 1 });
    }
  }

  private mint(input: Omit<TokenRecord, 'token' | 'issuedAt' | 'expiresAt'>, lifetimeSeconds: number): TokenRecord {
    const now = this.world.nowSeconds();
    const record: TokenRecord = {
      ...input,
      token: `EAAG${randomBytes(36).toString('base64url')}`,
      issuedAt: now,
      expiresAt: lifetimeSeconds === 0 ? 0 : now + lifetimeSeconds,
    };
    this.world.tokens.set(record.token, record);
    return record;
  }
}

function tokenResponse(record: TokenRecord, now: number): TokenResponse {
  return {
    access_token: record.token,
    token_type: 'bearer',
    ...(record.expiresAt !== 0 ? { expires_in: record.expiresAt - now } : {}),
  };
}

function expiredMessage(expiredAt: number, now: number): string {
  return `Error validating access token: Session has expired on ${humanTime(expiredAt)}. The current time is ${humanTime(now)}.`;
}

/** `Thursday, 06-Aug-26 04:00:00 UTC`, the shape of Meta's message (its zone is Pacific). */
function humanTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const weekday = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = d.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${weekday}, ${pad(d.getUTCDate())}-${month}-${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}
