import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { accountWorkflow } from '../../../workflows/account';
import { accountWorkflowId, connectWorkflowId, disconnectSignal, forceSyncSignal, reconnectSignal, setAutoTrackingUpdate, setLeadSyncUpdate, type AccountLiveState } from '../../../workflows/account-definitions';
import { accountStateQuery } from '../../../workflows/account-definitions';
import type { ConnectResult } from '../../../workflows/connect';
import { AccountStatusKey, AdAccountIdKey, AdNetworkKey, AutoTrackingKey } from '../../../workflows/search-attributes';
import { accountKeyOf, type AdAccountRecord } from '../../db/models/ad-account';
import { retryOnDuplicateKey } from '../../db/upserts';
import type { ApiContext } from '../context';
import { ApiError, notFound } from '../errors';

/**
 * ACC-2/ACC-3: connects one account the connection reaches (the API's POST /api/accounts and the
 * console's account picker); connecting twice answers the same account with `created: false`.
 * `autoTracking: false` connects it with auto-tracking off, so its ads can be previewed before any
 * is touched (issue 13); an account already connected keeps its switch.
 */
export async function connectReachableAccount(
  ctx: ApiContext,
  connectionId: string,
  externalId: string,
  options: { autoTracking?: boolean } = {},
): Promise<{ created: boolean; account: AdAccountRecord }> {
  const connection = await ctx.db.models.Connection.findById(connectionId).lean();
  if (!connection?.tokens) throw new ApiError(404, 'connection_not_found', 'No usable connection with that id; connect the network first.');
  const reachable = await reachableAccounts(ctx, connection.network, connectionId);
  const info = reachable.find((a) => a.externalId === externalId);
  if (!info) throw new ApiError(422, 'account_not_reachable', 'The connection does not reach that ad account.', { externalId });

  const id = accountKeyOf(connection.network, info.externalId);
  const existing = await ctx.db.models.AdAccount.findById(id).lean<AdAccountRecord>();
  if (existing && existing.status !== 'disconnected') {
    await ensureAccountWorkflow(ctx, existing);
    return { created: false, account: existing };
  }
  const now = new Date();
  const autoTracking = options.autoTracking ?? true;
  // A connection again after a disconnect keeps the switch's history unless the admin asks for it off.
  const switchOff = existing && !autoTracking ? { $push: { autoTrackingHistory: { enabled: false, at: now } } } : {};
  // Two first connections of one account at once: the loser updates the winner's record (issue 15 #13).
  const account = (await retryOnDuplicateKey(() => ctx.db.models.AdAccount.findOneAndUpdate(
    { _id: id },
    {
      $set: {
        network: connection.network,
        externalId: info.externalId,
        name: info.name,
        currency: info.currency ?? null,
        timezone: info.timezone ?? null,
        businessId: info.businessId ?? null,
        connectionId,
        status: 'active',
        connectedAt: now,
        disconnectedAt: null,
        lastError: null,
        ...(existing && !autoTracking ? { autoTracking } : {}),
      },
      ...(existing ? switchOff : { $setOnInsert: { autoTracking, autoTrackingHistory: [{ enabled: autoTracking, at: now }] } }),
    },
    { upsert: true, new: true, lean: true },
  ))) as AdAccountRecord;
  await ensureAccountWorkflow(ctx, account);
  return { created: true, account };
}

/**
 * The accounts a connection reaches come from its connect workflow's result (kept in Temporal,
 * encrypted), so the database never stores every account a token can see (ACC-3).
 */
