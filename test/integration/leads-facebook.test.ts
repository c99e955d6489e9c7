import { afterAll, describe, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { leadSyncStateQuery, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, startWorker, useStack } from '../support/stack';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';
const VERIFY_TOKEN = 'adtrack-verify-token';

/**
 * Acceptance 3 of issue 5 (LEAD-1…LEAD-3, LEAD-5): 1,000 Facebook leads delivered by webhook with
 * duplicates and drops, the worker killed once, and 50 leads that only a reconciliation can find
 * (created behind the sync cursor, their webhooks dropped).
 */
describe('Facebook lead sync: webhooks + polling + reconciliation', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({
      ...sandboxes.running.env,
      SWEEP_INTERVAL_SECONDS: '3600',
      FACEBOOK_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      // Polling alone would only run hourly: new leads arrive through webhook wake-ups, and the
      // periodic reconciliation (every 4 s here) is what finds leads no webhook announced.
      LEAD_POLL_INTERVAL_SECONDS: '3600',
      LEAD_RECONCILE_INTERVAL_SECONDS: '4',
    }),
  });
  let replacement: { worker: Worker; run: Promise<void> } | undefined;
  afterAll(async () => {
    if (replacement) {
      replacement.worker.shutdown();
      await replacement.run;
      // useStack shuts down "its" worker; the original one is already stopped.
      (stack as { worker: unknown }).worker = undefined;
    }
  });

  it('LEAD-1/LEAD-2/LEAD-3: every lead stored exactly once, one contact per email, dropped ones found by reconciliation', async () => {
    const fb = sandboxes.control('facebook');
    const seeded = await fb.post('/_sandbox/seed', { seed: 5, accounts: 1, adsPerAccount: 6, landingBaseUrl: sandboxes.running.urls.landing });
    const formId = seeded.accounts[0].formIds[0] as string;
    const leadAdId = seeded.ads.byKind.lead[0] as string;
    const { code } = await fb.post('/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
    const connected = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    const account = await stack.request('POST', '/api/accounts', { connectionId: connected.body.id, externalId: seeded.accounts[0].id });
    expect(account.status).toBe(201);
    const accountId = account.body.id as string;

    // Meta only subscribes a callback that passes the verification handshake.
    const webhook = await fb.put('/_sandbox/webhook', {
      url: `${stack.api.url}/webhooks/facebook`,
      verifyToken: VERIFY_TOKEN,
      duplicate: true,
      dropRate: 0.2,
      retryBaseMs: 50,
      seed: 9,
    });
    expect(webhook.verification.ok).toBe(true);

    const enabled = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, workflowId: `leads/facebook/${seeded.accounts[0].id}` });
    // The first poll reads what was there before the switch (the seeded leads).
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: accountId })) === seeded.leads.total, { timeoutMs: 20_000, what: 'seeded leads' });

    // 950 leads in 19 webhook deliveries (each sent twice, ~20% never sent); 750 distinct people,
    // every 19th lead an organic submission of the form (LEAD-3).
    const pushed: { id: string; email: string; organic: boolean }[] = [];
    const push = async (batch: number, size: number) => {
      const leads = Array.from({ length: size }, (_, k) => {
        const n = batch * 50 + k;
        const organic = n % 19 === 7;
        return organic ? { email: `organic${n}@example.com`, organic: true } : { email: `person${n % 750}@example.com`, adId: leadAdId };
      });
      const res = await fb.post('/_sandbox/leads', { formId, leads });
      for (const lead of res.leads as { id: string; isOrganic: boolean; fieldData: { name: string; values: string[] }[] }[]) {
        pushed.push({ id: lead.id, email: lead.fieldData.find((f) => f.name === 'email')!.values[0]!, organic: lead.isOrganic });
      }
    };
    for (let batch = 0; batch < 8; batch += 1) await push(batch, 50);

    // Kill the worker mid-stream: webhooks keep arriving (stored, the workflow signalled), nothing runs.
    stack.worker.shutdown();
    await eventually(async () => stack.worker.getState() === 'STOPPED', { timeoutMs: 20_000, what: 'worker stopped' });
    for (let batch = 8; batch < 12; batch += 1) await push(batch, 50);
    const started = await startWorker(stack);
    replacement = { worker: started, run: started.run() };
    for (let batch = 12; batch < 19; batch += 1) await push(batch, 50);

    // 50 leads the network makes visible late (created three days "ago": older than every lead read
    // so far, so behind every form cursor) whose notifications are all lost: no poll since the cursor
    // can see them, only a reconciliation.
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: accountId })) >= seeded.leads.total + 700, {
      // FerretDB's write rate under a second test file on two cores decides this; the bound is generous.
      timeoutMs: 90_000,
      what: 'most webhook-announced leads stored',
    });
    await fb.put('/_sandbox/webhook', { url: `${stack.api.url}/webhooks/facebook`, dropRate: 1, seed: 2 });
    await fb.post('/_sandbox/clock', { advanceSeconds: -3 * 86_400 });
    await push(19, 50);
    await fb.post('/_sandbox/clock', { advanceSeconds: 3 * 86_400 });
    const late = new Set(pushed.slice(-50).map((p) => p.id));
    expect(pushed).toHaveLength(1000);

    const total = seeded.leads.total + 1000;
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: accountId })) === total, { timeoutMs: 90_000, what: 'all 1,000 leads stored' });

    // Exactly once each (LEAD-2), with form, ad, campaign, answers and the organic flag (LEAD-1/LEAD-3).
    const stored = await stack.db.models.Lead.find({ accountKey: accountId }).lean();
    expect(stored).toHaveLength(total);
    const byLeadId = new Map(stored.map((lead) => [lead.leadId, lead]));
    expect(pushed.every((p) => byLeadId.has(p.id))).toBe(true);
    const sample = byLeadId.get(pushed.find((p) => !p.organic)!.id)!;
    expect(sample).toMatchObject({ formId, adId: leadAdId, organic: false, campaignId: expect.any(String), adGroupId: expect.any(String) });
    expect(sample.answers).toMatchObject({ email: expect.stringContaining('@example.com'), full_name: expect.any(String) });
    const organicSample = byLeadId.get(pushed.find((p) => p.organic)!.id)!;
    expect(organicSample).toMatchObject({ organic: true, adId: null });
    // The late leads were found by the reconciliation, not by a poll.
    expect([...late].every((id) => byLeadId.get(id)?.foundBy === 'reconcile')).toBe(true);

    // Contacts de-duplicate by email; each is credited to the lead's ad (ATT-3) unless organic.
    const emails = new Set(pushed.map((p) => p.email));
    const contacts = await stack.db.models.Contact.find({ emails: { $in: [...emails] } }).lean();
    expect(contacts).toHaveLength(emails.size);
    const person = contacts.find((c) => c.email === 'person3@example.com')!;
    expect(person.attribution).toMatchObject({ attributed: true, reason: 'LEAD_AD', ad: { network: 'facebook', adId: leadAdId, adKey: `facebook:${leadAdId}` } });
    // The Facebook lead id that lets Facebook match the contact's lifecycle events (CONV-4): one of its leads.
    expect(pushed.filter((p) => p.email === 'person3@example.com').map((p) => p.id)).toContain(person.fbLeadId);
    expect(person.leadKeys.length).toBeGreaterThanOrEqual(1);
    const organicContact = contacts.find((c) => c.email === pushed.find((p) => p.organic)!.email)!;
    expect(organicContact.attribution).toMatchObject({ attributed: false, reason: 'ORGANIC_LEAD' });
    expect(organicContact.source).toBe('organic_lead_form');

    // The sandbox really duplicated and dropped deliveries.
    const deliveries = (await fb.get('/_sandbox/webhook')).deliveries as { state: string; copy: number }[];
    expect(deliveries.some((d) => d.state === 'dropped')).toBe(true);
    expect(deliveries.some((d) => d.copy === 2 && d.state === 'delivered')).toBe(true);

    // LEAD-5: per form, leads at the network vs stored, last sync, no error.
    const troubleshooting = await eventually(
      async () => {
        const res = await stack.request('GET', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`);
        const form = res.body.forms.find((f: { formId: string }) => f.formId === formId);
        return form?.leadsAtNetwork === total ? res.body : undefined;
      },
      { timeoutMs: 20_000, what: 'a reconciliation after the last lead' },
    );
    const form = troubleshooting.forms.find((f: { formId: string }) => f.formId === formId);
    expect(form).toMatchObject({ leadsAtNetwork: total, leadsStored: total, lastError: null });
    expect(form.missingFoundTotal).toBeGreaterThanOrEqual(50);
    expect(form.lastSyncAt).not.toBeNull();
    expect(troubleshooting).toMatchObject({ enabled: true, running: true, lastError: null, pendingNotifications: 0 });
    const live = await stack.client.workflow.getHandle(leadSyncWorkflowId('facebook', seeded.accounts[0].id)).query(leadSyncStateQuery);
    expect(live.webhookWakeups).toBeGreaterThan(0);
    expect(live.missingFound).toBeGreaterThanOrEqual(50);

    // Switching it off stops the workflow.
    await stack.request('POST', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`, { enabled: false });
    await eventually(async () => (await stack.request('GET', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`)).body.running === false, {
      what: 'lead sync stopped',
    });
  }, 300_000);
});
