import { Router } from 'express';
import { z } from 'zod';
import { forceSyncSignal } from '../../../workflows/account-definitions';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { ApiContext } from '../context';
import { parseInput } from '../errors';
import {
  accountHandle,
  activeAccount,
  connectReachableAccount,
  disconnectAccount,
  findAccount,
  liveStateOf,
  presentAccount,
  reconnectAccount,
  setAutoTracking,
  signalOrGone,
} from './accounts-service';

export const connectAccountSchema = z.object({
  connectionId: z.uuid(),
  externalId: z.string().min(1).max(64),
  autoTracking: z.boolean().optional().describe('false connects with auto-tracking off, to preview its effect first (default true)'),
});
export const toggleSchema = z.object({ enabled: z.boolean() });
export const syncSchema = z.object({ full: z.boolean().optional() }).default({});
export const reconnectSchema = z.object({ connectionId: z.uuid() });

export function accountRoutes(ctx: ApiContext): Router {
  const router = Router();

  /** Connect an account the connection reaches (ACC-2); connecting twice answers the same account. */
  router.post('/accounts', async (req, res) => {
    const input = parseInput(connectAccountSchema, req.body);
    const { created, account } = await connectReachableAccount(ctx, input.connectionId, input.externalId, input.autoTracking === undefined ? {} : { autoTracking: input.autoTracking });
    res.status(created ? 201 : 200).json(presentAccount(account));
  });

  router.get('/accounts', async (_req, res) => {
    const accounts = await ctx.db.models.AdAccount.find().sort({ _id: 1 }).lean<AdAccountRecord[]>();
    res.json({ items: accounts.map(presentAccount) });
  });

  router.get('/accounts/:id', async (req, res) => {
    const account = await findAccount(ctx, req.params.id);
    res.json({ ...presentAccount(account), live: await liveStateOf(ctx, account) });
  });

  /** ACC-4 as an update: the caller gets the new live state back. */
  router.post('/accounts/:id/auto-tracking', async (req, res) => {
    const { enabled } = parseInput(toggleSchema, req.body);
    res.json(await setAutoTracking(ctx, req.params.id, enabled));
  });

  router.post('/accounts/:id/sync', async (req, res) => {
    const { full } = parseInput(syncSchema, req.body ?? {});
    const account = await activeAccount(ctx, req.params.id);
    await signalOrGone(accountHandle(ctx, account).signal(forceSyncSignal, { full: full ?? false }));
    res.status(202).json({ accepted: true });
  });

  /** ACC-2: a new grant for an account parked in needs_reconnect; the workflow resumes where it was. */
  router.post('/accounts/:id/reconnect', async (req, res) => {
    const { connectionId } = parseInput(reconnectSchema, req.body);
    await reconnectAccount(ctx, req.params.id, connectionId);
    res.status(202).json({ accepted: true });
  });

  /** ACC-6: stops the workflow, deletes the tokens, keeps the history. */
  router.delete('/accounts/:id', async (req, res) => {
    res.json(presentAccount(await disconnectAccount(ctx, req.params.id)));
  });

  return router;
}
