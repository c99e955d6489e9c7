import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { tokenMatches } from '../api/auth';
import { checkParsedBody } from '../api/body';
import type { ApiContext } from '../api/context';
import { ApiError, parseInput } from '../api/errors';
import { disconnectAccount, findAccount, setAutoTracking, setLeadSync } from '../api/routes/accounts-service';
import { oauthRoutes } from '../api/routes/oauth';
import { accountStats, accountsPage } from './accounts-page';
import { adsConsoleRoutes } from './ads/routes';
import { assetRoutes } from './assets';
import { eventsConsoleRoutes } from './events/routes';
import { confirmDisconnectPage, errorPage, signInPage } from './pages';
import { endSession, formField, loadSession, requireCsrf, requireSession, safeNext, sessionOf, startSession } from './session';

const toggleSchema = z.object({ enabled: z.enum(['true', 'false']).transform((v) => v === 'true') });

const NOTICES: Record<string, (n: number) => string> = {
  connected: (n) => `${n} ad account${n === 1 ? '' : 's'} connected. The first sweep runs now; its counts appear below.`,
  disconnected: () => 'The ad account was disconnected.',
};

/**
 * The admin console (server-rendered HTML, htmx for live parts) and the OAuth connect flow: one
 * router for /admin, /connect and /oauth, with the session and CSRF checks and HTML error pages.
 */
export function consoleRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.use(assetRoutes());
  router.use(['/admin', '/connect', '/oauth'], express.urlencoded({ extended: false, limit: '32kb' }), checkParsedBody, loadSession(ctx));

  router.get('/admin/sign-in', (req, res) => {
    res.type('html').send(signInPage({ next: safeNext(req.query.next) }));
  });

  // The admin token is the credential; a forged sign-in would need it, so this form needs no CSRF token.
  router.post('/admin/sign-in', async (req, res) => {
    const next = safeNext(formField(req, 'next'));
    if (!tokenMatches(formField(req, 'token'), ctx.config.ADMIN_API_TOKEN)) {
      return void res.status(401).type('html').send(signInPage({ next, failed: true }));
    }
    await endSession(ctx, res, sessionOf(res));
    await startSession(ctx, res);
    res.redirect(303, next);
  });

  router.use(['/admin', '/connect', '/oauth'], requireSession);
  router.post(['/admin/*path'], requireCsrf);

  router.post('/admin/sign-out', async (_req, res) => {
    await endSession(ctx, res, sessionOf(res));
    res.redirect(303, '/admin/sign-in');
  });

  router.get(['/admin', '/admin/'], (_req, res) => res.redirect(303, '/admin/accounts'));

  router.get('/admin/accounts', async (req, res) => {
    const [kind] = Object.keys(NOTICES).filter((k) => typeof req.query[k] === 'string');
    const notice = kind ? NOTICES[kind]!(Number(req.query[kind]) || 0) : undefined;
    res.type('html').send(await accountsPage(ctx, sessionOf(res)!.csrfToken, notice));
  });

  router.get('/admin/accounts/:id/stats', async (req, res) => {
    res.type('html').send((await accountStats(ctx, await findAccount(ctx, req.params.id))).value);
  });

  router.post('/admin/accounts/:id/auto-tracking', async (req, res) => {
    await setAutoTracking(ctx, req.params.id, parseInput(toggleSchema, req.body).enabled);
    res.redirect(303, '/admin/accounts');
  });

  router.post('/admin/accounts/:id/lead-sync', async (req, res) => {
    await setLeadSync(ctx, req.params.id, parseInput(toggleSchema, req.body).enabled);
    res.redirect(303, '/admin/accounts');
  });

  router.get('/admin/accounts/:id/disconnect', async (req, res) => {
    const account = await findAccount(ctx, req.params.id);
    res.type('html').send(confirmDisconnectPage({ accountId: account._id, name: account.name, network: account.network, csrfToken: sessionOf(res)!.csrfToken }));
  });

  router.post('/admin/accounts/:id/disconnect', async (req, res) => {
    await disconnectAccount(ctx, req.params.id);
    res.redirect(303, '/admin/accounts?disconnected=1');
  });

  router.use(adsConsoleRoutes(ctx));
  router.use(oauthRoutes(ctx));
  router.use(eventsConsoleRoutes(ctx));
  router.use(['/admin', '/connect', '/oauth'], (_req, res) => {
    res.status(404).type('html').send(errorPage({ title: 'Not found', message: 'There is no such page in the console.', csrfToken: sessionOf(res)?.csrfToken }));
  });
  router.use(consoleErrors(ctx));
  return router;
}

/** API errors become a page with their message; anything else a generic page (the stack stays in the log). */
function consoleErrors(ctx: ApiContext): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (!/^\/(admin|connect|oauth)(\/|$)/.test(req.path)) return next(err);
    const known = err instanceof ApiError;
    if (!known) ctx.logger.error({ err, reqId: req.id }, 'console request failed');
    const message = known ? err.message : 'Something went wrong on our side; nothing was changed. The request id in the logs identifies it.';
    res.status(known ? err.status : 500).type('html').send(errorPage({ title: 'That did not work', message, csrfToken: sessionOf(res)?.csrfToken }));
  };
}
