import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { deliverSoon, relayDepsOf } from '../../conversions/crm-relay';
import { parseVisitorToken } from '../../domain/visitors';
import { recordPageView, TrackingInputError } from '../../visitors/page-views';
import type { PageViewStore } from '../../visitors/page-view-store';
import { TokenBucketLimiter } from '../../visitors/rate-limit';
import { RefusedOriginLog } from '../../visitors/refused-origins';
import { visitorOriginRefused } from '../../metrics/registry';
import { FormNotFoundError, submitForm } from '../../visitors/submissions';
import type { ApiContext } from '../context';
import { checkJsonShape, parseJsonText } from '../body';
import { ApiError, parseInput } from '../errors';
import { pageViewBeacon, quickPageView } from './page-view-beacon';

/** Beacons are small: a page view is a URL, a referrer and a title; a submission a handful of answers. */
export const TRACKING_BODY_LIMIT_BYTES = 16 * 1024;

const visitorToken = z.string().transform((value, zctx) => {
  const token = parseVisitorToken(value);
  if (token === null) {
    zctx.addIssue({ code: 'custom', message: 'expected the visitor token: 32 hex characters' });
    return z.NEVER;
  }
  return token;
});
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8-64 letters, digits, dash or underscore');

export const pageViewSchema = z
  .object({
    visitorToken,
    url: z.string().min(1).max(8192),
    referrer: z.string().max(8192).optional(),
    title: z.string().max(2000).optional(),
    pageViewId: clientId.optional(),
  })
  .strict();

// `$…` names are database operators, never a form's field (issue 15 #13: they were a 500).
const fieldName = z
  .string()
  .min(1)
  .max(100)
  .refine((name) => !name.startsWith('$') && !name.includes('\0'), 'a field name cannot start with $ or contain NUL');
const fieldsSchema = z
  .record(fieldName, z.union([z.string().max(2000), z.number(), z.boolean()]).transform(String))
  .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields');

export const submissionSchema = z
  .object({
    email: z.string().min(3).max(254),
    fields: fieldsSchema.default({}),
    pageUrl: z.string().min(1).max(8192).optional(),
    visitorToken: visitorToken.optional(),
    submissionId: clientId.optional(),
    // The Meta pixel's cookies, read by /t.js; a malformed value is dropped, not an error (the browser set it).
    fbc: z.string().max(600).optional(),
    fbp: z.string().max(100).optional(),
  })
  .strict();

export const formIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * Public visitor tracking (VIS-1…VIS-5): no admin token. Mounted BEFORE the global JSON parser so
 * these routes parse their own small bodies (JSON or text/plain, which sendBeacon sends without a
 * CORS preflight). Browsers may call them only from CORS_SITE_ORIGINS; rate-limited per visitor and IP.
 * `beacon` answers the common page view ahead of the router (./page-view-beacon.ts), `router` the rest.
 */
