import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { consentPage, redirectBack, textFields } from '../kit/consent';
import type { AuthCode, Grant, GoogleWorld } from './world';

/**
 * Google's OAuth 2.0 endpoints (reference §1.1): the consent screen, the token endpoint with the
 * authorization_code and refresh_token grants, and revocation. Errors use the OAuth shape
 * {"error": "...", "error_description": "..."}.
 */

export const ADWORDS_SCOPE = 'https://www.googleapis.com/auth/adwords';
const CODE_TTL_MS = 10 * 60_000;

export interface OAuthClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

export function issueCode(world: GoogleWorld, user: string, customerIds: string[], redirectUri: string): AuthCode {
  const code: AuthCode = {
    code: world.secret('4/0Ab', 30),
    user,
    customerIds,
    redirectUri,
    used: false,
    expiresAt: world.now() + CODE_TTL_MS,
  };
  world.authCodes.set(code.code, code);
  return code;
}

function issueAccessToken(world: GoogleWorld, grant: Grant) {
  const token = world.secret('ya29.a0Af', 60);
  const ttl = world.config.accessTokenTtlSeconds;
  world.accessTokens.set(token, { token, grantId: grant.id, expiresAt: world.now() + ttl * 1000 });
  return { access_token: token, expires_in: ttl, scope: ADWORDS_SCOPE, token_type: 'Bearer' };
}

/** Revokes a grant by any of its tokens (revoking an access token also revokes its refresh token). */
export function revokeToken(world: GoogleWorld, token: string): boolean {
  const grantId = world.accessTokens.get(token)?.grantId ?? [...world.grants.values()].find((g) => g.refreshToken === token)?.id;
  const grant = grantId ? world.grants.get(grantId) : undefined;
  if (!grant || grant.revoked) return false;
  grant.revoked = true;
  return true;
}

export function revokeUser(world: GoogleWorld, user: string): number {
  let count = 0;
  for (const grant of world.grants.values()) {
    if (grant.user === user && !grant.revoked) {
      grant.revoked = true;
      count += 1;
    }
  }
  return count;
}

export function oauthRouter(world: GoogleWorld, credentials: OAuthClientCredentials, defaultUser: () => string | undefined): Router {
  const router = express.Router();

  // The consent screen (any seeded user can be picked; login_hint or the seeding user preselected), then
  // Allow → `code`, Cancel → `error=access_denied`, both with the state, as Google's web-server flow does.
  const authorization = (source: unknown, res: Response): Record<string, string> | undefined => {
    const params = textFields(source);
    if (!params.redirect_uri || !URL.canParse(params.redirect_uri) || params.response_type !== 'code') {
      oauthError(res, 400, 'invalid_request', 'Missing redirect_uri or response_type=code.');
      return undefined;
    }
    return params;
  };
  router.get('/o/oauth2/v2/auth', (req, res) => {
    const params = authorization(req.query, res);
    if (!params) return;
    const users = [...world.users.keys()];
    const hinted = params.login_hint && world.users.has(params.login_hint) ? params.login_hint : undefined;
    const user = hinted ?? defaultUser() ?? users[0];
    const accounts = (user ? (world.users.get(user) ?? []) : []).map((id) => ({ id, name: world.customers.get(id)?.descriptiveName ?? id }));
    res.type('html').send(consentPage({ network: 'Google', appName: 'adtrack', path: req.path, params, users, user, accounts, scopes: (params.scope ?? '').split(' ').filter(Boolean) }));
  });
  router.post('/o/oauth2/v2/auth', (req, res) => {
    const params = authorization(req.body, res);
    if (!params) return;
    const customerIds = params.login_hint ? world.users.get(params.login_hint) : undefined;
    if (params.decision !== 'allow' || !customerIds) return res.redirect(303, redirectBack(params.redirect_uri!, { error: 'access_denied' }, params.state));
    const code = issueCode(world, params.login_hint!, customerIds, params.redirect_uri!);
    if (params.code_challenge) {
      if (params.code_challenge_method !== 'S256') return oauthError(res, 400, 'invalid_request', 'Only code_challenge_method=S256 is accepted.');
      code.codeChallenge = params.code_challenge;
    }
    res.redirect(303, redirectBack(params.redirect_uri!, { code: code.code, scope: ADWORDS_SCOPE }, params.state));
  });

  const token = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const clientId = body.client_id;
    const clientSecret = body.client_secret;
    if (!clientId || !clientSecret) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: client_id or client_secret');
    if ((credentials.clientId && clientId !== credentials.clientId) || (credentials.clientSecret && clientSecret !== credentials.clientSecret)) {
      return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
    }
    if (body.grant_type === 'authorization_code') {
      const code = body.code ? world.authCodes.get(body.code) : undefined;
      // unconfirmed: Google's error_description texts.
      if (!code || code.used || code.expiresAt <= world.now()) return oauthError(res, 400, 'invalid_grant', code ? 'Bad Request' : 'Malformed auth code.');
      if (body.redirect_uri !== code.redirectUri) return oauthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
      // unconfirmed: Google's error_description for a missing or wrong verifier.
      if (code.codeChallenge && (!body.code_verifier || createHash('sha256').update(body.code_verifier).digest('base64url') !== code.codeChallenge)) {
        return oauthError(res, 400, 'invalid_grant', body.code_verifier ? 'Invalid code verifier.' : 'Missing code verifier.');
      }
      code.used = true;
      const refreshTtl = world.config.refreshTokenTtlSeconds;
      const grant: Grant = {
        id: world.secret('g', 9),
        user: code.user,
        customerIds: code.customerIds,
        refreshToken: world.secret('1//0g', 40),
        revoked: false,
        ...(refreshTtl !== null ? { refreshExpiresAt: world.now() + refreshTtl * 1000 } : {}),
      };
      world.grants.set(grant.id, grant);
      return void res.json({
        ...issueAccessToken(world, grant),
        refresh_token: grant.refreshToken,
        ...(refreshTtl !== null ? { refresh_token_expires_in: refreshTtl } : {}),
      });
    }
    if (body.grant_type === 'refresh_token') {
      const grant = [...world.grants.values()].find((g) => g.refreshToken === body.refresh_token);
      if (!grant || grant.revoked || (grant.refreshExpiresAt !== undefined && grant.refreshExpiresAt <= world.now())) {
        return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
      }
      // Google answers a refresh without a new refresh_token.
      return void res.json(issueAccessToken(world, grant));
    }
    oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${body.grant_type ?? ''}`);
  };
  router.post('/token', token);
  router.post('/oauth2/v3/token', token);
  router.post('/oauth2/v4/token', token);

  router.post('/revoke', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const value = typeof req.query.token === 'string' ? req.query.token : body.token;
    if (!value || !revokeToken(world, value)) return oauthError(res, 400, 'invalid_token', 'Token expired or revoked');
    res.json({});
  });
  return router;
}
