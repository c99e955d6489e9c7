import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { accountWorkflow } from '../../../workflows/account';
import { accountWorkflowId, type AccountLiveState } from '../../../workflows/account-definitions';
import { accountStateQuery } from '../../../workflows/account-definitions';
import { AccountStatusKey, AdAccountIdKey, AdNetworkKey, AutoTrackingKey } from '../../../workflows/search-attributes';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

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
