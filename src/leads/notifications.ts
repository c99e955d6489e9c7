/**
 * Webhook-announced leads (LEAD-1/LEAD-2): stored durably first, then the account's lead-sync
 * workflow is woken. A notification arriving while the workflow is busy, restarting or not running
 * is therefore never lost: the next poll resolves it, and a form whose announced lead is still
 * missing after a poll is reconciled at once. Duplicate deliveries only bump a counter.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { leadsNotifiedSignal, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import type { ApiContext } from '../api/context';
import { leadKeyOf } from '../db/models/lead';
import type { LeadFormSyncDoc } from '../db/models/lead-sync-state';
import type { Network } from '../networks/types';
import { ConnectionStates } from 'mongoose';
import { DatabaseUnavailableError, isDuplicateKeyError } from '../db/errors';

export interface AnnouncedLead {
  leadId: string;
  formId: string | null;
  /** Known when the payload names the account (LinkedIn); otherwise resolved by form. */
  accountKey?: string | null;
}

export interface NotifyOutcome {
  received: number;
  /** Accounts whose running lead-sync workflow was woken. */
  signalled: string[];
  /** True when no running lead-sync workflow could be woken (the notification is kept anyway). */
  ignored: boolean;
}

/**
 * Webhook bursts (duplicates arrive together) are written one request at a time per process where the
 * database needs it: the embedded FerretDB (SQLite) can deadlock on many concurrent upserts into one
 * collection, and the work per request is a few milliseconds anyway. MongoDB writes them as they come.
 * New notifications are plain inserts; a duplicate is a duplicate-key error that is ignored.
 */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The network gives a delivery a few seconds and retries a refused one, so while the database is
 * down every request must be refused quickly (503): queued behind each other, requests that each wait
 * for server selection outlast the sender's timeout. A request that finds the connection down
 * neither queues nor lets queued ones wait: it tries on its own, and its attempt is what notices
 * the database is back.
 */
function writer(ctx: ApiContext): <T>(work: () => Promise<T>) => Promise<T> {
  const connected = () => ctx.db.connection.readyState === ConnectionStates.connected;
  if (!ctx.db.traits.serialWebhookWrites || !connected()) return (work) => work();
  return (work) =>
    serially(() => {
      if (!connected()) throw new DatabaseUnavailableError();
      return work();
    });
}

/** lastWebhookAt is informational (LEAD-5): written at most every few seconds per account. */
const lastWebhookWrite = new Map<string, number>();
const WEBHOOK_STAMP_EVERY_MS = 5_000;


export async function recordLeadNotifications(ctx: ApiContext, network: Network, leads: readonly AnnouncedLead[]): Promise<NotifyOutcome> {
  const { models } = ctx.db;
  const now = new Date();
  const write = writer(ctx);
  const { accounts, unknownAccount } = await write(async () => {
    const formIds = [...new Set(leads.map((l) => l.formId).filter((id): id is string => id !== null))];
    const forms =
      formIds.length === 0
        ? []
        : await models.LeadFormSync.find({ network, formId: { $in: formIds } }, { formId: 1, accountKey: 1 }).lean<Pick<LeadFormSyncDoc, 'formId' | 'accountKey'>[]>();
    const accountOfForm = new Map(forms.map((f) => [f.formId, f.accountKey]));
    const accounts = new Set<string>();
    let unknownAccount = false;
    const docs = [...new Map(leads.map((lead) => [lead.leadId, lead])).values()].map((lead) => {
      const accountKey = lead.accountKey ?? (lead.formId ? accountOfForm.get(lead.formId) : undefined) ?? null;
      if (accountKey) accounts.add(accountKey);
      else unknownAccount = true;
      return { _id: leadKeyOf(network, lead.leadId), network, leadId: lead.leadId, formId: lead.formId, accountKey, receivedAt: now, deliveries: 1, resolvedAt: null };
    });
    if (docs.length === 0) return { accounts, unknownAccount };
    const existing = new Set(
      (await models.LeadNotification.find({ _id: { $in: docs.map((d) => d._id) } }, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id),
    );
    const fresh = docs.filter((d) => !existing.has(d._id));
    if (fresh.length > 0) {
      try {
        await models.LeadNotification.insertMany(fresh, { ordered: false });
      } catch (error) {
        // A concurrent delivery of the same lead (another API instance): already recorded.
        if (!isDuplicateKeyError(error)) throw error;
      }
      // Already stored (the poll was faster than the webhook): resolved right away.
      const stored = (await models.Lead.find({ _id: { $in: fresh.map((d) => d._id) } }, { _id: 1 }).lean<{ _id: string }[]>()).map((l) => l._id);
      if (stored.length > 0) await models.LeadNotification.updateMany({ _id: { $in: stored }, resolvedAt: null }, { $set: { resolvedAt: now } });
    }
    return { accounts, unknownAccount };
  });

  // A form we have not listed yet: every enabled account of the network re-reads its forms.
  const enabled = await models.LeadSyncAccount.find({ network, enabled: true }, { _id: 1 }).lean<{ _id: string }[]>();
  const targets = enabled.map((a) => a._id).filter((key) => accounts.has(key) || unknownAccount);
  const signalled: string[] = [];
  for (const accountKey of targets) {
    const externalId = accountKey.slice(network.length + 1);
    try {
      await ctx.temporal.workflow.getHandle(leadSyncWorkflowId(network, externalId)).signal(leadsNotifiedSignal, {});
      signalled.push(accountKey);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  const stamp = targets.filter((key) => now.getTime() - (lastWebhookWrite.get(key) ?? 0) >= WEBHOOK_STAMP_EVERY_MS);
  if (stamp.length > 0) {
    stamp.forEach((key) => lastWebhookWrite.set(key, now.getTime()));
    await write(() => models.LeadSyncAccount.updateMany({ _id: { $in: stamp } }, { $set: { lastWebhookAt: now } }));
  }
  return { received: leads.length, signalled, ignored: signalled.length === 0 };
}
