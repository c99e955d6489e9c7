import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { httpRequestDuration, visitorEvents, webhookDeliveries } from './registry';
import { registeredRoutes } from './routes';

/**
 * Times every request by its route template (`/api/accounts/:id`, from Express's matched route, never
 * the raw URL: ids would mint a series each) and status. Requests no route matched are `unmatched`.
 * The public endpoints' product counters (webhook deliveries, visitor events) are derived here from
 * the route and status, so the route handlers stay free of metric code.
 */
export function httpMetrics(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = httpRequestDuration.startTimer();
    res.once('finish', () => {
      const route = routeTemplate(req);
      const status = res.statusCode;
      end({ method: req.method, route, status: String(status) });
      countProductEvent(req.method, route, status);
    });
    next();
  };
}

export function countProductEvent(method: string, route: string, status: number): void {
  if (method !== 'POST') return;
  const webhook = /^\/webhooks\/(facebook|google|linkedin)$/.exec(route);
  if (webhook) {
    webhookDeliveries.inc({ network: webhook[1]!, outcome: status < 300 ? 'accepted' : status === 401 ? 'rejected_signature' : 'rejected' });
    return;
  }
  const kind = route === '/t/pageview' ? 'pageview' : route === '/t/forms/:formId/submissions' ? 'submission' : undefined;
  if (kind) visitorEvents.inc({ kind, outcome: status < 300 ? 'accepted' : status === 429 ? 'rate_limited' : 'refused' });
}

/**
 * `baseUrl + route.path` while the request is inside its router; an error passed on with `next(err)`
 * leaves the router (Express restores `baseUrl`), so the template is then looked up among the app's
 * registered routes by the matched path and the URL's prefix.
 */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  const direct = `${req.baseUrl}${path}`;
  const known = registeredRoutes(req.app);
  if (known.some((r) => r.path === direct)) return direct;
  const url = req.originalUrl.split('?')[0] ?? '';
  const candidate = known.find((r) => r.path.endsWith(path) && url.startsWith(r.path.slice(0, r.path.length - path.length)));
  return candidate?.path ?? direct;
}
