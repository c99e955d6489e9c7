import type { Express, Request, Response } from 'express';
import type { FaultRenderer, Sandbox } from '../kit/sandbox-app';
import { authenticate, authorizeCustomer, chargeQuota, checkVersion, quotaError } from './api-gate';
import { uploadClickConversions } from './conversions';
import { adsError, GoogleApiError, requestIdOf, sendApiError, versionOf } from './envelope';
import { mutateCustomer, mutateMany } from './mutate';
import { search, searchStream } from './search';
import type { Customer, GoogleWorld } from './world';

/**
 * The Google Ads REST surface (`/{version}/customers...`). Customer ids and method names share path
 * segments with colons ("customers/123:mutate"), so routes are matched here by regular expression
 * rather than by Express path patterns.
 */

interface Call {
  world: GoogleWorld;
  sandbox: Sandbox;
  req: Request;
  res: Response;
  version: string;
  customer: Customer;
  body: Record<string, unknown>;
}

interface ApiRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  label: string;
  /** Number of items the request carries (request-log batch size). */
  operations?(body: Record<string, unknown>): number;
  /** Mutates cost one quota operation per operation; every other request costs one (reference §1.4). */
  chargesPerOperation?: boolean;
  handle(call: Call): unknown;
}

const CID = '([^/:]+)';
const count = (key: string) => (body: Record<string, unknown>) => (Array.isArray(body[key]) ? body[key].length : 0);

function itemFails(sandbox: Sandbox) {
  return () => sandbox.faults.itemFails();
}

const ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/customers/${CID}/googleAds:search$`),
    label: 'POST /customers/{cid}/googleAds:search',
    handle: ({ world, customer, body }) => search(world, customer, body),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/customers/${CID}/googleAds:searchStream$`),
    label: 'POST /customers/{cid}/googleAds:searchStream',
    handle: ({ world, customer, body, res }) => searchStream(world, customer, body, requestIdOf(res)),
  },
  ...(['campaigns', 'adGroups', 'ads'] as const).map(
    (collection): ApiRoute => ({
      method: 'POST',
      pattern: new RegExp(`^/customers/${CID}/${collection}:mutate$`),
      label: `POST /customers/{cid}/${collection}:mutate`,
      operations: count('operations'),
      chargesPerOperation: true,
      handle: ({ world, sandbox, customer, version, res, body }) =>
        mutateMany({ world, customerId: customer.id, version, requestId: requestIdOf(res), itemFails: itemFails(sandbox) }, collection, body),
    }),
  ),
  {
    method: 'POST',
    pattern: new RegExp(`^/customers/${CID}:mutate$`),
    label: 'POST /customers/{cid}:mutate',
    operations: () => 1,
    handle: ({ world, sandbox, customer, version, res, body }) =>
      mutateCustomer({ world, customerId: customer.id, version, requestId: requestIdOf(res), itemFails: itemFails(sandbox) }, body),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/customers/${CID}:uploadClickConversions$`),
    label: 'POST /customers/{cid}:uploadClickConversions',
    operations: count('conversions'),
    handle: ({ world, sandbox, customer, version, res, body }) =>
      uploadClickConversions({ world, customer, version, requestId: requestIdOf(res), itemFails: itemFails(sandbox) }, body),
  },
];

const LIST_ACCESSIBLE = 'GET /customers:listAccessibleCustomers';
const API_PATH = /^\/(v\d+(?:_\d+)?)(\/.*)$/;

function matchRoute(method: string, path: string): { route: ApiRoute; customerId: string } | undefined {
  for (const route of ROUTES) {
    const m = route.method === method ? route.pattern.exec(path) : null;
    if (m?.[1]) return { route, customerId: m[1] };
  }
  return undefined;
}

/** Stable request-log label ("POST /customers/{cid}/campaigns:mutate"), version left out. */
export function endpointLabel(req: Request): string {
  const m = API_PATH.exec(req.path);
  if (m?.[2]) {
    if (req.method === 'GET' && m[2] === '/customers:listAccessibleCustomers') return LIST_ACCESSIBLE;
    const hit = matchRoute(req.method, m[2]);
    if (hit) return hit.route.label;
  }
  if (/^\/(token|oauth2\/v[34]\/token)$/.test(req.path)) return 'POST /token';
  return `${req.method} ${req.path}`;
}

export function googleFaultRenderer(): FaultRenderer {
  let transientCount = 0;
  return {
    rateLimit: (res, retryAfterSeconds) =>
      sendApiError(
        res,
        versionOf(res.req.path),
        quotaError('RESOURCE_TEMPORARILY_EXHAUSTED', `Too many requests. Retry in ${retryAfterSeconds} seconds.`, retryAfterSeconds, {
          scope: 'ACCOUNT',
          name: 'Requests per account',
        }),
      ),
    transient: (res) => {
      transientCount += 1;
      const unavailable = transientCount % 2 === 0;
      sendApiError(
        res,
        versionOf(res.req.path),
        new GoogleApiError(unavailable ? 503 : 500, [
          adsError('internalError', unavailable ? 'TRANSIENT_ERROR' : 'INTERNAL_ERROR', unavailable ? 'The service is temporarily unavailable.' : 'An internal error has occurred.'),
        ]),
      );
    },
    expiredToken: (res) =>
      sendApiError(res, versionOf(res.req.path), new GoogleApiError(401, [adsError('authenticationError', 'OAUTH_TOKEN_EXPIRED', 'OAuth token in the header has expired.')])),
  };
}

export function installApiRoutes(app: Express, world: GoogleWorld, sandbox: Sandbox): void {
  app.use((req, res, next) => {
    const m = API_PATH.exec(req.path);
    if (!m?.[1] || !m[2]) return next();
    const version = m[1];
    const path = m[2];
    const listAccessible = req.method === 'GET' && path === '/customers:listAccessibleCustomers';
    const hit = listAccessible ? undefined : matchRoute(req.method, path);
    if (!listAccessible && !hit) return next();
    res.setHeader('request-id', requestIdOf(res));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const operations = hit?.route.operations?.(body);
    if (operations !== undefined) (res.locals as { batchSize?: number }).batchSize = operations;
    try {
      checkVersion(world, version);
      const expired = sandbox.tokensExpired();
      if (expired) (res.locals as { fault?: string }).fault = 'expired_token';
      const grant = authenticate(world, req, expired);
      if (listAccessible) {
        chargeQuota(world, undefined, 1);
        return void res.json({ resourceNames: grant.customerIds.filter((id) => world.customers.has(id)).map((id) => `customers/${id}`) });
      }
      if (!hit) return next();
      const customer = authorizeCustomer(world, grant, hit.customerId, req);
      chargeQuota(world, customer.id, hit.route.chargesPerOperation ? Math.max(1, operations ?? 1) : 1);
      res.json(hit.route.handle({ world, sandbox, req, res, version, customer, body }));
    } catch (error) {
      if (error instanceof GoogleApiError) return sendApiError(res, version, error);
      next(error);
    }
  });
}