export function visitorRoutes(ctx: ApiContext, pageViewStore: PageViewStore): { router: Router; beacon: RequestHandler } {
  const router = Router();
  const allowed = new Set(ctx.config.CORS_SITE_ORIGINS.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  const perVisitor = new TokenBucketLimiter({ ratePerMinute: ctx.config.TRACKING_RATE_PER_MINUTE, burst: ctx.config.TRACKING_RATE_BURST });
  // An office or a mobile carrier puts many visitors behind one address: a wider bucket per IP.
  const perIp = new TokenBucketLimiter({ ratePerMinute: ctx.config.TRACKING_RATE_PER_MINUTE * 5, burst: ctx.config.TRACKING_RATE_BURST * 5 });
  const emailLinkKeys = ctx.config.ENCRYPTION_KEYS.map((key) => key.key);
  const refusedLog = new RefusedOriginLog({ intervalMs: 10 * 60_000, maxOrigins: 100 });

  const cors = (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const origin = req.get('origin');
    if (origin !== undefined) {
      res.setHeader('Vary', 'Origin');
      if (!allowed.has(origin.toLowerCase())) {
        visitorOriginRefused.inc();
        const site = origin.slice(0, 200);
        if (refusedLog.shouldLog(site, Date.now())) {
          ctx.logger.warn({ origin: site, path: req.path }, 'tracking refused: the site origin is not in CORS_SITE_ORIGINS (logged once per origin per 10 min)');
        }
        // The refusal is readable by the page, so /t.js can tell the site owner in the console.
        if (req.method !== 'OPTIONS') res.setHeader('Access-Control-Allow-Origin', origin);
        return next(new ApiError(403, 'origin_not_allowed', 'This site is not allowed to send tracking data (see CORS_SITE_ORIGINS).'));
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      // /t.js waits as long as a 429 or 503 says before it retries a submission.
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };

  const body = [
    express.json({ limit: TRACKING_BODY_LIMIT_BYTES, type: ['application/json'] }),
    express.text({ limit: TRACKING_BODY_LIMIT_BYTES, type: ['text/plain'] }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.body === undefined) return next(new ApiError(415, 'unsupported_media_type', 'Send the body as application/json or text/plain JSON.'));
      if (typeof req.body === 'string') req.body = parseJsonText(req.body);
      else checkJsonShape(req.body);
      next();
    },
  ];

  const limit = (token: string | undefined, req: Request, res: Response) => {
    const ipKey = `ip:${req.ip ?? 'unknown'}`;
    const okIp = perIp.take(ipKey);
    const okVisitor = token === undefined || perVisitor.take(`v:${token}`);
    if (okIp && okVisitor) return;
    const waitMs = Math.max(perIp.retryAfterMs(ipKey), token === undefined ? 0 : perVisitor.retryAfterMs(`v:${token}`));
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
    throw new ApiError(429, 'rate_limited', 'Too many tracking requests; slow down.');
  };

  const inputError = (error: unknown): unknown =>
    error instanceof TrackingInputError
      ? new ApiError(400, 'validation_failed', 'The request body is invalid', { issues: [{ path: `body.${error.field}`, message: error.message }] })
      : error;

  router.options(['/t/pageview', '/t/forms/:formId/submissions'], cors);

  const acceptPageView = async (req: Request, res: Response, raw: unknown) => {
    const input = quickPageView(raw) ?? parseInput(pageViewSchema, raw);
    limit(input.visitorToken, req, res);
    try {
      await recordPageView(
        { models: ctx.db.models, emailLinkKeys, store: pageViewStore },
        { visitorToken: input.visitorToken, url: input.url, referrer: input.referrer, title: input.title, pageViewId: input.pageViewId, at: new Date() },
      );
    } catch (error) {
      throw inputError(error);
    }
  };

  router.post('/t/pageview', cors, ...body, async (req, res) => {
    await acceptPageView(req, res, req.body);
    res.status(202).json({ accepted: true });
  });

  router.post('/t/forms/:formId/submissions', cors, ...body, async (req, res) => {
    const formId = parseInput(formIdSchema, req.params.formId, 'path');
    const input = parseInput(submissionSchema, req.body);
    limit(input.visitorToken, req, res);
    let result;
    try {
      const submit = () => submitForm(ctx.db.models, {
        formId,
        email: input.email,
        fields: input.fields,
        pageUrl: input.pageUrl,
        visitorToken: input.visitorToken,
        submissionId: input.submissionId,
        fbc: input.fbc,
        fbp: input.fbp,
        userAgent: req.get('user-agent')?.slice(0, 1000) ?? null,
        ip: req.ip ?? null,
        at: new Date(),
      });
      const token = input.visitorToken;
      // The submission may open a session or identify the browser: after it, page views read the visitor anew.
      result = token === undefined ? await submit() : await pageViewStore.forVisitor(token, () => submit().finally(() => pageViewStore.forget(token)));
    } catch (error) {
      if (error instanceof FormNotFoundError) throw new ApiError(404, 'form_not_found', 'No form with that id.');
      throw inputError(error);
    }
    deliverSoon(relayDepsOf(ctx), result.activityIds);
    res.status(202).json({ accepted: true, submissionId: result.submissionId });
  });

  return { router, beacon: pageViewBeacon({ limitBytes: TRACKING_BODY_LIMIT_BYTES, cors, accept: acceptPageView }) };
}
