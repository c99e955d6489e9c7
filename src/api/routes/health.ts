import { Router } from 'express';
import type { ApiContext } from '../context';

export function healthRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    const [temporal, database] = await Promise.all([ctx.temporalReady(), ctx.db.ping()]);
    const ready = temporal && database;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: { temporal, database } });
  });
  return router;
}
