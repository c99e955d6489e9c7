import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { ApiContext } from '../../src/api/context';
import { REDACTED_PATHS } from '../../src/logging';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { TokenVault } from '../../src/security/token-vault';
import { EncryptionCodec } from '../../src/temporal/codec';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { conversionWorkflowId } from '../../workflows/conversions-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack, type TestStack } from '../support/stack';
import {
  connectSeeded,
  definitionDetails,
  facebookAccepted,
  ledgerRows,
  newSubmissionId,
  newVisitorToken,
  setLeadSync,
  sha256,
  signalRefs,
  waitForIdle,
  type ConnectedNetwork,
} from './conversions-support';

/**
 * Conversion events to the Facebook Conversions API over real HTTP (issue 6): form submissions as
 * website events, lifecycle changes as CRM events, consent, audiences, duplicates, activity before
 * the definition, switch off / delete — and no personal data or token in workflow histories or logs.
 *
 * Everything the CRM does goes through issue 5's API (form submissions on the public endpoint,
 * lifecycle changes and consent with PATCH /api/contacts/:id, lead sync for Facebook lead ids); the
 * API here is a second instance whose logs are captured. The scenario runs once (one batch wait of
 * ≤ 10 s for all definitions together); each `it` then checks one requirement.
 */

// Every log line of this test process — API requests, the CRM router, Temporal SDK and activity
// logs — goes through the service's redaction config into this buffer (acceptance 4).
const logLines: string[] = [];
const captureLogger = pino(
  { level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
  { write: (line: string) => void logLines.push(line) },
);
installTemporalRuntime(captureLogger, 'DEBUG');

const EMAIL = '  Jane.Roe@Example.COM ';
const EMAIL_NORMALISED = 'jane.roe@example.com';
const PHONE = '+1 (650) 555-0142';
const PHONE_DIGITS = '16505550142';
const LEAD_AD_EMAIL = 'ad.lead.person@example.org';
const ORGANIC_EMAIL = 'organic.lead.person@example.org';
const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) ConversionTest/2.0';
const PAGE_URL = 'https://shop.example.com/demo?utm_campaign=spring';

