import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { continueAsNewAfterHandlers, continueAsNewSuggested, historyTooLong, publishAccountAttributes, RECONNECT_MESSAGE } from './entity';
import { isAuthFailure, messageOf, retryPolicy } from './failures';
import {
  leadsNotifiedSignal,
  leadSyncStateQuery,
  reconcileLeadsSignal,
  resumeLeadSyncSignal,
  stopLeadSyncSignal,
  type LeadFormState,
  type LeadSyncInput,
  type LeadSyncLiveState,
  type LeadSyncPending,
} from './lead-sync-definitions';
import { Patches } from './patches';

/**
 * Continuous lead sync for one ad account (`leads/<network>/<externalId>`, LEAD-1), run by the
 * account workflow as its child (started when the switch goes on, stopped on disconnect):
 * - polls every form for leads created since its cursor, one activity per page;
 * - wakes at once when a webhook signals new leads (the API stored the lead ids first);
 * - reconciles periodically: lists every lead id of each form at the network and stores what is
 *   missing (dropped webhooks, leads created behind the cursor) — and at once for a form whose
 *   notified lead is still missing after a poll;
 * - never loses or duplicates a lead: every write is idempotent on the network lead id (LEAD-2);
 * - parks while the network refuses the token, until the account's reconnect resumes it;
 * - continue-as-new carries cursors and pending work, so history stays bounded.
 */
const pages = wf.proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: retryPolicy('network', { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 6 }),
});
const bookkeeping = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Reads the forms at the network too (refreshLeadForms): a refused token is final here as well.
  retry: retryPolicy('network', { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 10 }),
});

