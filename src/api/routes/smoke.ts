import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { smokeFinishSignal, smokePingSignal, smokeStateQuery, smokeWorkflow } from '../../../workflows/smoke';
import { AdAccountIdKey, AdNetworkKey } from '../../../workflows/search-attributes';
import { NETWORKS } from '../../networks/types';
import type { ApiContext } from '../context';
import { notFound, parseInput } from '../errors';

export const startSchema = z.object({
  network: z.enum(NETWORKS),
  accountId: z.string().regex(/^[\w-]{1,64}$/),
  secret: z.string().min(1).max(512),
});
export const pingSchema = z.object({ message: z.string().min(1).max(200) });
export const idSchema = z.string().regex(/^[\w-]{1,80}$/);

/** The pipeline check (see workflows/smoke.ts), exposed so an operator can prove the stack end to end. */
export function smokeRoutes(ctx: ApiContext): Router {
  const router = Router();
  const handleOf = (id: string) => ctx.temporal.workflow.getHandle(`smoke/${parseInput(idSchema, id, 'path')}`);

  router.post('/smoke-runs', async (req, res) => {
    const input = parseInput(startSchema, req.body);
    const runId = randomUUID();
    const workflowId = `smoke/${runId}`;
    await ctx.temporal.workflow.start(smokeWorkflow, {
      workflowId,
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      typedSearchAttributes: [
        { key: AdNetworkKey, value: input.network },
        { key: AdAccountIdKey, value: input.accountId },
      ],
    });
    res.status(202).json({ id: runId, workflowId });
  });

  router.get('/smoke-runs/:id', async (req, res) => {
    try {
      res.json({ state: await handleOf(req.params.id).query(smokeStateQuery) });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound('Smoke run');
      throw error;
    }
  });

  router.post('/smoke-runs/:id/ping', async (req, res) => {
    const { message } = parseInput(pingSchema, req.body);
    await handleOf(req.params.id).signal(smokePingSignal, { message });
    res.status(202).json({ accepted: true });
  });

  router.post('/smoke-runs/:id/finish', async (req, res) => {
    await handleOf(req.params.id).signal(smokeFinishSignal);
    res.status(202).json({ accepted: true });
  });
  return router;
}