describe('conversion events → Facebook', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300', LEAD_POLL_INTERVAL_SECONDS: '2' }) });

  const s = {} as {
    fb: ConnectedNetwork;
    pixelId: string;
    api: RunningServer;
    formId: string;
    otherFormId: string;
    defs: Record<'consented' | 'plain' | 'mql' | 'sqlInteracted' | 'switched', any>;
    visitor: { contactId: string; first: string; second: string; beforeDefinition: string; whileOff: string; afterOn: string };
    leads: { adContactId: string; adLeadId: string; organicContactId: string; organicLeadId: string };
    tokens: string[];
    ready?: Promise<void>;
  };

  /** Requests to the capturing API instance (admin token). */
  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${s.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, 'user-agent': USER_AGENT, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function submit(formId: string, submissionId: string, visitorToken: string) {
    const res = await api('POST', `/t/forms/${formId}/submissions`, {
      email: EMAIL,
      fields: { firstname: 'Jane', lastname: "Roe-O'Neil", phone: PHONE },
      pageUrl: PAGE_URL,
      visitorToken,
      submissionId,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.submissionId as string;
  }

  async function patchContact(contactId: string, body: Record<string, unknown>) {
    const res = await api('PATCH', `/api/contacts/${contactId}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function scenario(t: TestStack): Promise<void> {
    const ctx: ApiContext = {
      config: t.config,
      logger: captureLogger,
      db: t.db,
      temporal: t.client,
      codec: await EncryptionCodec.create(t.config.ENCRYPTION_KEYS),
      temporalReady: async () => true,
    };
    s.api = await listen(createApp(ctx));

    s.fb = await connectSeeded(t, sandboxes, 'facebook');
    const account = s.fb.seeded.accounts[0];
    s.pixelId = account.pixelId;
    const accountId = s.fb.accountIds[0]!;

    // Lead sync brings two lead-ad leads in as contacts with their Facebook lead ids (CONV-4).
    const pushed = await sandboxes.control('facebook').post('/_sandbox/leads', {
      formId: account.formIds[0],
      leads: [
        { email: LEAD_AD_EMAIL, fullName: 'Ada Lead', adId: s.fb.seeded.ads.byKind.lead[0] },
        { email: ORGANIC_EMAIL, fullName: 'Olga Organic', organic: true },
      ],
    });
    await setLeadSync(t, 'facebook', accountId, true);
    const [adLead, organicLead] = pushed.leads;
    const contacts = await eventually(
      async () => {
        const found = await t.db.models.Contact.find({ fbLeadId: { $in: [adLead.id, organicLead.id] } }).lean();
        return found.length === 2 ? found : undefined;
      },
      { timeoutMs: 40_000, what: 'lead contacts from lead sync' },
    );
    const byLead = (id: string) => contacts.find((c) => c.fbLeadId === id)!;
    s.leads = { adContactId: byLead(adLead.id)._id, adLeadId: adLead.id, organicContactId: byLead(organicLead.id)._id, organicLeadId: organicLead.id };

    const form = await api('POST', '/api/forms', { name: 'Demo request' });
    s.formId = form.body.id;
    s.otherFormId = (await api('POST', '/api/forms', { name: 'Newsletter' })).body.id;

    // Activity before any conversion event exists (CONV-7).
    const visitorToken = newVisitorToken();
    const beforeDefinition = await submit(s.formId, newSubmissionId(), visitorToken);
    const visitorContact = (await t.db.models.FormSubmission.findById(beforeDefinition).lean())!.contactId;
    await patchContact(s.leads.adContactId, { lifecycleStage: 'salesqualifiedlead' });

    const create = async (body: Record<string, unknown>) => {
      const res = await api('POST', '/api/conversion-events', { network: 'facebook', adAccountId: accountId, pixelId: s.pixelId, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    s.defs = {
      consented: await create({
        name: 'Demo requests with consent',
        trigger: { kind: 'form_submission', formId: s.formId },
        value: 12.5,
        currency: 'USD',
        consent: { property: 'ads_consent', value: 'yes' },
        sharedFields: { firstName: true, lastName: true },
      }),
      plain: await create({ trigger: { kind: 'form_submission', formId: s.formId }, eventName: 'CompleteRegistration', sharedFields: { ipAddress: false } }),
      mql: await create({ trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] }, audience: 'all' }),
      sqlInteracted: await create({ trigger: { kind: 'lifecycle_stage', stages: ['salesqualifiedlead'] }, audience: 'interacted_with_ads' }),
      switched: await create({ trigger: { kind: 'form_submission', formId: s.otherFormId } }),
    };

    // Form submissions: the first without consent, then consent, then a second one.
    const first = await submit(s.formId, newSubmissionId(), visitorToken);
    // The rules read the contact when the workflow evaluates the activity: consent is given after that.
    await eventually(async () => t.db.models.ConversionLedger.exists({ definitionId: s.defs.consented.id, submissionId: first }), { what: 'first submission evaluated' });
    await patchContact(visitorContact, { properties: { ads_consent: 'yes' } });
    const secondId = newSubmissionId();
    const second = await submit(s.formId, secondId, visitorToken);
    // The same submission again (a retried request): stored once, one event (CONV-7) …
    await submit(s.formId, secondId, visitorToken);
    // … and even when its activity reaches the workflow twice more.
    const secondAt = (await t.db.models.FormSubmission.findById(second).lean())!.at.toISOString();
    const secondRef = { kind: 'form_submission' as const, contactId: visitorContact, formId: s.formId, submissionId: second, at: secondAt };
    await signalRefs(t, s.defs.consented.id, [secondRef, secondRef]);
    // An activity from before the definition existed, arriving late: recorded, not sent.
    const beforeAt = (await t.db.models.FormSubmission.findById(beforeDefinition).lean())!.at.toISOString();
    await signalRefs(t, s.defs.plain.id, [{ kind: 'form_submission', contactId: visitorContact, formId: s.formId, submissionId: beforeDefinition, at: beforeAt }]);

    // Lifecycle changes (CONV-4).
    await patchContact(s.leads.adContactId, { lifecycleStage: 'marketingqualifiedlead' });
    await patchContact(s.leads.organicContactId, { lifecycleStage: 'marketingqualifiedlead' });
    await patchContact(s.leads.organicContactId, { lifecycleStage: 'salesqualifiedlead' });
    await patchContact(visitorContact, { lifecycleStage: 'marketingqualifiedlead' });
    await patchContact(s.leads.adContactId, { lifecycleStage: 'salesqualifiedlead' });
    // Re-entering a stage is the same event (one per contact and stage).
    await patchContact(s.leads.adContactId, { lifecycleStage: 'marketingqualifiedlead' });

    // Switched off: not sent and not queued; on again: later activity is sent.
    expect((await api('PATCH', `/api/conversion-events/${s.defs.switched.id}`, { enabled: false })).status).toBe(200);
    const whileOff = await submit(s.otherFormId, newSubmissionId(), visitorToken);
    expect((await api('PATCH', `/api/conversion-events/${s.defs.switched.id}`, { enabled: true })).status).toBe(200);
    const afterOn = await submit(s.otherFormId, newSubmissionId(), visitorToken);

    s.visitor = { contactId: visitorContact, first, second, beforeDefinition, whileOff, afterOn };
    const connection = await t.db.models.Connection.findOne({ network: 'facebook' }).lean();
    s.tokens = [new TokenVault(t.config.ENCRYPTION_KEYS).open(connection!.tokens!, connection!._id).accessToken];

    // One batch wait (≤ 10 s) for everything.
    await eventually(
      async () => {
        const sent = await t.db.models.ConversionLedger.countDocuments({ status: 'sent' });
        return sent >= 7 ? sent : undefined;
      },
      { timeoutMs: 45_000, what: 'all expected events sent' },
    );
    for (const def of Object.values(s.defs)) await waitForIdle(t, def.id);
  }

  const ready = () => (s.ready ??= scenario(stack));
  const accepted = async () => facebookAccepted(sandboxes, s.pixelId);
  const eventsOf = async (eventIds: string[]) => (await accepted()).filter((e) => eventIds.includes(e.eventId));
  const rowsOf = async (key: keyof typeof s.defs) => ledgerRows(stack, s.defs[key].id);

  it('CONV-1 / CONV-9 a form submission of this system reaches the Facebook Conversions API as a website event with normalised, SHA-256 hashed user data', async () => {
    await ready();
    const rows = await rowsOf('consented');
    const sent = rows.find((r) => r.submissionId === s.visitor.second);
    expect(sent).toMatchObject({ status: 'sent', network: 'facebook', matchKeys: expect.arrayContaining(['email', 'phone', 'ipAddress']) });
    const [event] = await eventsOf([sent.eventId]);
    expect(event).toMatchObject({ pixelId: s.pixelId, eventName: 'Lead', actionSource: 'website', eventId: sent.eventId });
    expect(event.event.event_source_url).toBe(PAGE_URL);
    const user = event.event.user_data;
    // Reference normalisation (facebook §8.3): trimmed lowercase email, digits with country code, names without punctuation.
    expect(user.em).toEqual([sha256(EMAIL_NORMALISED)]);
    expect(user.ph).toEqual([sha256(PHONE_DIGITS)]);
    expect(user.fn).toEqual([sha256('jane')]);
    expect(user.ln).toEqual([sha256('roeoneil')]);
    expect(user.client_user_agent).toBe(USER_AGENT);
    expect(user.client_ip_address).toMatch(/127\.0\.0\.1/);
    expect(event.event.custom_data).toMatchObject({ value: 12.5, currency: 'USD' });
    // Nothing personal in clear anywhere in what Facebook received.
    const everything = JSON.stringify(await accepted());
    expect(everything.toLowerCase()).not.toContain(EMAIL_NORMALISED);
    expect(everything).not.toContain(PHONE_DIGITS);
    expect(everything).not.toContain(LEAD_AD_EMAIL);
  });

  it('CONV-5 consent must hold before anything is sent; event name, value and removable IP address are honoured', async () => {
    await ready();
    const consented = await rowsOf('consented');
    expect(consented.find((r) => r.submissionId === s.visitor.first)).toMatchObject({ status: 'skipped', reason: { code: 'NO_CONSENT' } });
    const details = await definitionDetails(stack, s.defs.consented.id);
    expect(details.counts).toMatchObject({ sent: 1, skipped: 1, failed: 0 });
    expect(details.counts.reasons).toEqual([expect.objectContaining({ status: 'skipped', code: 'NO_CONSENT', count: 1, message: expect.stringMatching(/consent/) })]);

    // Without a consent rule both submissions go; the IP address was removed from this one.
    const plain = (await rowsOf('plain')).filter((r) => r.status === 'sent');
    expect(plain.map((r) => r.submissionId).sort()).toEqual([s.visitor.first, s.visitor.second].sort());
    const events = await eventsOf(plain.map((r) => r.eventId));
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.eventName).toBe('CompleteRegistration');
      expect(e.event.user_data.client_ip_address).toBeUndefined();
      expect(e.event.user_data.client_user_agent).toBe(USER_AGENT);
      expect(e.event.user_data.fn).toBeUndefined();
      expect(e.event.custom_data).toBeUndefined();
    }
  });

  it('CONV-4 / CONV-9 lifecycle changes: "all" sends every contact with a Facebook lead id, "interacted" only ad-engaged ones; they arrive as CRM events', async () => {
    await ready();
    const mql = await rowsOf('mql');
    const mqlBy = (contactId: string) => mql.find((r) => r.contactId === contactId);
    expect(mqlBy(s.leads.adContactId)).toMatchObject({ status: 'sent', stage: 'marketingqualifiedlead' });
    expect(mqlBy(s.leads.organicContactId)).toMatchObject({ status: 'sent' });
    expect(mqlBy(s.visitor.contactId)).toMatchObject({ status: 'skipped', reason: { code: 'NO_FB_LEAD_ID' } });

    const sql = await rowsOf('sqlInteracted');
    expect(sql.find((r) => r.contactId === s.leads.adContactId)).toMatchObject({ status: 'sent' });
    expect(sql.find((r) => r.contactId === s.leads.organicContactId)).toMatchObject({ status: 'skipped', reason: { code: 'AUDIENCE_NOT_INTERACTED' } });

    const [crm] = await eventsOf([mqlBy(s.leads.adContactId).eventId]);
    expect(crm).toMatchObject({ eventName: 'Marketing Qualified Lead', actionSource: 'system_generated' });
    expect(String(crm.event.user_data.lead_id)).toBe(s.leads.adLeadId);
    expect(crm.event.custom_data).toMatchObject({ event_source: 'crm', lead_event_source: 'adtrack' });
    expect(crm.event.user_data.em).toEqual([sha256(LEAD_AD_EMAIL)]);
  });

  it('CONV-7 only activity after the definition was created is sent; a duplicate submission or a re-entered stage is one event', async () => {
    await ready();
    // Before any definition existed: nothing was routed, nothing sent.
    const all = await stack.db.models.ConversionLedger.find({ status: { $ne: 'pending' } }).lean();
    expect(all.filter((r) => r.status === 'sent' && r.submissionId === s.visitor.beforeDefinition)).toHaveLength(0);
    const late = (await rowsOf('plain')).find((r) => r.submissionId === s.visitor.beforeDefinition);
    expect(late).toMatchObject({ status: 'skipped', reason: { code: 'BEFORE_DEFINITION' } });
    // The lead contact was SQL before the "interacted" definition existed: that change is not an event.
    expect((await rowsOf('sqlInteracted')).filter((r) => r.contactId === s.leads.adContactId)).toHaveLength(1);

    // The second submission: submitted twice (stored once) and signalled twice more — one row, one event.
    const consented = await rowsOf('consented');
    const second = consented.filter((r) => r.submissionId === s.visitor.second);
    expect(second).toHaveLength(1);
    expect(second[0].seen).toBe(3);
    expect(await eventsOf([second[0].eventId])).toHaveLength(1);
    expect((await definitionDetails(stack, s.defs.consented.id)).counts.duplicates).toBe(2);

    // MQL → SQL → MQL for the lead contact: one MQL event.
    const mqlRows = (await rowsOf('mql')).filter((r) => r.contactId === s.leads.adContactId);
    expect(mqlRows).toHaveLength(1);
    expect(await eventsOf([mqlRows[0].eventId])).toHaveLength(1);

    const ids = (await accepted()).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('CONV-8 switched off: activity is not sent and not queued; deleted: the workflow ends', async () => {
    await ready();
    const rows = await rowsOf('switched');
    expect(rows.map((r) => r.submissionId)).toEqual([s.visitor.afterOn]);
    expect(rows[0].status).toBe('sent');
    expect(await stack.db.models.ConversionLedger.countDocuments({ submissionId: s.visitor.whileOff })).toBe(0);
    expect(await stack.db.models.ConversionOutbox.countDocuments({ submissionId: s.visitor.whileOff })).toBe(0);

    const handle = stack.client.workflow.getHandle(conversionWorkflowId(s.defs.switched.id));
    expect((await api('DELETE', `/api/conversion-events/${s.defs.switched.id}`)).status).toBe(200);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'workflow completed after delete' });
    // Activity for a deleted event goes nowhere.
    await submit(s.otherFormId, newSubmissionId(), newVisitorToken());
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect((await rowsOf('switched')).length).toBe(1);
  });

  it('acceptance 4: no email, phone or token in plain text in any workflow history (read without the codec) or in the logs', async () => {
    await ready();
    // A client WITHOUT the data converter: payloads come back exactly as stored by the server.
    const connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS });
    try {
      const raw = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE });
      const ids: string[] = [];
      for await (const wf of raw.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) ids.push(wf.workflowId);
      const conversionIds = Object.values(s.defs).map((d) => conversionWorkflowId(d.id));
      for (const id of conversionIds) expect(ids).toContain(id);
      expect(ids.some((id) => id.startsWith('tracking/facebook/'))).toBe(true);
      expect(ids.some((id) => id.startsWith('connect/facebook/'))).toBe(true);

      const forbidden = [EMAIL.trim(), EMAIL_NORMALISED, PHONE, PHONE_DIGITS, LEAD_AD_EMAIL, ORGANIC_EMAIL, USER_AGENT, ...s.tokens];
      let payloads = 0;
      for (const id of new Set(ids)) {
        const history = await raw.workflow.getHandle(id).fetchHistory();
        // Payload bytes come out base64-encoded: decode every string, so anything stored in clear would show.
        const strings: string[] = [];
        const walk = (value: unknown): void => {
          if (typeof value === 'string') {
            strings.push(value);
            if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) strings.push(Buffer.from(value, 'base64').toString('utf8'));
          } else if (Array.isArray(value)) value.forEach(walk);
          else if (value && typeof value === 'object') Object.values(value).forEach(walk);
        };
        const json: unknown = JSON.parse(JSON.stringify(history));
        walk(json);
        const text = strings.join('\n').toLowerCase();
        for (const secret of forbidden) expect(text, `${id} history`).not.toContain(secret.toLowerCase());
        // The payloads are there — encrypted by the codec.
        const encrypted = text.split('binary/encrypted').length - 1;
        if (conversionIds.includes(id)) expect(encrypted).toBeGreaterThan(0);
        payloads += encrypted;
      }
      expect(payloads).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }

    const logs = logLines.join('\n');
    expect(logs).toContain('crm activity routed to conversion events');
    expect(logs).toContain('/t/forms/');
    for (const secret of [EMAIL.trim(), EMAIL_NORMALISED, PHONE, PHONE_DIGITS, LEAD_AD_EMAIL, ...s.tokens]) {
      expect(logs.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // And the redaction config covers the keys personal data and tokens travel under.
    for (const key of ['email', 'phone', 'accessToken', 'access_token', 'token', 'authorization', '*.email', '*.phone']) expect(REDACTED_PATHS).toContain(key);
    await s.api.close();
  });
});
