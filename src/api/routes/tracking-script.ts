import { Router } from 'express';
import type { ApiContext } from '../context';
import { trackingScript } from '../tracking-script/script';

/**
 * GET /t.js — the public tracking script (VIS-1). Its API base is PUBLIC_BASE_URL, or the origin
 * the request came to. Cached briefly; served cross-origin (helmet's same-origin resource policy
 * would stop the customer's site from loading it).
 */
export function trackingScriptRoutes(ctx: ApiContext): Router {
  const router = Router();
  const fixed = ctx.config.PUBLIC_BASE_URL ? trackingScript(ctx.config.PUBLIC_BASE_URL) : undefined;
  router.get('/t.js', (req, res) => {
    const body = fixed ?? trackingScript(`${req.protocol}://${req.get('host') ?? 'localhost'}`);
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    // Derived from the Host header (no PUBLIC_BASE_URL): never let a shared cache serve it to another host.
    if (fixed) res.setHeader('Cache-Control', 'public, max-age=300');
    else {
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.setHeader('Vary', 'Host');
    }
    res.type('application/javascript; charset=utf-8').send(body);
  });
  return router;
}
