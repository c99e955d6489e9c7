import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { consentPage, redirectBack, textFields } from '../kit/consent';
import { sendOAuthError } from './errors';
import {
  ACCESS_TOKEN_SECONDS,
  CODE_TTL_MS,
  REFRESH_TOKEN_SECONDS,
  type AccountRole,
  type LinkedInWorld,
  type RefreshGrant,
  type TokenRecord,
} from './state';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_SCOPES = ['r_ads', 'rw_ads', 'r_ads_reporting', 'r_organization_social', 'r_marketing_leadgen_automation', 'rw_conversions'];

const INVALID_GRANT = 'The provided authorization grant or refresh token is invalid, expired or revoked';

/** What the login dialog would return: a code tied to the redirect URI, single-use, 30 minutes. */
export function issueCode(
  world: LinkedInWorld,
  input: { user: string; redirectUri: string; accountIds?: number[]; role?: AccountRole; scopes?: string[] },
): string {
  const member = world.memberByHandle(input.user);
  // Access on LinkedIn follows ad-account roles; granting accounts here gives the member a role.
  for (const accountId of input.accountIds ?? []) {
    if (!world.roleOf(member.urn, accountId)) world.grantRole(member.urn, accountId, input.role ?? 'CAMPAIGN_MANAGER');
  }
  const code = `AQT${randomBytes(24).toString('base64url')}`;
  world.codes.set(code, {
    code,
    memberUrn: member.urn,
    redirectUri: input.redirectUri,
    scopes: input.scopes ?? DEFAULT_SCOPES,
    expiresAt: world.now() + CODE_TTL_MS,
    used: false,
  });
  return code;
}

function issueTokens(world: LinkedInWorld, grant: RefreshGrant): TokenRecord {
  const now = world.now();
  const token: TokenRecord = {
    accessToken: `AQV${randomBytes(32).toString('base64url')}`,
    grant,
    issuedAt: now,
    expiresAt: now + ACCESS_TOKEN_SECONDS * 1000,
    revoked: false,
  };
  world.tokens.set(token.accessToken, token);
  return token;
}

function tokenResponse(world: LinkedInWorld, token: TokenRecord) {
  return {
    access_token: token.accessToken,
    expires_in: Math.round((token.expiresAt - world.now()) / 1000),
    refresh_token: token.grant.refreshToken,
    // §1: refreshing does not extend the refresh token; report what is left of its 365 days.
    refresh_token_expires_in: Math.max(0, Math.round((token.grant.expiresAt - world.now()) / 1000)),
    scope: token.grant.scopes.join(','),
  };
}

