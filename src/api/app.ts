import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { requireAdminToken } from './auth';
import { jsonBody, rejectNulInUrl } from './body';
import type { ApiContext } from './context';
import { errorHandler, notFoundHandler } from './errors';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { accountRoutes } from './routes/accounts';
import { adRoutes } from './routes/ads';
import { connectionRoutes } from './routes/connections';
import { smokeRoutes } from './routes/smoke';
import { conversionEventRoutes } from './routes/conversion-events';
import { webhookRoutes } from './routes/webhooks';
import { visitorRoutes } from './routes/visitors';
import { PageViewStore } from '../visitors/page-view-store';
import { trackingScriptRoutes } from './routes/tracking-script';
import { formRoutes } from './routes/forms';
import { contactRoutes } from './routes/contacts';
import { campaignRoutes } from './routes/campaigns';
import { reportRoutes } from './routes/reports';
import { leadRoutes } from './routes/leads';
import { metricsRoutes } from './routes/metrics';
import { openApiRoutes } from './routes/openapi';
import { httpMetrics } from '../metrics/http';
import { consoleRoutes } from '../admin/routes';

const REQUEST_ID = /^[\w.-]{8,128}$/;

const drains = new WeakMap<Express, () => Promise<void>>();

/** Writes what the app holds in memory (the page views' session counters) before the process exits. */
export function drainApp(app: Express): Promise<void> {
  return drains.get(app)?.() ?? Promise.resolve();
}

/**
 * The common page-view beacon is answered before Express dispatches at all: its router walk and
 * final-handler set-up cost about as much API CPU as the beacon's own work (P8 profile). Express
 * calls `app.handle` for every request, so that is where it is taken; anything else, and a beacon
 * refused with an error, goes through the app as usual — the error first, so the app's error
 * handler words it exactly as before.
 */
function serveBeaconFirst(app: Express, beacon: RequestHandler): void {
  type Handle = (req: Request, res: Response, callback?: (error?: unknown) => void) => void;
  const routable = app as unknown as { handle: Handle };
  const dispatch = routable.handle.bind(app);
  const refused = new WeakMap<Request, unknown>();
  app.use((req, _res, next) => (refused.has(req) ? next(refused.get(req)) : next()));
  routable.handle = (req, res, callback) => {
    // What Express's own handle does first: its request and response helpers (req.ip, req.get, res.status).
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    beacon(req, res, (error?: unknown) => {
      if (error !== undefined) refused.set(req, error);
      dispatch(req, res, callback);
    });
  };
}

export function createApp(ctx: ApiContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Forwarded headers only from the configured proxies (TRUST_PROXY); by default nobody's (issue 15 #14).
  app.set('trust proxy', ctx.config.TRUST_PROXY.length > 0 ? ctx.config.TRUST_PROXY : false);
  // The page-view beacon (VIS-1) comes before helmet and the access log: at thousands of page views a
  // second those cost as much as the page view itself (P8); its metrics count it, errors are still
  // logged, and its answer is small JSON that sets its own nosniff. Form submissions are few and worth
  // an access-log line: they take the same router after the log (one router, one set of rate limits).
  const pageViews = new PageViewStore(ctx.db.models, (error, pending) =>
    ctx.logger.warn({ error: error instanceof Error ? error.name : 'unknown', pending }, 'page-view session counters not written yet; retrying'),
  );
  drains.set(app, () => pageViews.close());
  const visitors = visitorRoutes(ctx, pageViews);
  serveBeaconFirst(app, visitors.beacon);
  app.use(httpMetrics());
  app.use(rejectNulInUrl);
  app.use((req, res, next) => (req.path === '/t/pageview' ? visitors.router(req, res, next) : next()));
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Paths only: query strings can carry OAuth codes and personal data.
      // …and the Web UI's codec key rides in its codec path.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0]!.replace(/^\/codec\/ui\/[^/]+/, '/codec/ui/<key>') }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  // No global body parser: each route reads its body only after its own check of the caller (issue 15 #8).
  // Webhooks verify signatures over the raw body; the visitor-tracking endpoints parse their own small
  // (16 kB) JSON/text bodies and answer only configured site origins; /codec and /api authenticate first.
  app.use(webhookRoutes(ctx));
  app.use(visitors.router);
  app.use(trackingScriptRoutes(ctx));
  app.use(healthRoutes(ctx));
  app.use(metricsRoutes(ctx));
  app.use(openApiRoutes());
  app.use(codecRoutes(ctx));
  app.use(consoleRoutes(ctx));

  const api = express.Router();
  api.use(requireAdminToken(ctx.config.ADMIN_API_TOKEN));
  api.use(jsonBody('256kb'));
  api.use(smokeRoutes(ctx));
  api.use(connectionRoutes(ctx));
  api.use(accountRoutes(ctx));
  api.use(adRoutes(ctx));
  api.use(conversionEventRoutes(ctx));
  api.use(formRoutes(ctx));
  api.use(contactRoutes(ctx));
  api.use(campaignRoutes(ctx));
  api.use(reportRoutes(ctx));
  api.use(leadRoutes(ctx));
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
