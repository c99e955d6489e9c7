import { heartbeat } from '@temporalio/activity';
import { storeLeads } from '../src/contacts/leads';
import { resolveNotifications } from '../src/leads/resolve';
import { bulkWriteInChunks } from '../src/db/bulk';
import { findByIds } from '../src/db/by-ids';
import type { Models } from '../src/db/models';
import { leadFormSyncKey, type LeadFormSyncDoc } from '../src/db/models/lead-sync-state';
import type { AdNetworkClient, Network } from '../src/networks/types';
import type { TokenVault } from '../src/security/token-vault';
import { loadAccount } from './accounts';
import { withAccessToken } from './tokens';
import { leadsMissingFound, leadsStored } from '../src/metrics/registry';

export interface LeadDeps {
  models: Models;
  vault: TokenVault;
  clients: Record<Network, AdNetworkClient>;
}

/** Leads per page: Facebook caps at 500, the others page on their own terms. */
const PAGE_SIZE = 500;
/**
 * Network pages per activity call. Between two calls the page's worker, Temporal and the next
 * page's fetch leave the database idle (about a sixth of a backfill's time); within a call the next
 * page is fetched while the current one is stored.
 */
const PAGES_PER_CALL = 4;
/** No further page in this call once storing took this long (a slow database stays far inside the 2-minute start-to-close). */
const STORE_BUDGET_MS = 20_000;

