import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { parseInput } from '../errors';
import { adsReport } from './reports-service';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const querySchema = z
  .object({ accountId: z.string().min(1).max(200), from: day.optional(), to: day.optional() })
  // The paths let a form show the message next to the date it is about.
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to, or neither', path: ['from'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

/** REP-1/REP-2: the ads report (`adsReport`). */
export function reportRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/reports/ads', async (req, res) => {
    const query = parseInput(querySchema, req.query, 'query');
    res.json(await adsReport(ctx, query));
  });

  return router;
}
