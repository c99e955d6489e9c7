import { Router } from 'express';
import { z } from 'zod';
import type { LeadDoc } from '../../db/models/lead';
import type { ApiContext } from '../context';
import { parseInput } from '../errors';
import { findAccount, setLeadSync } from './accounts-service';
import { leadSyncStatus, reconcileLeadsNow } from './lead-sync-service';

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

  /**
   * LEAD-1: the account workflow owns the switch and runs the lead sync (`leads/<network>/<externalId>`)
   * as its child; a disconnected account has no workflow, only the stored switch.
   */
  router.post('/accounts/:id/lead-sync', async (req, res) => {
    const { enabled } = parseInput(toggleSchema, req.body);
    const account = await setLeadSync(ctx, req.params.id, enabled);
    res.json(await leadSyncStatus(ctx, account));
  });

  /** LEAD-5: why leads did (not) arrive — per form: last sync, last error, leads at the network vs stored. */
  router.get('/accounts/:id/lead-sync', async (req, res) => {
    res.json(await leadSyncStatus(ctx, await findAccount(ctx, req.params.id)));
  });

  router.post('/accounts/:id/lead-sync/reconcile', async (req, res) => {
    const { formId } = parseInput(reconcileSchema, req.body ?? {});
    const account = await findAccount(ctx, req.params.id);
    await reconcileLeadsNow(ctx, account, formId);
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