/** Lead sync I/O (LEAD-1…LEAD-5): one page per call, idempotent on the network lead id. */
export function createLeadActivities(deps: LeadDeps) {
  return {
    /** The account's lead forms (upserted for LEAD-5), with each form's stored cursor. */
    async refreshLeadForms(input: { accountKey: string }): Promise<{ formId: string; name: string; cursor?: string }[]> {
      const account = await loadAccount(deps, input.accountKey);
      const forms = await withAccessToken(deps, account.connectionId, (token, client) => client.listLeadForms(token, account.externalId));
      const now = new Date();
      if (forms.length > 0) {
        await bulkWriteInChunks(
          deps.models.LeadFormSync,
          forms.map((form) => ({
            updateOne: {
              filter: { _id: leadFormSyncKey(input.accountKey, form.formId) },
              update: {
                $set: { accountKey: input.accountKey, network: account.network, formId: form.formId, formName: form.name, formStatus: form.status },
              },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
      await deps.models.LeadSyncAccount.updateOne({ _id: input.accountKey }, { $set: { lastFormsRefreshAt: now, lastError: null } });
      const stored = await deps.models.LeadFormSync.find({ accountKey: input.accountKey }, { formId: 1, cursor: 1 }).lean<Pick<LeadFormSyncDoc, 'formId' | 'cursor'>[]>();
      const cursors = new Map(stored.map((s) => [s.formId, s.cursor]));
      return forms.map((form) => ({ formId: form.formId, name: form.name, ...(cursors.get(form.formId) ? { cursor: cursors.get(form.formId)! } : {}) }));
    },

    /**
     * A form's leads from the cursor on, stored (leads + contacts): up to PAGES_PER_CALL network pages
     * (or STORE_BUDGET_MS of storing), each next page fetched while the one before is stored. The
     * returned cursor is where the next call goes on; a retried call starts again from its input
     * cursor and stores the same leads again, which changes nothing (idempotent on the lead id).
     * `poll` reads since the cursor; `reconcile` lists everything and reports how many of the listed
     * leads were missing.
     */
    async syncLeadsPage(input: {
      accountKey: string;
      formId: string;
      mode: 'poll' | 'reconcile';
      since?: string;
      cursor?: string;
    }): Promise<{ seen: number; stored: number; newestCreatedTime?: string; nextCursor?: string }> {
      const account = await loadAccount(deps, input.accountKey);
      const list = (cursor: string | undefined) => {
        const listing = withAccessToken(deps, account.connectionId, (token, client) =>
          client.listLeads(token, account.externalId, {
            formId: input.formId,
            pageSize: PAGE_SIZE,
            ...(input.since ? { since: input.since } : {}),
            ...(cursor ? { cursor } : {}),
          }),
        );
        // Awaited below, or abandoned when storing the page before failed: no unhandled rejection.
        listing.catch(() => undefined);
        return listing;
      };
      const startedAt = Date.now();
      let seen = 0;
      let stored = 0;
      let newest: number | undefined;
      let listing = list(input.cursor);
      for (let pages = 1; ; pages += 1) {
        const page = await listing;
        heartbeat({ listed: page.items.length });
        const more = page.nextCursor !== undefined && pages < PAGES_PER_CALL && Date.now() - startedAt < STORE_BUDGET_MS;
        if (more) listing = list(page.nextCursor);
        const result = await storeLeads(deps.models, input.accountKey, page.items, input.mode, new Date(), () => heartbeat({ storing: page.items.length }));
        for (const lead of page.items) {
          const at = Date.parse(lead.createdTime);
          if (!Number.isNaN(at) && (newest === undefined || at > newest)) newest = at;
        }
        seen += page.items.length;
        stored += result.stored;
        leadsStored.inc({ network: account.network, mode: input.mode }, result.stored);
        if (!more) {
          return {
            seen,
            stored,
            ...(newest !== undefined ? { newestCreatedTime: new Date(newest).toISOString() } : {}),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          };
        }
      }
    },

    async recordLeadFormSync(input: { accountKey: string; formId: string; ok: boolean; cursor?: string; error?: string }): Promise<void> {
      const now = new Date();
      await deps.models.LeadFormSync.updateOne(
        { _id: leadFormSyncKey(input.accountKey, input.formId) },
        {
          $set: {
            accountKey: input.accountKey,
            formId: input.formId,
            network: input.accountKey.split(':')[0],
            lastSyncAt: now,
            ...(input.ok ? { lastSuccessAt: now, lastError: null } : { lastError: input.error ?? 'unknown error', lastErrorAt: now }),
            ...(input.cursor ? { cursor: input.cursor } : {}),
          },
        },
        { upsert: true },
      );
    },

    /** LEAD-5: leads at the network vs stored for the form, after a reconciliation. */
    async recordLeadReconcile(input: { accountKey: string; formId: string; leadsAtNetwork: number; missingFound: number }): Promise<void> {
      const leadsStored = await deps.models.Lead.countDocuments({ accountKey: input.accountKey, formId: input.formId });
      await deps.models.LeadFormSync.updateOne(
        { _id: leadFormSyncKey(input.accountKey, input.formId) },
        {
          $set: { leadsAtNetwork: input.leadsAtNetwork, leadsStored, lastReconcileAt: new Date(), missingFoundAtLastReconcile: input.missingFound },
          $inc: { missingFoundTotal: input.missingFound },
        },
      );
      leadsMissingFound.inc({ network: input.accountKey.split(':')[0] ?? 'unknown' }, input.missingFound);
    },

    async recordLeadSyncError(input: { accountKey: string; error: string }): Promise<void> {
      await deps.models.LeadSyncAccount.updateOne({ _id: input.accountKey }, { $set: { lastError: input.error, lastErrorAt: new Date() } });
    },

    /** Forms with webhook-announced leads (received before `receivedBefore`) that are still not stored. */
    async unresolvedLeadNotificationForms(input: { accountKey: string; receivedBefore: string }): Promise<string[]> {
      const pending = await deps.models.LeadNotification.find(
        { accountKey: input.accountKey, resolvedAt: null, receivedAt: { $lt: new Date(input.receivedBefore) } },
        { _id: 1, formId: 1 },
      )
        .limit(5_000)
        .lean<{ _id: string; formId: string | null }[]>();
      if (pending.length === 0) return [];
      // Stored meanwhile (e.g. by a reconciliation of another run): resolve them now.
      const stored = new Set(
        (await findByIds(deps.models.Lead, pending.map((p) => p._id), { _id: 1 })).map((lead) => lead._id),
      );
      await resolveNotifications(deps.models, [...stored], new Date());
      return [...new Set(pending.filter((p) => !stored.has(p._id) && p.formId).map((p) => p.formId!))];
    },
  };
}