export async function reachableAccounts(ctx: ApiContext, network: ConnectResult['network'], connectionId: string): Promise<ConnectResult['adAccounts']> {
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

/** ACC-4 as an update: the caller gets the account with the new live state back. */
export async function setAutoTracking(ctx: ApiContext, id: string, enabled: boolean) {
  const account = await activeAccount(ctx, id);
  try {
    const handle = accountHandle(ctx, account);
    const live = await handle.executeUpdate(setAutoTrackingUpdate, { args: [{ enabled }] });
    // The sweep the switch asks for lists only ads changed since the last one; the ads an earlier
    // sweep left alone (AUTO_TRACKING_OFF) are unchanged, so switching on needs a full sweep to reach them.
    if (enabled) await handle.signal(forceSyncSignal, { full: true });
    return { ...presentAccount({ ...account, autoTracking: enabled }), live };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new ApiError(409, 'update_rejected', error.cause?.message ?? error.message);
    throw workflowGone(error);
  }
}

/** ACC-2: a new grant for an account parked in needs_reconnect; the workflow resumes where it was. */
export async function reconnectAccount(ctx: ApiContext, id: string, connectionId: string): Promise<void> {
  const account = await activeAccount(ctx, id);
  const connection = await ctx.db.models.Connection.findById(connectionId).lean();
  if (!connection?.tokens || connection.network !== account.network) {
    throw new ApiError(422, 'connection_invalid', 'The connection does not exist or belongs to another network.');
  }
  const reachable = await reachableAccounts(ctx, connection.network, connectionId);
  if (!reachable.some((a) => a.externalId === account.externalId)) {
    throw new ApiError(422, 'account_not_reachable', 'The new connection does not reach this ad account.');
  }
  await signalOrGone(accountHandle(ctx, account).signal(reconnectSignal, { connectionId }));
}

/** ACC-6: stops the workflow, deletes the tokens, keeps the history; answers the account as stored after. */
export async function disconnectAccount(ctx: ApiContext, id: string): Promise<AdAccountRecord> {
  const account = await findAccount(ctx, id);
  if (account.status !== 'disconnected') {
    const handle = accountHandle(ctx, account);
    try {
      await handle.signal(disconnectSignal);
      await handle.result();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return findAccount(ctx, id);
}

/**
 * LEAD-1: the account workflow owns the switch and runs the lead sync as its child; a disconnected
 * account has no workflow, only the stored switch.
 */
export async function setLeadSync(ctx: ApiContext, id: string, enabled: boolean): Promise<AdAccountRecord> {
  const account = await findAccount(ctx, id);
  if (account.status === 'disconnected') {
    if (enabled) throw new ApiError(409, 'account_disconnected', 'The account is disconnected; connect it again first.');
    await retryOnDuplicateKey(() =>
      ctx.db.models.LeadSyncAccount.updateOne({ _id: account._id }, { $set: { network: account.network, enabled, changedAt: new Date() } }, { upsert: true }),
    );
  } else {
    await (await ensureAccountWorkflow(ctx, account)).executeUpdate(setLeadSyncUpdate, { args: [{ enabled }] });
  }
  return account;
}

export async function activeAccount(ctx: ApiContext, id: string): Promise<AdAccountRecord> {
  const account = await findAccount(ctx, id);
  if (account.status === 'disconnected') throw new ApiError(409, 'account_disconnected', 'The account is disconnected; connect it again first.');
  return account;
}

export function workflowGone(error: unknown): unknown {
  return error instanceof WorkflowNotFoundError ? notFound('The account workflow') : error;
}

/** Starts the account's workflow, or returns the running one: connecting twice is one workflow. */
export async function ensureAccountWorkflow(ctx: ApiContext, account: Pick<AdAccountRecord, 'network' | 'externalId' | 'autoTracking'>): Promise<WorkflowHandle> {
  return ctx.temporal.workflow.start(accountWorkflow, {
    workflowId: accountWorkflowId(account.network, account.externalId),
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [
      {
        network: account.network,
        externalId: account.externalId,
        settings: {
          sweepIntervalSeconds: ctx.config.SWEEP_INTERVAL_SECONDS,
          idleSweepSeconds: ctx.config.IDLE_SWEEP_INTERVAL_SECONDS,
          taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
          fullSweepIntervalSeconds: ctx.config.FULL_SWEEP_INTERVAL_SECONDS,
          metricsIntervalSeconds: ctx.config.METRICS_INTERVAL_SECONDS,
          metricsLookbackDays: ctx.config.METRICS_LOOKBACK_DAYS,
          leadSync: { pollIntervalSeconds: ctx.config.LEAD_POLL_INTERVAL_SECONDS, reconcileIntervalSeconds: ctx.config.LEAD_RECONCILE_INTERVAL_SECONDS },
        },
      },
    ],
    typedSearchAttributes: [
      { key: AdNetworkKey, value: account.network },
      { key: AdAccountIdKey, value: account.externalId },
      { key: AutoTrackingKey, value: account.autoTracking },
      { key: AccountStatusKey, value: 'active' },
    ],
  });
}

export async function findAccount(ctx: ApiContext, id: string): Promise<AdAccountRecord> {
  const account = await ctx.db.models.AdAccount.findById(id).lean<AdAccountRecord>();
  if (!account) throw notFound('Ad account');
  return account;
}

export function accountHandle(ctx: ApiContext, account: Pick<AdAccountRecord, 'network' | 'externalId'>) {
  return ctx.temporal.workflow.getHandle(accountWorkflowId(account.network, account.externalId));
}

/**
 * The workflow's live state, or null when it is not running (disconnected, never started) or does
 * not answer in time (a busy worker): the database record still answers the request.
 */
export async function liveStateOf(ctx: ApiContext, account: AdAccountRecord): Promise<AccountLiveState | null> {
  if (account.status === 'disconnected') return null;
  try {
    return await accountHandle(ctx, account).query(accountStateQuery);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) ctx.logger.warn({ err: error, accountId: account._id }, 'account workflow did not answer its state query');
    return null;
  }
}

export function presentAccount(account: AdAccountRecord) {
  return {
    id: account._id,
    network: account.network,
    externalId: account.externalId,
    name: account.name,
    currency: account.currency,
    timezone: account.timezone,
    businessId: account.businessId,
    connectionId: account.connectionId,
    status: account.status,
    autoTracking: account.autoTracking,
    connectedAt: account.connectedAt,
    disconnectedAt: account.disconnectedAt,
    lastSweepAt: account.lastSweepAt,
    lastError: account.lastError,
    workflowId: accountWorkflowId(account.network, account.externalId),
  };
}

export async function signalOrGone(sent: Promise<void>): Promise<void> {
  try {
    await sent;
  } catch (error) {
    throw workflowGone(error);
  }
}