export async function leadSyncWorkflow(input: LeadSyncInput): Promise<void> {
  const { network, externalId, settings } = input;
  const accountKey = `${network}:${externalId}`;
  const state: LeadSyncLiveState = input.carried?.state ?? {
    network,
    externalId,
    forms: {},
    polls: 0,
    reconciliations: 0,
    leadsStored: 0,
    missingFound: 0,
    webhookWakeups: 0,
    generation: 0,
  };
  const pending: LeadSyncPending = input.carried?.pending ?? { wake: false, stop: false, reconcileForms: [] };

  wf.setHandler(leadSyncStateQuery, () => state);
  wf.setHandler(leadsNotifiedSignal, () => {
    pending.wake = true;
    state.webhookWakeups += 1;
  });
  wf.setHandler(reconcileLeadsSignal, (arg) => void pending.reconcileForms.push(arg?.formId ?? '*'));
  wf.setHandler(stopLeadSyncSignal, () => void (pending.stop = true));
  wf.setHandler(resumeLeadSyncSignal, () => void (pending.resume = true));
  // OPS-1: an operator finds every process of an account with one query.
  if (wf.patched(Patches.leadSyncOwnedByAccount)) publishAccountAttributes({ network, externalId, status: 'active' });

  const hasWork = () => pending.wake || pending.stop || pending.reconcileForms.length > 0;

  for (;;) {
    if (pending.stop) {
      await wf.condition(wf.allHandlersFinished);
      return;
    }
    const now = Date.now();
    try {
      if (!state.formsRefreshedAt || now - Date.parse(state.formsRefreshedAt) >= settings.reconcileIntervalSeconds * 1000) await refreshForms();

      const pollDue = pending.wake || !state.nextPollAt || now >= Date.parse(state.nextPollAt);
      if (pollDue) {
        pending.wake = false;
        const startedAt = new Date().toISOString();
        if (Object.keys(state.forms).length === 0 || (await bookkeeping.unresolvedLeadNotificationForms({ accountKey, receivedBefore: startedAt })).some((f) => !state.forms[f])) {
          // A notification for a form we do not know yet: the form list is stale.
          await refreshForms();
        }
        const fromStart = !state.nextReconcileAt && Object.values(state.forms).every((form) => form.cursor === undefined);
        for (const form of Object.values(state.forms)) await pollForm(form);
        const readEverything = fromStart && Object.keys(state.forms).length > 0 && Object.values(state.forms).every((form) => !form.lastError);
        state.polls += 1;
        state.lastPollAt = new Date().toISOString();
        state.nextPollAt = new Date(Date.now() + settings.pollIntervalSeconds * 1000).toISOString();
        // Reading every lead again at once would only repeat this poll (a 5,000-lead backfill twice)
        // and keep webhook wake-ups waiting behind it.
        if (readEverything && wf.patched(Patches.firstFullPollCountsAsReconcile)) {
          state.nextReconcileAt = new Date(Date.now() + settings.reconcileIntervalSeconds * 1000).toISOString();
        }
        // A lead a webhook announced that the poll did not find: reconcile its form now.
        for (const formId of await bookkeeping.unresolvedLeadNotificationForms({ accountKey, receivedBefore: startedAt })) pending.reconcileForms.push(formId);
      }

      const reconcileDue = !state.nextReconcileAt || now >= Date.parse(state.nextReconcileAt);
      if (reconcileDue || pending.reconcileForms.length > 0) {
        const requested = pending.reconcileForms.splice(0);
        const all = reconcileDue || requested.includes('*');
        const formIds = all ? Object.keys(state.forms) : [...new Set(requested)].filter((id) => state.forms[id]);
        for (const formId of formIds) await reconcileForm(state.forms[formId]!);
        state.reconciliations += 1;
        state.lastReconcileAt = new Date().toISOString();
        if (all) state.nextReconcileAt = new Date(Date.now() + settings.reconcileIntervalSeconds * 1000).toISOString();
      }
      delete state.lastError;
    } catch (error) {
      // The account-level step failed (forms list, bookkeeping): say why (LEAD-5) and try again later.
      state.lastError = isAuthFailure(error) ? RECONNECT_MESSAGE : messageOf(error);
      await bookkeeping.recordLeadSyncError({ accountKey, error: state.lastError });
      state.nextPollAt = new Date(Date.now() + settings.pollIntervalSeconds * 1000).toISOString();
      if (isAuthFailure(error) && wf.patched(Patches.leadSyncOwnedByAccount)) await parkUntilResumed();
    }

    if (continueAsNewSuggested() || historyTooLong()) {
      return continueAsNewAfterHandlers<typeof leadSyncWorkflow>(state, () => [{ network, externalId, settings, carried: { state, pending } }]);
    }
    const next = Math.min(...[state.nextPollAt, state.nextReconcileAt].map((at) => (at ? Date.parse(at) : Date.now())));
    await wf.condition(hasWork, Math.max(0, next - Date.now()));
  }

  /**
   * Polling with a refused token only repeats the error: wait for the account's reconnect (which
   * resumes this workflow) or a stop, then poll at once. Leads that arrive meanwhile stay at the
   * network, and their webhook ids in the database, until then.
   */
  async function parkUntilResumed(): Promise<void> {
    state.parked = true;
    pending.resume = false;
    publishAccountAttributes({ network, externalId, status: 'needs_reconnect' });
    await wf.condition(() => pending.stop || pending.resume === true);
    pending.resume = false;
    state.parked = false;
    delete state.nextPollAt;
    publishAccountAttributes({ network, externalId, status: 'active' });
  }

  async function refreshForms(): Promise<void> {
    const forms = await bookkeeping.refreshLeadForms({ accountKey });
    for (const form of forms) {
      const known = state.forms[form.formId];
      state.forms[form.formId] = { formId: form.formId, ...(known ?? {}), ...(known?.cursor === undefined && form.cursor ? { cursor: form.cursor } : {}) };
    }
    state.formsRefreshedAt = new Date().toISOString();
  }

  async function pollForm(form: LeadFormState): Promise<void> {
    let newest = form.cursor;
    let pageCursor: string | undefined;
    try {
      do {
        const page = await pages.syncLeadsPage({ accountKey, formId: form.formId, mode: 'poll', ...(form.cursor ? { since: form.cursor } : {}), ...(pageCursor ? { cursor: pageCursor } : {}) });
        state.leadsStored += page.stored;
        if (page.newestCreatedTime && (!newest || Date.parse(page.newestCreatedTime) > Date.parse(newest))) newest = page.newestCreatedTime;
        pageCursor = page.nextCursor;
      } while (pageCursor);
      if (newest) form.cursor = newest;
      form.lastSyncAt = new Date().toISOString();
      delete form.lastError;
      await bookkeeping.recordLeadFormSync({ accountKey, formId: form.formId, ok: true, ...(form.cursor ? { cursor: form.cursor } : {}) });
    } catch (error) {
      // One form failing does not stop the others (LEAD-5 shows the error per form).
      form.lastError = isAuthFailure(error) ? RECONNECT_MESSAGE : messageOf(error);
      await bookkeeping.recordLeadFormSync({ accountKey, formId: form.formId, ok: false, error: form.lastError });
      if (isAuthFailure(error)) throw error;
    }
  }

  async function reconcileForm(form: LeadFormState): Promise<void> {
    let seen = 0;
    let missing = 0;
    let pageCursor: string | undefined;
    try {
      do {
        const page = await pages.syncLeadsPage({ accountKey, formId: form.formId, mode: 'reconcile', ...(pageCursor ? { cursor: pageCursor } : {}) });
        seen += page.seen;
        missing += page.stored;
        pageCursor = page.nextCursor;
      } while (pageCursor);
      state.leadsStored += missing;
      state.missingFound += missing;
      await bookkeeping.recordLeadReconcile({ accountKey, formId: form.formId, leadsAtNetwork: seen, missingFound: missing });
    } catch (error) {
      form.lastError = isAuthFailure(error) ? RECONNECT_MESSAGE : messageOf(error);
      await bookkeeping.recordLeadFormSync({ accountKey, formId: form.formId, ok: false, error: form.lastError });
      if (isAuthFailure(error)) throw error;
    }
  }
}
