import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiContext } from '../api/context';
import type { AdminSessionRecord } from '../db/models/admin-session';

/**
 * Admin console sessions, kept server-side (AdminSession): signing out or rotating
 * ADMIN_API_TOKEN ends a session at once, which a stateless signed cookie could not do. The cookie
 * holds 32 random bytes; the database holds only their SHA-256.
 */

export const SESSION_COOKIE = 'adtrack_session';

export interface AdminSession {
  /** SHA-256 of the cookie value: the record id, and what OAuth states are bound to. */
  key: string;
  csrfToken: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

function cookieOptions(ctx: ApiContext) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const, // Lax, not Strict: the network's redirect back to the callback is a cross-site top-level GET that must carry the session.
    secure: ctx.config.NODE_ENV !== 'development',
    path: '/',
  };
}

export async function startSession(ctx: ApiContext, res: Response): Promise<AdminSession> {
  const value = randomBytes(32).toString('base64url');
  const session: AdminSessionRecord = {
    _id: sha256(value),
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + ctx.config.ADMIN_SESSION_TTL_MINUTES * 60_000),
  };
  await ctx.db.models.AdminSession.deleteMany({ expiresAt: { $lte: new Date() } });
  await ctx.db.models.AdminSession.create(session);
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, value, { ...cookieOptions(ctx), maxAge: ctx.config.ADMIN_SESSION_TTL_MINUTES * 60 }));
  return { key: session._id, csrfToken: session.csrfToken };
}

export async function endSession(ctx: ApiContext, res: Response, session: AdminSession | undefined): Promise<void> {
  if (session) await ctx.db.models.AdminSession.deleteOne({ _id: session.key });
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { ...cookieOptions(ctx), maxAge: 0 }));
}

/** One text field of a urlencoded form body (absent, repeated or non-text → undefined). */
export function formField(req: Request, name: string): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads the session cookie; `res.locals.session` is set when it names a live session. */
export function loadSession(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    const value = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    if (value) {
      const record = await ctx.db.models.AdminSession.findById(sha256(value)).lean<AdminSessionRecord>();
      // Expired records linger until the next sign-in sweeps them.
      if (record && record.expiresAt.getTime() > Date.now()) res.locals.session = { key: record._id, csrfToken: record.csrfToken } satisfies AdminSession;
    }
    next();
  };
}

export function sessionOf(res: Response): AdminSession | undefined {
  return res.locals.session as AdminSession | undefined;
}

/** Only local paths are followed after sign-in (no open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(admin|connect)(\/[\w\-./]*)?(\?[\w\-.=&%]*)?$/.test(value) && !value.includes('//') ? value : '/admin/accounts';
}

/** Without a session: pages redirect to sign-in (remembering where the admin was going); forms change nothing. */
export function requireSession(req: Request, res: Response, next: NextFunction): void {
  if (sessionOf(res)) return next();
  const target = req.method === 'GET' ? `/admin/sign-in?next=${encodeURIComponent(req.originalUrl)}` : '/admin/sign-in';
  res.redirect(303, target);
}

/**
 * Synchronizer token: every state-changing form carries the session's `_csrf`. Same-site pages on
 * another port (cookies ignore ports) still cannot read it, so a forged POST is refused.
 */
export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  const session = sessionOf(res);
  const given = Buffer.from(formField(req, '_csrf') ?? '');
  const expected = Buffer.from(session?.csrfToken ?? '');
  if (session && given.length === expected.length && timingSafeEqual(given, expected)) return next();
  res.status(403).type('html').send(csrfRefusal());
}

function csrfRefusal(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form expired · adtrack</title></head><body><main><h1>This form has expired</h1><p>Nothing was changed. Go back to the <a href="/admin/accounts">accounts page</a>, reload it and try again.</p></main></body></html>';
}
