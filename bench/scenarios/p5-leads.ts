/**
 * P5: a lead announced by Facebook's webhook → its contact stored (p95), and a bulk backfill (the
 * first poll of a form that already holds N leads) in leads stored per second.
 */
import os from 'node:os';
import { cpuShare, sample } from '../cpu';
import { percentile, REDIRECT_URI, stopAllWorkflows, until, waitForFirstSweeps } from '../accounts';
import { leadSyncStateQuery, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

export const WEBHOOK_VERIFY_TOKEN = 'adtrack-bench-verify-token';
const WEBHOOK_PROBES = 10;
const BACKFILL_PER_SECOND = 50;

async function fb<T>(stack: BenchStack, method: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${stack.sandboxes.urls.facebook}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** When Temporal recorded the completion of the workflow's latest `syncLeadsPage` activity (ms). */
async function lastPageStoredAt(stack: BenchStack, workflowId: string): Promise<number> {
  const events = (await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const pageActivities = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncLeadsPage').map((e) => Number(e.eventId)));
  const completed = events.filter((e) => e.activityTaskCompletedEventAttributes && pageActivities.has(Number(e.activityTaskCompletedEventAttributes.scheduledEventId)));
  const time = completed.at(-1)?.eventTime;
  if (!time) throw new Error('no syncLeadsPage activity completed');
  return Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

export const p5: Scenario = {
  id: 'P5',
  title: 'lead webhook → contact, bulk lead backfill',
  sizes: { full: [5000], quick: [200] },
  async run(stack: BenchStack, leads: number, { seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const seeded = await fb<{ user: { handle: string }; accounts: { id: string; formIds: string[] }[] }>(stack, 'POST', '/_sandbox/seed', {
      seed,
      accounts: 1,
      adsPerAccount: 6,
      landingBaseUrl: stack.sandboxes.urls.landing,
    });
    const account = seeded.accounts[0]!;
    const formId = account.formIds[0]!;
    const { code } = await fb<{ code: string }>(stack, 'POST', '/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
    const connection = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    const created = await stack.request('POST', '/api/accounts', { connectionId: (connection.body as { id: string }).id, externalId: account.id });
    const accountKey = (created.body as { id: string }).id;
    await waitForFirstSweeps(stack, [accountKey], 120_000);

    // Backfill: the form holds `leads` leads before the sync is switched on, submitted over the past
    // minutes (BACKFILL_PER_SECOND a second, as a busy form would), not all within one second: a poll
    // reads again the leads of its cursor's second (the network filters by whole seconds), which for
    // 5,000 leads created at once kept the first webhook probe waiting behind a 5,000-lead re-read.
    const seconds = Math.ceil(leads / BACKFILL_PER_SECOND);
    await fb(stack, 'POST', '/_sandbox/clock', { advanceSeconds: -seconds });
    for (let i = 0; i < leads; i += BACKFILL_PER_SECOND) {
      await fb(stack, 'POST', '/_sandbox/leads', { formId, leads: Array.from({ length: Math.min(BACKFILL_PER_SECOND, leads - i) }, (_, k) => ({ email: `backfill${i + k}@example.com` })) });
      await fb(stack, 'POST', '/_sandbox/clock', { advanceSeconds: 1 });
    }
    const before = await stack.db.models.Lead.countDocuments({ accountKey });
    const cpuBefore = sample(stack.processes);
    const startedAt = Date.now();
    const enabled = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountKey)}/lead-sync`, { enabled: true });
    if (enabled.status !== 200) throw new Error(`lead sync: ${enabled.status}`);
    // Done when the lead sync says so (a Temporal query, answered by the worker without the
    // database): counting the account's leads every half second cost FerretDB about half a CPU
    // second per count at 5,000 leads, on the same cores as the backfill it measured. Asked every
    // 250 ms (at 50 ms the queries cost Temporal and the worker a twentieth of a core); the end is
    // when Temporal recorded the page activity that stored the last leads, read from the history.
    const leadSync = stack.temporal.workflow.getHandle(leadSyncWorkflowId('facebook', account.id));
    await until('the backfill', async () => ((await leadSync.query(leadSyncStateQuery).catch(() => undefined))?.leadsStored ?? 0) >= leads, 60_000 + leads * 20, 250);
    const cpuAfter = sample(stack.processes);
    const sampledSeconds = (Date.now() - startedAt) / 1000;
    const backfillSeconds = ((await lastPageStoredAt(stack, leadSync.workflowId)) - startedAt) / 1000;
    const stored = await stack.db.models.Lead.countDocuments({ accountKey });
    // Which process the backfill is bound by, and its whole cost: CPU seconds per 1,000 leads over all processes.
    const cpu = cpuShare(cpuBefore, cpuAfter, sampledSeconds);
    const cpuPer1000 = (cpu.reduce((total, c) => total + c.coreShare, 0) * sampledSeconds * 1000) / leads;
    const cpuNote = `cores: ${cpu.map((c) => `${c.name} ${c.coreShare.toFixed(2)}`).join(', ')}; ${cpuPer1000.toFixed(2)} CPU s per 1,000 leads; load ${os.loadavg()[0]!.toFixed(1)}`;

    // Webhook: one lead at a time, each announced to the API's callback.
    await fb(stack, 'PUT', '/_sandbox/webhook', { url: `${stack.apiUrl}/webhooks/facebook`, verifyToken: WEBHOOK_VERIFY_TOKEN });
    const latencies: number[] = [];
    for (let i = 0; i < WEBHOOK_PROBES; i += 1) {
      const email = `webhook${seed}-${i}@example.com`;
      const at = Date.now();
      await fb(stack, 'POST', '/_sandbox/leads', { formId, leads: [{ email }] });
      await until(`the contact of ${email}`, async () => (await stack.db.models.Contact.countDocuments({ email })) > 0, 120_000, 100);
      latencies.push((Date.now() - at) / 1000);
    }
    await stopAllWorkflows(stack);
    return [
      { scenario: 'P5', what: 'lead webhook → contact p95', size: `${WEBHOOK_PROBES} leads, one at a time`, value: percentile(latencies, 95), unit: 's', note: `p50 ${percentile(latencies, 50).toFixed(2)} s` },
      { scenario: 'P5', what: 'bulk lead backfill', size: `${leads} leads`, value: (stored - before) / backfillSeconds, unit: 'leads/s', reference: { value: 2000, label: 'acceptance: ≥ 2,000' }, note: cpuNote },
    ];
  },
};
