import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createSandbox, type Sandbox } from '../kit/sandbox-app';
import { controlRouter } from './control';
import { errors, linkedInFaults, RestliHttpError, sendRestliError } from './errors';
import { endpointLabel, restGate, type GateOptions } from './gate';
import { oauthRouter, type AppCredentials } from './oauth';
import { applyQueryTunnelling } from './restli';
import { mountAccountRoutes } from './routes-accounts';
import { mountAnalyticsRoutes } from './routes-analytics';
import { mountConversionRoutes } from './routes-conversions';
import { mountCreativeRoutes } from './routes-creatives';
import { mountLeadRoutes } from './routes-leads';
import { mountTrackingRoutes } from './routes-tracking';
import { LinkedInWorld } from './state';
import { LeadNotifier } from './webhooks';

export interface LinkedInSandboxOptions extends GateOptions, Partial<AppCredentials> {}

export interface LinkedInSandbox {
  app: Express;
  sandbox: Sandbox;
  state: LinkedInWorld;
  notifier: LeadNotifier;
  credentials: AppCredentials;
}

export const DEFAULT_LINKEDIN_CREDENTIALS: AppCredentials = { clientId: 'linkedin-sandbox-client', clientSecret: 'linkedin-sandbox-secret' };

/**
 * An in-process LinkedIn Marketing API: OAuth on /oauth/v2, the versioned Rest.li API on /rest,
 * control routes on /_sandbox. Point a client at `${url}/rest` and `${url}/oauth/v2`.
 */
export function createLinkedInSandbox(options: LinkedInSandboxOptions = {}): LinkedInSandbox {
  const world = new LinkedInWorld();
  const notifier = new LeadNotifier();
  const credentials: AppCredentials = {
    clientId: options.clientId ?? DEFAULT_LINKEDIN_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_LINKEDIN_CREDENTIALS.clientSecret,
  };
  const sandbox = createSandbox({
    name: 'linkedin',
    renderFaults: linkedInFaults,
    endpointOf: endpointLabel,
    onReset: () => {
      world.reset();
      notifier.clear();
    },
    faultFreePrefixes: ['/oauth/v2/authorization'],
  });
  const { app } = sandbox;

  app.use(controlRouter(world, notifier));
  app.use('/oauth/v2', oauthRouter(world, credentials));

  app.use('/rest', (req: Request, _res: Response, next: NextFunction) => {
    applyQueryTunnelling(req);
    next();
  });
  const rest = express.Router();
  rest.use(restGate(world, sandbox, options));
  mountAccountRoutes(rest, world);
  mountCreativeRoutes(rest, world);
  mountTrackingRoutes(rest, world);
  mountLeadRoutes(rest, world);
  mountConversionRoutes(rest, world, sandbox);
  mountAnalyticsRoutes(rest, world);
  rest.use((req: Request) => {
    throw errors.notFound(`${req.method} ${req.originalUrl.split('?')[0] ?? ''}`);
  });
  rest.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof RestliHttpError) return sendRestliError(res, err);
    if (err instanceof SyntaxError) return sendRestliError(res, errors.invalid('Malformed JSON body'));
    next(err);
  });
  app.use('/rest', rest);

  sandbox.finish();
  return { app, sandbox, state: world, notifier, credentials };
}

export { LinkedInWorld } from './state';
export { signLeadNotification, challengeResponse } from './webhooks';
