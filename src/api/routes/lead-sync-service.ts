import { WorkflowNotFoundError } from '@temporalio/client';
import { leadSyncStateQuery, leadSyncWorkflowId, reconcileLeadsSignal, type LeadSyncLiveState } from '../../../workflows/lead-sync-definitions';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { LeadFormSyncDoc, LeadSyncAccountDoc } from '../../db/models/lead-sync-state';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';

/** LEAD-5, shared by `GET /api/accounts/:id/lead-sync` and the console's lead-sync page. */

const handleOf = (ctx: ApiContext, account: AdAccountRecord) => ctx.temporal.workflow.getHandle(leadSyncWorkflowId(account.network, account.externalId));

async function liveState(ctx: ApiContext, account: AdAccountRecord): Promise<LeadSyncLiveState | null> {
  try {
    const handle = handleOf(ctx, account);
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return null;
    return await handle.query(leadSyncStateQuery);
  } catch (error) {
    // As for accounts: the stored state still answers when the workflow cannot (a busy worker's
    // query timing out was a 5xx for the whole call — issue 15 #13).
    if (!(error instanceof WorkflowNotFoundError)) ctx.logger.warn({ err: error, accountId: account._id }, 'lead-sync workflow did not answer its state query');
    return null;
  }
}

/** Why leads did (not) arrive — per form: last sync, last error, leads at the network vs stored. */
export async function leadSyncStatus(ctx: ApiContext, account: AdAccountRecord) {
  const { models } = ctx.db;
  const switchDoc = await models.LeadSyncAccount.findById(account._id).lean<LeadSyncAccountDoc>();
  const forms = await models.LeadFormSync.find({ accountKey: account._id }).sort({ formId: 1 }).lean<LeadFormSyncDoc[]>();
  const live = await liveState(ctx, account);
  const pendingNotifications = await models.LeadNotification.countDocuments({ accountKey: account._id, resolvedAt: null });
  return {
    accountId: account._id,
    enabled: switchDoc?.enabled ?? false,
    changedAt: switchDoc?.changedAt ?? null,
    workflowId: leadSyncWorkflowId(account.network, account.externalId),
    running: live !== null,
    lastError: live?.lastError ?? switchDoc?.lastError ?? null,
    lastErrorAt: switchDoc?.lastErrorAt ?? null,
    lastWebhookAt: switchDoc?.lastWebhookAt ?? null,
    lastPollAt: live?.lastPollAt ?? null,
    lastReconcileAt: live?.lastReconcileAt ?? null,
    pendingNotifications,
    forms: await Promise.all(
      forms.map(async (form) => ({
        formId: form.formId,
        name: form.formName,
        status: form.formStatus,
        lastSyncAt: form.lastSyncAt,
        lastSuccessAt: form.lastSuccessAt,
        lastError: form.lastError,
        lastErrorAt: form.lastErrorAt,
        cursor: form.cursor,
        leadsAtNetwork: form.leadsAtNetwork,
        leadsStored: await models.Lead.countDocuments({ accountKey: account._id, formId: form.formId }),
        lastReconcileAt: form.lastReconcileAt,
        missingFoundAtLastReconcile: form.missingFoundAtLastReconcile,
        missingFoundTotal: form.missingFoundTotal,
      })),
    ),
  };
}

export type LeadSyncStatus = Awaited<ReturnType<typeof leadSyncStatus>>;

/** "Reconcile now": the lead-sync workflow compares lead ids at the network with those stored (one form or all). */
export async function reconcileLeadsNow(ctx: ApiContext, account: AdAccountRecord, formId?: string): Promise<void> {
  try {
    await handleOf(ctx, account).signal(reconcileLeadsSignal, formId ? { formId } : {});
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'lead_sync_off', 'Lead sync is not running for this account.');
    throw error;
  }
}
