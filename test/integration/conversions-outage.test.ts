import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordCrmActivities } from '../../src/contacts/crm-activity';
import { freePort, startTemporalDevServer, type Supervised } from '../../src/dev/processes';
import { devServerSearchAttributeArgs } from '../../src/temporal/search-attributes';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectSeeded, createDefinition, createForm, ledgerRows, newVisitorToken, setLeadSync, setLifecycleStage, submitForm, waitForCounts, type ConnectedNetwork } from './conversions-support';

/**
 * CRM activity is durable (issue 10 §3, issue 15 item 9): a form submission and a lifecycle change
 * accepted while the Temporal server is stopped reach the network exactly once after it is back;
 * redelivering an activity never doubles its event; contacts created by import and by lead sync
 * send their stage's event like a stage change through the API.
 *
 * The file runs its own Temporal dev server (a SQLite file in a temp folder, so a restart on the
 * same port keeps its state): the shared one of global setup serves other files concurrently and
 * must not stop. Google Ads' sandbox refuses an order id it has seen (ORDER_ID_ALREADY_IN_USE) and
 * keeps every upload, accepted or not, so "once" is counted over all uploads of an event id.
 */
describe('conversion events survive a Temporal outage', () => {
  const sandboxes = useSandboxes();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-outage-'));
  const temporal = {} as { port: number; server?: Supervised & { address: string } };
  const startTemporal = async () => {
    temporal.server = await startTemporalDevServer({
      binary: inject('temporalCliPath'),
      port: temporal.port,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      extraArgs: devServerSearchAttributeArgs(),
      logFile: path.join(dataDir, 'temporal.log'),
    });
  };
  beforeAll(async () => {
    temporal.port = await freePort();
    await startTemporal();
  }, 180_000);
  afterAll(async () => {
    await temporal.server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}`, SWEEP_INTERVAL_SECONDS: '300', LEAD_POLL_INTERVAL_SECONDS: '2' }),
  });

  /** Form submissions made while Temporal is stopped (issue 15 item 9 lost 23 of 26). */
  const DURING_OUTAGE = 10;
  const s = {} as { google: ConnectedNetwork; fb: ConnectedNetwork; formId: string; defs: Record<'form' | 'customer' | 'lead', any>; ready?: Promise<void> };

  async function setup(): Promise<void> {
    s.google = await connectSeeded(stack, sandboxes, 'google');
    s.fb = await connectSeeded(stack, sandboxes, 'facebook');
    await sandboxes.control('google').put('/_sandbox/config', { minClickAgeSeconds: 0 });
    s.formId = await createForm(stack, 'Demo request');
    const google = { network: 'google', adAccountId: s.google.accountIds[0], conversionActionId: s.google.seeded.conversionActionIds[0] };
    s.defs = {
      form: await createDefinition(stack, { ...google, trigger: { kind: 'form_submission', formId: s.formId } }),
      customer: await createDefinition(stack, { ...google, trigger: { kind: 'lifecycle_stage', stages: ['customer'] } }),
      lead: await createDefinition(stack, { ...google, trigger: { kind: 'lifecycle_stage', stages: ['lead'] } }),
    };
  }
  const ready = () => (s.ready ??= setup());

  /** Every upload Google's sandbox received for the event id: accepted and refused. */
  async function uploadsOf(eventId: string): Promise<{ accepted: number; refused: number }> {
    const { accepted, rejected } = await sandboxes.control('google').get(`/_sandbox/conversions?accountId=${s.google.accountIds[0]}`);
    const count = (list: any[]) => list.filter((c) => c.conversion?.orderId === eventId).length;
    return { accepted: count(accepted), refused: count(rejected) };
  }

  async function sentRow(definitionId: string, match: Record<string, unknown>): Promise<any> {
    return eventually(
      async () => (await ledgerRows(stack, definitionId)).find((row) => row.status === 'sent' && Object.entries(match).every(([k, v]) => row[k] === v)),
      { timeoutMs: 90_000, intervalMs: 500, what: `a sent ledger row ${JSON.stringify(match)}` },
    );
  }

  it('CONV-7 / issue 15 item 9: form submissions and a lifecycle change made while Temporal is stopped reach Google exactly once after it is back', async () => {
    await ready();
    const before = await submitForm(stack, s.formId, { email: 'before.outage@example.net', visitorToken: newVisitorToken() });
    await waitForCounts(stack, s.defs.form.id, { sent: 1 }, 60_000);

    await temporal.server!.stop();
    const during: Awaited<ReturnType<typeof submitForm>>[] = [];
    for (let i = 0; i < DURING_OUTAGE; i += 1) during.push(await submitForm(stack, s.formId, { email: `during.outage.${i}@example.net`, visitorToken: newVisitorToken() }));
    await setLifecycleStage(stack, before.contactId, 'customer');
    // Accepted and durable while Temporal is down: all wait in the outbox.
    const waiting = (await stack.db.models.CrmActivityOutbox.find().lean()).map((row) => row._id);
    expect(waiting).toEqual(expect.arrayContaining([...during.map((d) => `form_submission:${d.submissionId}`), expect.stringMatching(new RegExp(`^lifecycle:${before.contactId}:customer:`))]));

    await startTemporal();
    // The API's relay delivers the outbox; the worker kept polling through the outage (the SDK retries).
    const rows = [await sentRow(s.defs.customer.id, { contactId: before.contactId, stage: 'customer' })];
    for (const d of during) rows.push(await sentRow(s.defs.form.id, { submissionId: d.submissionId }));
    for (const row of rows) {
      await eventually(async () => (await uploadsOf(row.eventId)).accepted === 1, { timeoutMs: 30_000, what: `upload of ${row.eventId}` });
      expect(await uploadsOf(row.eventId)).toEqual({ accepted: 1, refused: 0 });
    }
    await eventually(async () => (await stack.db.models.CrmActivityOutbox.countDocuments()) === 0, { timeoutMs: 30_000, what: 'an empty CRM activity outbox' });
  }, 240_000);

  it('CONV-7 a redelivered activity is one event: the ledger counts the repeat, the network sees the event once', async () => {
    await ready();
    const contact = await submitForm(stack, s.formId, { email: 'twice@example.net', visitorToken: newVisitorToken() });
    const row = await sentRow(s.defs.form.id, { submissionId: contact.submissionId });
    // As if the relay had crashed after Temporal acknowledged the signal but before it deleted the row.
    const record = await stack.db.models.CrmActivity.findById(`form_submission:${contact.submissionId}`).lean();
    expect(record).toBeTruthy();
    await recordCrmActivities(stack.db.models, [record!]);
    // The relay delivers it again …
    await eventually(async () => (await stack.db.models.CrmActivityOutbox.findById(record!._id).lean()) === null, { what: 'the redelivered row acknowledged' });
    // … and the ledger counts it as a repeat of the sent event instead of sending it.
    await eventually(async () => ((await stack.db.models.ConversionLedger.findById(row._id).lean())?.seen ?? 0) >= 2, { what: 'the repeat counted on the ledger row' });
    expect(await uploadsOf(row.eventId)).toEqual({ accepted: 1, refused: 0 });
  }, 120_000);

  it('CONV-2 contacts created by import and by lead sync in a triggering stage send that stage\'s event, once', async () => {
    await ready();
    const imported = await stack.request('POST', '/api/contacts/import', { contacts: [{ email: 'imported.customer@example.net', lifecycleStage: 'customer' }] });
    expect(imported.status).toBe(200);
    const importedId = imported.body.contacts[0].contactId as string;

    const account = s.fb.seeded.accounts[0];
    const pushed = await sandboxes.control('facebook').post('/_sandbox/leads', { formId: account.formIds[0], leads: [{ email: 'synced.lead@example.net', fullName: 'Syd Synced' }] });
    await setLeadSync(stack, 'facebook', s.fb.accountIds[0]!, true);
    const synced = await eventually(async () => stack.db.models.Contact.findOne({ fbLeadId: pushed.leads[0].id }).lean(), { timeoutMs: 60_000, what: 'the lead-synced contact' });

    const importRow = await sentRow(s.defs.customer.id, { contactId: importedId, stage: 'customer' });
    const leadRow = await sentRow(s.defs.lead.id, { contactId: synced._id, stage: 'lead' });
    for (const row of [importRow, leadRow]) {
      await eventually(async () => (await uploadsOf(row.eventId)).accepted === 1, { timeoutMs: 30_000, what: `upload of ${row.eventId}` });
      expect(await uploadsOf(row.eventId)).toEqual({ accepted: 1, refused: 0 });
    }
    const records = await stack.db.models.CrmActivity.find({ contactId: { $in: [importedId, synced._id] } }).lean();
    expect(records.map((r) => [r.via, r.stage]).sort()).toEqual([
      ['import', 'customer'],
      ['lead_sync', 'lead'],
    ]);
  }, 180_000);
});
