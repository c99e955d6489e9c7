import { Router } from 'express';
import type { ApiContext } from '../context';
import { answerScrape } from '../../metrics/endpoint';

/**
 * `GET /metrics` of the API process. With METRICS_TOKEN set Prometheus sends it as a bearer token; in
 * production without one the endpoint is not served at all (404), so it is never public by accident.
 */
export function metricsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const token = ctx.config.METRICS_TOKEN;
  if (ctx.config.NODE_ENV === 'production' && !token) return router;
  router.get('/metrics', async (req, res) => {
    const answer = await answerScrape(req.headers.authorization, { token });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
  return router;
}
