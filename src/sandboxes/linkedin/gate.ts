import type { NextFunction, Request, Response } from 'express';
import type { Sandbox, SandboxLocals } from '../kit/sandbox-app';
import { errors, RestliHttpError } from './errors';
import { isTunnelled, rawQueryString } from './restli';
import type { AccountRecord, AccountRole, LinkedInWorld, Member, TokenRecord } from './state';

export interface RestContext {
  member: Member;
  token: TokenRecord;
}

export interface GateOptions {
  /** Versions that answer; default: the twelve monthly releases up to the sandbox's current month. */
  activeVersions?: string[];
}

/** Monthly releases live about a year (§0); newer-than-now versions do not exist yet. */
export function defaultActiveVersions(now: number): string[] {
  const d = new Date(now);
  const out: string[] = [];
  for (let back = 0; back < 12; back += 1) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));
    out.push(`${m.getUTCFullYear()}${String(m.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * The header gate every /rest call passes (reference "What an emulator must model" 2):
 * LinkedIn-Version (missing → 400, inactive → 426), X-Restli-Protocol-Version 2.0.0, a live
 * bearer token (401 with 65600/65601/65602), then the daily quotas (§6, 429).
 */
export function restGate(world: LinkedInWorld, sandbox: Sandbox, options: GateOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const version = req.get('linkedin-version');
    if (!version) {
      throw new RestliHttpError(400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', 'VERSION_MISSING');
    }
    const month = /^(\d{6})(?:\.\d{2})?$/.exec(version)?.[1];
    const active = options.activeVersions ?? defaultActiveVersions(world.now());
    if (!month || !active.includes(month)) {
      // unconfirmed (§0): code NONEXISTENT_VERSION is third-party-attested.
      throw new RestliHttpError(426, `Requested version ${version} is not active`, 'NONEXISTENT_VERSION');
    }
    if (req.get('x-restli-protocol-version') !== '2.0.0') {
      throw errors.invalid('X-Restli-Protocol-Version: 2.0.0 is required for versioned APIs');
    }
    const context = authenticate(world, sandbox, req.get('authorization'));
    (res.locals as { linkedin?: RestContext }).linkedin = context;
    chargeQuota(world, req, res, context);
    next();
  };
}

function authenticate(world: LinkedInWorld, sandbox: Sandbox, header: string | undefined): RestContext {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw errors.emptyToken();
  const record = world.tokens.get(token);
  if (!record) throw errors.invalidToken();
  if (record.revoked || record.grant.revoked) throw errors.revokedToken();
  if (sandbox.tokensExpired() || world.now() >= record.expiresAt) throw errors.expiredToken();
  const member = world.members.get(record.grant.memberUrn);
  if (!member) throw errors.invalidToken();
  return { member, token: record };
}

function chargeQuota(world: LinkedInWorld, req: Request, res: Response, context: RestContext): void {
  const { applicationDaily, memberDaily } = world.settings.quotas;
  if (applicationDaily === null && memberDaily === null) return;
  const day = new Date(world.now()).toISOString().slice(0, 10);
  const endpoint = endpointLabel(req);
  const appKey = `${day}|app|${endpoint}`;
  const memberKey = `${day}|${context.member.urn}|${endpoint}`;
  const appCalls = (world.quotaCounters.get(appKey) ?? 0) + 1;
  const memberCalls = (world.quotaCounters.get(memberKey) ?? 0) + 1;
  world.quotaCounters.set(appKey, appCalls);
  world.quotaCounters.set(memberKey, memberCalls);
  const over = applicationDaily !== null && appCalls > applicationDaily ? 'APPLICATION' : memberDaily !== null && memberCalls > memberDaily ? 'MEMBER' : undefined;
  if (over) {
    (res.locals as SandboxLocals).fault = 'rate_limit';
    throw errors.throttled(over);
  }
}

export function contextOf(res: Response): RestContext {
  const context = (res.locals as { linkedin?: RestContext }).linkedin;
  if (!context) throw errors.emptyToken();
  return context;
}

const WRITE_ROLES: AccountRole[] = ['ACCOUNT_BILLING_ADMIN', 'ACCOUNT_MANAGER', 'CAMPAIGN_MANAGER', 'CREATIVE_MANAGER'];

/** The account, if the member has a role on it (VIEWER is read-only). 404 when it does not exist. */
export function requireAccount(world: LinkedInWorld, res: Response, accountId: number, access: 'read' | 'write'): AccountRecord {
  const account = world.accounts.get(accountId);
  if (!account) throw errors.notFound(`urn:li:sponsoredAccount:${accountId}`);
  const role = world.roleOf(contextOf(res).member.urn, accountId);
  if (!role || (access === 'write' && !WRITE_ROLES.includes(role))) {
    throw errors.accessDenied(`/adAccounts/${accountId}`);
  }
  return account;
}

/** Stable endpoint label for the request log, e.g. "GET /rest/adAccounts/{id}/creatives?q=criteria". */
export function endpointLabel(req: Request): string {
  const path = req.originalUrl.split('?')[0] ?? '';
  const shape = path
    .split('/')
    .map((seg) => (/^\d+$/.test(seg) ? '{id}' : /^(urn|\(|%28|[0-9a-f]{8}-)/i.test(seg) ? '{key}' : seg))
    .join('/');
  const method = req.get('x-restli-method')?.toUpperCase();
  const queryText = rawQueryString(req);
  const finder = /(?:^|&)q=([A-Za-z]+)/.exec(queryText)?.[1];
  const batchGet = /(?:^|&)ids=/.test(queryText);
  const suffix = method ? ` ${method}` : finder ? `?q=${finder}` : batchGet ? ' BATCH_GET' : '';
  return `${req.method} ${shape}${suffix}${isTunnelled(req) ? ' (tunnelled)' : ''}`;
}
