import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { connectWorkflowId, disconnectSignal, forceSyncSignal, reconnectSignal, setAutoTrackingUpdate } from '../../../workflows/account-definitions';
import type { ConnectResult } from '../../../workflows/connect';
import { accountKeyOf, type AdAccountRecord } from '../../db/models/ad-account';
import type { ApiContext } from '../context';
import { ApiError, notFound, parseInput } from '../errors';
import { retryOnDuplicateKey } from '../../db/upserts';
import { accountHandle, ensureAccountWorkflow, findAccount, liveStateOf, presentAccount } from './accounts-service';

export const connectAccountSchema = z.object({ connectionId: z.uuid(), externalId: z.string().min(1).max(64) });
export const toggleSchema = z.object({ enabled: z.boolean() });
export const syncSchema = z.object({ full: z.boolean().optional() }).default({});
export const reconnectSchema = z.object({ connectionId: z.uuid() });

export function accountRoutes(ctx: ApiContext): Router {
  const router = Router();

  /** Connect an account the connection reaches (ACC-2); connecting twice answers the same account. */
  router.post('/accounts', async (req, res) => {
    const input = parseInput(connectAccountSchema, req.body);
    const connection = await ctx.db.models.Connection.findById(input.connectionId).lean();
    if (!connection?.tokens) throw new ApiError(404, 'connection_not_found', 'No usable connection with that id; connect the network first.');
    const reachable = await reachableAccounts(ctx, connection.network, input.connectionId);
    const info = reachable.find((a) => a.externalId === input.externalId);
    if (!info) throw new ApiError(422, 'account_not_reachable', 'The connection does not reach that ad account.', { externalId: input.externalId });

    const id = accountKeyOf(connection.network, info.externalId);
    const existing = await ctx.db.models.AdAccount.findById(id).lean<AdAccountRecord>();
    if (existing && existing.status !== 'disconnected') {
      await ensureAccountWorkflow(ctx, existing);
      return void res.status(200).json(presentAccount(existing));
    }
    const now = new Date();
    const account = await retryOnDuplicateKey(() => ctx.db.models.AdAccount.findOneAndUpdate(
      { _id: id },
      {
        $set: {
          network: connection.network,
          externalId: info.externalId,
          name: info.name,
          currency: info.currency ?? null,
          timezone: info.timezone ?? null,
          businessId: info.businessId ?? null,
          connectionId: input.connectionId,
          status: 'active',
          connectedAt: now,
          disconnectedAt: null,
          lastError: null,
        },
        $setOnInsert: { autoTracking: true, autoTrackingHistory: [{ enabled: true, at: now }] },
      },
      { upsert: true, new: true, lean: true },
    ));
    await ensureAccountWorkflow(ctx, account as AdAccountRecord);
    res.status(201).json(presentAccount(account as AdAccountRecord));
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
    const account = await activeAccount(ctx, req.params.id);
    try {
      const live = await accountHandle(ctx, account).executeUpdate(setAutoTrackingUpdate, { args: [{ enabled }] });
      res.json({ ...presentAccount({ ...account, autoTracking: enabled }), live });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new ApiError(409, 'update_rejected', error.cause?.message ?? error.message);
      throw workflowGone(error);
    }
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
    const account = await activeAccount(ctx, req.params.id);
    const connection = await ctx.db.models.Connection.findById(connectionId).lean();
    if (!connection?.tokens || connection.network !== account.network) {
      throw new ApiError(422, 'connection_invalid', 'The connection does not exist or belongs to another network.');
    }
    const reachable = await reachableAccounts(ctx, connection.network, connectionId);
    if (!reachable.some((a) => a.externalId === account.externalId)) {
      throw new ApiError(422, 'account_not_reachable', 'The new connection does not reach this ad account.');
    }
    await signalOrGone(accountHandle(ctx, account).signal(reconnectSignal, { connectionId }));
    res.status(202).json({ accepted: true });
  });

  /** ACC-6: stops the workflow, deletes the tokens, keeps the history. */
  router.delete('/accounts/:id', async (req, res) => {
    const account = await findAccount(ctx, req.params.id);
    if (account.status !== 'disconnected') {
      const handle = accountHandle(ctx, account);
      try {
        await handle.signal(disconnectSignal);
        await handle.result();
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    res.json(presentAccount(await findAccount(ctx, req.params.id)));
  });

  return router;
}

async function activeAccount(ctx: ApiContext, id: string): Promise<AdAccountRecord> {
  const account = await findAccount(ctx, id);
  if (account.status === 'disconnected') throw new ApiError(409, 'account_disconnected', 'The account is disconnected; connect it again first.');
  return account;
}

function workflowGone(error: unknown): unknown {
  return error instanceof WorkflowNotFoundError ? notFound('The account workflow') : error;
}

async function signalOrGone(sent: Promise<void>): Promise<void> {
  try {
    await sent;
  } catch (error) {
    throw workflowGone(error);
  }
}

/**
 * The accounts a connection reaches come from its connect workflow's result (kept in Temporal,
 * encrypted), so the database never stores every account a token can see (ACC-3).
 */
async function reachableAccounts(ctx: ApiContext, network: ConnectResult['network'], connectionId: string): Promise<ConnectResult['adAccounts']> {
  try {
    const result = (await ctx.temporal.workflow.getHandle(connectWorkflowId(network, connectionId)).result()) as ConnectResult;
    return result.adAccounts;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new ApiError(409, 'connection_stale', 'The connection is too old to list its accounts; connect the network again.');
    }
    throw error;
  }
}
