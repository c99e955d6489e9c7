import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectAccount, connectNetwork, getAccount, seededAccountIds, seededUser } from '../support/tracking-helpers';
import { createDefinition, createForm, ledgerRows, newSubmissionId, newVisitorToken, setLeadSync } from './conversions-support';

/**
 * Concurrent writers of each shared record type over HTTP (issue 15 fault suite; contacts are in
 * contacts-concurrency.test.ts): leads, conversion ledger rows, account settings. Each round fires
 * the writers at once and checks nothing was doubled and nothing was lost.
 */
describe('shared records under concurrent writers', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600', LEAD_POLL_INTERVAL_SECONDS: '2', LEAD_RECONCILE_INTERVAL_SECONDS: '3600' }),
  });
  const CALLERS = 8;

  it('issue15 concurrency: leads — one lead delivered by 8 simultaneous webhooks while polls and reconciliations run is stored once; two accounts syncing one person make one contact', async () => {
    const fb = sandboxes.control('facebook');
    const seeded = await fb.post('/_sandbox/seed', { seed: 5270, accounts: 2, adsPerAccount: 6, landingBaseUrl: sandboxes.running.urls.landing });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const accounts = seeded.accounts as { id: string; formIds: string[] }[];
    for (const account of accounts) {
      await connectAccount(stack, connection.id, account.id);
      await setLeadSync(stack, 'facebook', account.id, true);
    }
    const emails = Array.from({ length: 10 }, (_, i) => `shared.person.${i}@example.com`);
    for (let round = 0; round < 3; round += 1) {
      // The same people leave a lead in both accounts' forms at once.
      const created = await Promise.all(
        accounts.map(async (account) => (await fb.post('/_sandbox/leads', { formId: account.formIds[0], leads: emails.map((email) => ({ email })) })).leads as { id: string; formId: string }[]),
      );
      const first = created[0]![0]!;
      const body = JSON.stringify({ object: 'page', entry: [{ id: 'page', time: 0, changes: [{ field: 'leadgen', value: { leadgen_id: first.id, form_id: first.formId } }] }] });
      const signature = `sha256=${createHmac('sha256', stack.config.FACEBOOK_APP_SECRET).update(body).digest('hex')}`;
      const deliveries = Array.from({ length: CALLERS }, () =>
        fetch(`${stack.api.url}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body }).then((res) => res.status),
      );
      const reconciles = accounts.map((account) => stack.request('POST', `/api/accounts/${encodeURIComponent(`facebook:${account.id}`)}/lead-sync/reconcile`, {}));
      const statuses = await Promise.all(deliveries);
      expect(statuses.every((status) => status === 200 || status === 202)).toBe(true);
      expect((await Promise.all(reconciles)).every((r) => r.status < 300)).toBe(true);
      const ids = created.flat().map((lead) => lead.id);
      await eventually(async () => (await stack.db.models.Lead.countDocuments({ leadId: { $in: ids } })) === ids.length, { timeoutMs: 60_000, what: `round ${round}: every lead stored` });
      expect(await stack.db.models.LeadNotification.countDocuments({ leadId: first.id })).toBe(1);
    }
    const leads = await stack.db.models.Lead.find({ accountKey: { $in: accounts.map((a) => `facebook:${a.id}`) } }, { leadId: 1, contactId: 1 }).lean();
    expect(new Set(leads.map((lead) => lead.leadId)).size).toBe(leads.length);
    // Ten people: ten contacts, each holding its six leads (3 rounds × 2 accounts), each once.
    const contacts = await stack.db.models.Contact.find({ emails: { $in: emails } }, { leadKeys: 1 }).lean();
    expect(contacts).toHaveLength(emails.length);
    for (const contact of contacts) {
      expect(contact.leadKeys).toHaveLength(6);
      expect(new Set(contact.leadKeys).size).toBe(6);
    }
  }, 240_000);

  it('issue15 concurrency: ledger rows — one form submission posted 8 times at once and one stage change sent 8 times at once are one ledger row each, uploaded once', async () => {
    const google = sandboxes.control('google');
    const seeded = await google.post('/_sandbox/seed', { seed: 5271, accounts: 1, adsPerAccount: 2, landingBaseUrl: sandboxes.running.urls.landing });
    await google.put('/_sandbox/config', { minClickAgeSeconds: 0 });
    const connection = await connectNetwork(stack, sandboxes, 'google', seededUser(seeded));
    const account = await connectAccount(stack, connection.id, seededAccountIds('google', seeded)[0]!);
    const formId = await createForm(stack, 'Concurrent demo request');
    const target = { network: 'google', adAccountId: account.externalId, conversionActionId: seeded.conversionActionIds[0] };
    const formDef = await createDefinition(stack, { ...target, trigger: { kind: 'form_submission', formId } });
    const customerDef = await createDefinition(stack, { ...target, trigger: { kind: 'lifecycle_stage', stages: ['customer'] } });

    const submissionId = newSubmissionId();
    const visitorToken = newVisitorToken();
    const answers = await Promise.all(
      Array.from({ length: CALLERS }, () =>
        fetch(`${stack.api.url}/t/forms/${formId}/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'concurrent.buyer@example.net', visitorToken, submissionId, pageUrl: 'https://shop.example.com/demo' }),
        }).then((res) => res.status),
      ),
    );
    expect(answers).toEqual(Array(CALLERS).fill(202));
    const submissions = await stack.db.models.FormSubmission.find({ formId }).lean();
    expect(submissions).toHaveLength(1);
    const contactId = submissions[0]!.contactId;
    const patches = await Promise.all(Array.from({ length: CALLERS }, () => stack.request('PATCH', `/api/contacts/${contactId}`, { lifecycleStage: 'customer' })));
    // One change wins; the others are told the contact changed meanwhile (409), none is applied twice.
    expect(patches.every((p) => p.status === 200 || p.status === 409), JSON.stringify(patches.map((p) => p.body))).toBe(true);
    expect(patches.some((p) => p.status === 200)).toBe(true);

    const uploads = async () => {
      const { accepted, rejected } = await google.get(`/_sandbox/conversions?accountId=${account.externalId}`);
      return [...(accepted as any[]), ...(rejected as any[])].map((c) => c.conversion?.orderId as string);
    };
    const rows = await eventually(
      async () => {
        const all = [...(await ledgerRows(stack, formDef.id)), ...(await ledgerRows(stack, customerDef.id))];
        return all.length >= 2 && all.every((row) => row.status === 'sent') ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'both events sent' },
    );
    expect(rows.filter((row) => row.definitionId === formDef.id)).toHaveLength(1);
    expect(rows.filter((row) => row.definitionId === customerDef.id && row.contactId === contactId)).toHaveLength(1);
    const sent = await uploads();
    for (const row of rows) expect(sent.filter((orderId) => orderId === row.eventId)).toHaveLength(1);
    expect(await stack.db.models.ConversionLedger.countDocuments({ definitionId: { $in: [formDef.id, customerDef.id] } })).toBe(2);
  }, 180_000);

  it('issue15 concurrency: account settings — simultaneous changes of different settings (auto-tracking, lead sync, template fields) are all kept', async () => {
    const seeded = await sandboxes.control('linkedin').post('/_sandbox/seed', { seed: 5272, accounts: 1, adsPerAccount: 2, landingBaseUrl: sandboxes.running.urls.landing });
    const connection = await connectNetwork(stack, sandboxes, 'linkedin', seededUser(seeded));
    const account = await connectAccount(stack, connection.id, connection.adAccounts[0]!.externalId);
    const key = encodeURIComponent(account.id);
    for (let round = 0; round < 4; round += 1) {
      const autoTracking = round % 2 === 1;
      const leadSync = round % 2 === 0;
      const answers = await Promise.all([
        stack.request('POST', `/api/accounts/${key}/auto-tracking`, { enabled: autoTracking }),
        stack.request('POST', `/api/accounts/${key}/lead-sync`, { enabled: leadSync }),
        stack.request('PUT', '/api/tracking-templates/linkedin', { utmSource: `source-${round}` }),
        stack.request('PUT', '/api/tracking-templates/linkedin', { utmMedium: `medium-${round}` }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect((await getAccount(stack, account.id)).autoTracking).toBe(autoTracking);
      expect((await stack.request('GET', `/api/accounts/${key}/lead-sync`)).body.enabled).toBe(leadSync);
      expect((await stack.request('GET', '/api/tracking-templates/linkedin')).body).toMatchObject({ utmSource: `source-${round}`, utmMedium: `medium-${round}` });
    }
  }, 180_000);
});
