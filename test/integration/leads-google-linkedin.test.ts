import { describe, expect, it } from 'vitest';
import { DEFAULT_LINKEDIN_CREDENTIALS } from '../../src/sandboxes/linkedin';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { seedAndConnect } from '../support/tracking-helpers';

const GOOGLE_KEY = 'google-lead-webhook-key';

/**
 * LEAD-1…LEAD-5 on Google Ads (lead form webhook with google_key, GAQL polling) and LinkedIn (signed
 * lead notifications, leadFormResponses polling): duplicates and drops, every lead once, one
 * contact per email, lead-ad contacts credited to their ad (ATT-3).
 */
describe('Google and LinkedIn lead sync', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({
      ...sandboxes.running.env,
      SWEEP_INTERVAL_SECONDS: '3600',
      GOOGLE_LEAD_WEBHOOK_KEY: GOOGLE_KEY,
      LEAD_POLL_INTERVAL_SECONDS: '3600',
      LEAD_RECONCILE_INTERVAL_SECONDS: '3',
    }),
  });

  const leadSync = (accountId: string) => stack.request('GET', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`);

  it('Google: webhook leads (duplicated, some dropped) are stored once each and become de-duplicated, attributed contacts', async () => {
    const { seeded, account } = await seedAndConnect(stack, sandboxes, 'google', { seed: 3, accounts: 1, adsPerAccount: 12 });
    const google = sandboxes.control('google');
    const formId = seeded.leadFormIds[0] as string;
    await google.put('/_sandbox/webhook', { url: `${stack.api.url}/webhooks/google`, googleKey: GOOGLE_KEY, duplicateRate: 0.5, dropRate: 0.2 });
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: true })).status).toBe(200);
    const before = (await google.get(`/_sandbox/leads?formId=${formId}`)).leads.length as number;

    const pushed = await google.post('/_sandbox/leads', {
      formId,
      leads: Array.from({ length: 40 }, (_, i) => ({ email: `g${i % 30}@example.com`, fullName: `Gina Tester${i}`, ...(i % 10 === 9 ? { organic: true } : {}) })),
    });
    const total = before + 40;
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: account.id, formId })) === total, { timeoutMs: 30_000, what: 'Google leads stored' });

    const leads = await stack.db.models.Lead.find({ accountKey: account.id, formId }).lean();
    expect(new Set(leads.map((l) => l.leadId)).size).toBe(total);
    const paid = pushed.leads.find((l: { organic: boolean }) => !l.organic);
    const stored = leads.find((l) => l.leadId === paid.id)!;
    expect(stored).toMatchObject({ organic: false, adId: paid.adId, campaignId: paid.campaignId, adGroupId: paid.adGroupId });
    expect(stored.answers).toMatchObject({ email: expect.stringMatching(/@example\.com$/) });
    const organic = leads.find((l) => l.leadId === pushed.leads.find((p: { organic: boolean }) => p.organic).id)!;
    expect(organic.organic).toBe(true);

    const contacts = await stack.db.models.Contact.find({ emails: { $regex: '^g\\d+@example\\.com$' } }).lean();
    expect(contacts).toHaveLength(30);
    const contact = contacts.find((c) => c.email === paid.fields.find((f: { fieldType: string }) => f.fieldType === 'EMAIL').fieldValue)!;
    expect(contact.attribution).toMatchObject({ attributed: true, reason: 'LEAD_AD', ad: { network: 'google', adId: expect.any(String) } });
    expect(contact.interactedWithAds).toBe(true);

    // The sandbox really repeated and dropped deliveries (repeats go out shortly after a success).
    await eventually(
      async () => {
        const deliveries = (await google.get('/_sandbox/webhook')).deliveries as { status: number | string; duplicate: boolean }[];
        return deliveries.some((d) => d.duplicate && d.status === 200) && deliveries.some((d) => d.status === 'dropped');
      },
      { what: 'duplicated and dropped Google deliveries' },
    );
    const troubleshooting = await eventually(
      async () => {
        const body = (await leadSync(account.id)).body;
        return body.forms.find((f: { formId: string; leadsAtNetwork: number }) => f.formId === formId && f.leadsAtNetwork === total) ? body : undefined;
      },
      { what: 'a reconciliation after the last lead' },
    );
    expect(troubleshooting.forms.find((f: { formId: string }) => f.formId === formId)).toMatchObject({ leadsStored: total, lastError: null });
  });

  it('LinkedIn: signed lead notifications (some dropped, some repeated) → every lead once, contacts per email', async () => {
    const { seeded, account } = await seedAndConnect(stack, sandboxes, 'linkedin', { seed: 14, accounts: 1, adsPerAccount: 16 });
    const linkedin = sandboxes.control('linkedin');
    // The sandbox's world, read in-process: a lead-gen creative of the account and its form.
    const accountNumber = Number(seeded.accounts[0].id);
    const leadAd = [...sandboxes.running.linkedin.state.creatives.values()].find((c) => c.accountId === accountNumber && c.leadFormId !== undefined);
    expect(leadAd).toBeDefined();
    const formId = String(leadAd!.leadFormId);
    await linkedin.put('/_sandbox/webhook', {
      url: `${stack.api.url}/webhooks/linkedin`,
      secret: DEFAULT_LINKEDIN_CREDENTIALS.clientSecret,
      validate: true,
      duplicateRate: 0.5,
      dropRate: 0.2,
      retryDelayMs: 50,
    });
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await leadSync(account.id)).body.forms.length > 0, { what: 'LinkedIn lead forms listed' });

    await linkedin.post('/_sandbox/leads', {
      formId,
      leads: Array.from({ length: 30 }, (_, i) => ({ email: `li${i % 25}@example.com`, fullName: `Lin Kedin${i}`, adId: leadAd!.id })),
    });
    // Every real lead of the form at the network (test leads from the form editor are not leads).
    const atNetwork = (await linkedin.get('/_sandbox/leads')).leads.filter(
      (l: { versionedLeadGenFormUrn: string; testLead: boolean }) => l.versionedLeadGenFormUrn.includes(`leadGenForm:${formId},`) && !l.testLead,
    );
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: account.id, formId })) === atNetwork.length, {
      timeoutMs: 30_000,
      what: 'LinkedIn leads stored',
    });
    const contacts = await stack.db.models.Contact.find({ emails: { $regex: '^li\\d+@example\\.com$' } }).lean();
    expect(contacts).toHaveLength(25);
    expect(contacts[0]!.attribution).toMatchObject({ attributed: true, reason: 'LEAD_AD', ad: { network: 'linkedin' } });
    const notes = await stack.db.models.LeadNotification.find({ network: 'linkedin' }).lean();
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.accountKey === account.id)).toBe(true);
  });
});
