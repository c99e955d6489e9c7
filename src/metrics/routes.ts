import type { Application } from 'express';

export interface RegisteredRoute {
  method: string;
  /** The full template, mount prefixes included: `/api/accounts/:id`. */
  path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: string;
}

const cache = new WeakMap<object, RegisteredRoute[]>();

/**
 * Every route the Express 5 app registered, walked from its router stack (nested routers with their
 * mount paths). The OpenAPI route-coverage test and the HTTP metrics' route labels both read this.
 */
export function registeredRoutes(app: Application): RegisteredRoute[] {
  const cached = cache.get(app);
  if (cached) return cached;
  const out: RegisteredRoute[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') for (const path of paths) out.push({ method: method.toUpperCase(), path: `${prefix}${path}` });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  // Built on first use, once every route is registered (the first request comes after createApp).
  cache.set(app, out);
  return out;
}
