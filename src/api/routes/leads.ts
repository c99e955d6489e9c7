import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { leadSyncStateQuery, leadSyncWorkflowId, reconcileLeadsSignal, type LeadSyncLiveState } from '../../../workflows/lead-sync-definitions';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { LeadDoc } from '../../db/models/lead';
import type { LeadFormSyncDoc, LeadSyncAccountDoc } from '../../db/models/lead-sync-state';
import type { ApiContext } from '../context';
import { ApiError, parseInput } from '../errors';
import { findAccount, setLeadSync } from './accounts-service';

export const toggleSchema = z.object({ enabled: z.boolean() }).strict();
export const reconcileSchema = z.object({ formId: z.string().min(1).max(64).optional() }).strict().default({});
export const listSchema = z.object({
  accountId: z.string().min(1).max(200),
  formId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(300).optional(),
});

/** LEAD-1 switch, LEAD-5 troubleshooting, and the stored leads. */
export function leadRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { models } = ctx.db;

  const handleOf = (account: AdAccountRecord) => ctx.temporal.workflow.getHandle(leadSyncWorkflowId(account.network, account.externalId));

  async function liveState(account: AdAccountRecord): Promise<LeadSyncLiveState | null> {
    try {
      const handle = handleOf(account);
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

  async function present(account: AdAccountRecord) {
    const switchDoc = await models.LeadSyncAccount.findById(account._id).lean<LeadSyncAccountDoc>();
    const forms = await models.LeadFormSync.find({ accountKey: account._id }).sort({ formId: 1 }).lean<LeadFormSyncDoc[]>();
    const live = await liveState(account);
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

  /**
   * LEAD-1: the account workflow owns the switch and runs the lead sync (`leads/<network>/<externalId>`)
   * as its child; a disconnected account has no workflow, only the stored switch.
   */
  router.post('/accounts/:id/lead-sync', async (req, res) => {
    const { enabled } = parseInput(toggleSchema, req.body);
    const account = await setLeadSync(ctx, req.params.id, enabled);
    res.json(await present(account));
  });

  /** LEAD-5: why leads did (not) arrive — per form: last sync, last error, leads at the network vs stored. */
  router.get('/accounts/:id/lead-sync', async (req, res) => {
    res.json(await present(await findAccount(ctx, req.params.id)));
  });

  router.post('/accounts/:id/lead-sync/reconcile', async (req, res) => {
    const { formId } = parseInput(reconcileSchema, req.body ?? {});
    const account = await findAccount(ctx, req.params.id);
    try {
      await handleOf(account).signal(reconcileLeadsSignal, formId ? { formId } : {});
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'lead_sync_off', 'Lead sync is not running for this account.');
      throw error;
    }
    res.status(202).json({ accepted: true });
  });

  router.get('/leads', async (req, res) => {
    const query = parseInput(listSchema, req.query, 'query');
    const account = await findAccount(ctx, query.accountId);
    const leads = await models.Lead.find({
      accountKey: account._id,
      ...(query.formId ? { formId: query.formId } : {}),
      ...(query.cursor ? { _id: { $gt: query.cursor } } : {}),
    })
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .lean<LeadDoc[]>();
    const page = leads.slice(0, query.limit);
    res.json({
      items: page.map((lead) => ({
        id: lead._id,
        network: lead.network,
        leadId: lead.leadId,
        formId: lead.formId,
        adId: lead.adId,
        adGroupId: lead.adGroupId,
        campaignId: lead.campaignId,
        organic: lead.organic,
        createdTime: lead.createdTime,
        answers: lead.answers,
        contactId: lead.contactId,
        foundBy: lead.foundBy,
      })),
      nextCursor: leads.length > query.limit ? page[page.length - 1]!._id : null,
    });
  });

  return router;
}