export function oauthRouter(world: LinkedInWorld, app: AppCredentials): express.Router {
  const router = express.Router();

  // The consent dialog: any member can be picked (login_hint, else "demo", preselected). Allow → `code`;
  // Cancel → `error=user_cancelled_authorize` (LinkedIn's documented refusal), both with the state.
  const authorization = (source: unknown, res: Response): Record<string, string> | undefined => {
    const params = textFields(source);
    if (params.client_id !== app.clientId || !params.redirect_uri || !URL.canParse(params.redirect_uri)) {
      sendOAuthError(res, 400, 'invalid_request', 'Invalid client_id or missing redirect_uri');
      return undefined;
    }
    return params;
  };
  router.get('/authorization', (req: Request, res: Response) => {
    const params = authorization(req.query, res);
    if (!params) return;
    const users = [...new Set([...world.members.values()].map((m) => m.handle))];
    const user = params.login_hint && users.includes(params.login_hint) ? params.login_hint : users.includes('demo') ? 'demo' : users[0];
    const urn = user ? world.memberByHandle(user).urn : undefined;
    const accounts = world.roles.filter((r) => r.memberUrn === urn).map((r) => ({ id: String(r.accountId), name: world.accounts.get(r.accountId)?.name ?? String(r.accountId) }));
    res.type('html').send(consentPage({ network: 'LinkedIn', appName: 'adtrack', path: req.baseUrl + req.path, params, users, user, accounts, scopes: (params.scope ?? '').split(/[ ,]+/).filter(Boolean) }));
  });
  router.post('/authorization', (req: Request, res: Response) => {
    const params = authorization(req.body, res);
    if (!params) return;
    if (params.decision !== 'allow' || !params.login_hint) {
      return res.redirect(303, redirectBack(params.redirect_uri!, { error: 'user_cancelled_authorize', error_description: 'The user cancelled the authorization' }, params.state));
    }
    const scopes = params.scope ? params.scope.split(/[ ,]+/).filter(Boolean) : undefined;
    const code = issueCode(world, { user: params.login_hint, redirectUri: params.redirect_uri!, ...(scopes ? { scopes } : {}) });
    res.redirect(303, redirectBack(params.redirect_uri!, { code }, params.state));
  });

  router.post('/accessToken', (req: Request, res: Response) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return sendOAuthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const body = req.body as Record<string, unknown>;
    const field = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
    const grantType = field('grant_type');
    for (const name of ['grant_type', 'client_id', 'client_secret']) {
      if (!field(name)) return sendOAuthError(res, 400, 'invalid_request', `A required parameter "${name}" is missing`);
    }
    if (field('client_id') !== app.clientId || field('client_secret') !== app.clientSecret) {
      return sendOAuthError(res, 401, 'invalid_client', 'Client authentication failed');
    }

    if (grantType === 'authorization_code') {
      const codeValue = field('code');
      const redirectUri = field('redirect_uri');
      if (!codeValue) return sendOAuthError(res, 400, 'invalid_request', 'A required parameter "code" is missing');
      if (!redirectUri) return sendOAuthError(res, 400, 'invalid_request', 'A required parameter "redirect_uri" is missing');
      const code = world.codes.get(codeValue);
      if (!code || code.used || world.now() >= code.expiresAt) return sendOAuthError(res, 400, 'invalid_grant', INVALID_GRANT);
      if (code.redirectUri !== redirectUri) {
        return sendOAuthError(res, 400, 'invalid_redirect_uri', 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code');
      }
      code.used = true;
      const grant: RefreshGrant = {
        refreshToken: `AQW${randomBytes(32).toString('base64url')}`,
        memberUrn: code.memberUrn,
        clientId: app.clientId,
        scopes: code.scopes,
        expiresAt: world.now() + REFRESH_TOKEN_SECONDS * 1000,
        revoked: false,
      };
      world.grants.set(grant.refreshToken, grant);
      return res.json(tokenResponse(world, issueTokens(world, grant)));
    }

    if (grantType === 'refresh_token') {
      const refresh = field('refresh_token');
      if (!refresh) return sendOAuthError(res, 400, 'invalid_request', 'A required parameter "refresh_token" is missing');
      const grant = world.grants.get(refresh);
      if (!grant || grant.revoked || world.now() >= grant.expiresAt) return sendOAuthError(res, 400, 'invalid_grant', INVALID_GRANT);
      return res.json(tokenResponse(world, issueTokens(world, grant)));
    }

    return sendOAuthError(res, 400, 'unsupported_grant_type', `Grant type ${grantType ?? ''} is not supported`);
  });

  router.post('/introspectToken', (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    if (body.client_id !== app.clientId || body.client_secret !== app.clientSecret) {
      return sendOAuthError(res, 401, 'invalid_client', 'Client authentication failed');
    }
    const token = typeof body.token === 'string' ? world.tokens.get(body.token) : undefined;
    if (!token) return res.json({ active: false });
    const status = token.revoked || token.grant.revoked ? 'revoked' : world.now() >= token.expiresAt ? 'expired' : 'active';
    res.json({
      active: status === 'active',
      client_id: token.grant.clientId,
      authorized_at: Math.floor(token.issuedAt / 1000),
      created_at: Math.floor(token.issuedAt / 1000),
      status,
      expires_at: Math.floor(token.expiresAt / 1000),
      scope: token.grant.scopes.join(','),
      auth_type: '3L',
    });
  });

  return router;
}

/** POST /_sandbox/tokens/revoke: one access token (and its grant) or every token of a member. */
export function revokeTokens(world: LinkedInWorld, input: { accessToken?: string; user?: string }): number {
  let revoked = 0;
  const memberUrn = input.user ? world.memberByHandle(input.user).urn : undefined;
  const target = input.accessToken ? world.tokens.get(input.accessToken) : undefined;
  for (const token of world.tokens.values()) {
    if ((target && token.grant === target.grant) || (memberUrn && token.grant.memberUrn === memberUrn)) {
      token.revoked = true;
      token.grant.revoked = true;
      revoked += 1;
    }
  }
  return revoked;
}
