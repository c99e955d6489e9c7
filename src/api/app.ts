import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { requireAdminToken } from './auth';
import type { ApiContext } from './context';
import { errorHandler, notFoundHandler } from './errors';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { accountRoutes } from './routes/accounts';
import { adRoutes } from './routes/ads';
import { connectionRoutes } from './routes/connections';
import { smokeRoutes } from './routes/smoke';
import { conversionEventRoutes } from './routes/conversion-events';
import { registerConversionRouting } from '../conversions/routing';
import { webhookRoutes } from './routes/webhooks';
import { visitorRoutes } from './routes/visitors';
import { trackingScriptRoutes } from './routes/tracking-script';
import { formRoutes } from './routes/forms';
import { contactRoutes } from './routes/contacts';
import { campaignRoutes } from './routes/campaigns';
import { reportRoutes } from './routes/reports';
import { leadRoutes } from './routes/leads';
import { consoleRoutes } from '../admin/routes';

const REQUEST_ID = /^[\w.-]{8,128}$/;

export function createApp(ctx: ApiContext): Express {
  // CRM activity (lifecycle changes, form submissions) → the conversion-event workflows (issue 6); once per process.
  registerConversionRouting();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
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
      serializers: { req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }) },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  // Public, before express.json: webhooks verify signatures over the raw body; the visitor-tracking
  // endpoints parse their own small (16 kB) JSON/text bodies and answer only configured site origins.
  app.use(webhookRoutes(ctx));
  app.use(visitorRoutes(ctx));
  app.use(trackingScriptRoutes(ctx));
  app.use(express.json({ limit: '256kb' }));

  app.use(healthRoutes(ctx));
  app.use(codecRoutes(ctx));
  app.use(consoleRoutes(ctx));

  const api = express.Router();
  api.use(requireAdminToken(ctx.config.ADMIN_API_TOKEN));
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
