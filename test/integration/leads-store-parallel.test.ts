import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLeads } from '../../src/contacts/leads';
import { insertRows } from '../../src/db/bulk';
import { registerTraits } from '../../src/db/flavor';
import { createModels, type Models } from '../../src/db/models';
import type { NetworkLead } from '../../src/networks/types';
import { useStack } from '../support/stack';

/** The Facebook lead listing's page (activities/leads.ts). */
const PAGE = 500;
/** Documents per insert command and insert commands in flight at once (src/db/bulk.ts). */
const CHUNK = 100;
const IN_FLIGHT = 5;

const lead = (i: number): NetworkLead => ({
  network: 'facebook',
  leadId: `parallel-${i}`,
  formId: 'form-parallel',
  adId: 'ad-parallel',
  createdTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  isOrganic: false,
  fields: { email: `parallel.${i}@example.com`, full_name: `Parallel ${i}` },
});

/**
 * Issue 12 acceptance 0 (lead backfill ≥ 2,000 leads/s): a page of new leads is CPU-bound in the
 * embedded FerretDB, which converts a command's documents on one core. The page's chunked inserts go
 * out on several connections at once — counted here as insert commands in flight, against the real
 * database — with every document stored once and the write order that crash safety needs kept
 * (CRM activity records before contacts, contacts before leads). No timing is asserted.
 */
describe('Lead page inserts in parallel (issue 12 item 0)', () => {
  const stack = useStack();
  let monitored: mongoose.Connection;
  let models: Models;
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  /** Collections in the order their first insert started. */
  const firstInsert: string[] = [];
  const running = new Map<number, string>();

  beforeAll(async () => {
    monitored = mongoose.createConnection(stack.config.MONGODB_URI, { dbName: stack.db.connection.name, monitorCommands: true, autoIndex: false });
    await monitored.asPromise();
    registerTraits(monitored, stack.db.traits);
    models = createModels(monitored);
    const client = monitored.getClient();
    client.on('commandStarted', (event) => {
      if (event.commandName !== 'insert') return;
      const collection = String((event.command as { insert: string }).insert);
      if (!firstInsert.includes(collection)) firstInsert.push(collection);
      running.set(event.requestId, collection);
      inFlight.set(collection, (inFlight.get(collection) ?? 0) + 1);
      peak.set(collection, Math.max(peak.get(collection) ?? 0, inFlight.get(collection)!));
    });
    const done = (event: { requestId: number }) => {
      const collection = running.get(event.requestId);
      if (collection === undefined) return;
      running.delete(event.requestId);
      inFlight.set(collection, inFlight.get(collection)! - 1);
    };
    client.on('commandSucceeded', done);
    client.on('commandFailed', done);
  });
  afterAll(async () => {
    await monitored?.close();
  });

  it(`issue 12 item 0: a page of ${PAGE} new leads goes out as ${CHUNK}-document inserts, up to ${IN_FLIGHT} at once per collection, each document once, activities before contacts before leads`, async () => {
    const leads = Array.from({ length: PAGE }, (_, i) => lead(i));
    const result = await storeLeads(models, 'facebook:act_parallel', leads, 'poll');
    expect(result).toMatchObject({ received: PAGE, stored: PAGE, contactsCreated: PAGE });

    for (const collection of ['contact_emails', 'crm_activities', 'crm_activity_outbox', 'contacts', 'leads']) {
      expect(peak.get(collection), collection).toBeGreaterThan(1);
      expect(peak.get(collection), collection).toBeLessThanOrEqual(IN_FLIGHT);
    }
    expect(firstInsert.indexOf('crm_activities')).toBeLessThan(firstInsert.indexOf('contacts'));
    expect(firstInsert.indexOf('crm_activity_outbox')).toBeLessThan(firstInsert.indexOf('contacts'));
    expect(firstInsert.indexOf('contacts')).toBeLessThan(firstInsert.indexOf('leads'));

    const ids = leads.map((l) => `facebook:${l.leadId}`);
    const stored = await stack.db.models.Lead.find({ _id: { $in: ids } }, { contactId: 1 }).lean();
    expect(stored).toHaveLength(PAGE);
    expect(new Set(stored.map((l) => l.contactId)).size).toBe(PAGE);
    expect(await stack.db.models.Contact.countDocuments({ _id: { $in: stored.map((l) => l.contactId!) } })).toBe(PAGE);
    // The durable record (the outbox row may be relayed and gone already).
    expect(await stack.db.models.CrmActivity.countDocuments({ contactId: { $in: stored.map((l) => l.contactId!) } })).toBe(PAGE);

    // The same page again (a retried activity): nothing new, nothing doubled.
    expect(await storeLeads(models, 'facebook:act_parallel', leads, 'poll')).toMatchObject({ stored: 0, contactsCreated: 0 });
    expect(await stack.db.models.Lead.countDocuments({ _id: { $in: ids } })).toBe(PAGE);
  });

  it('issue 12 item 0: documents that exist already are reported by position, whichever concurrent chunk held them', async () => {
    const docs = Array.from({ length: 450 }, (_, i) => ({ _id: `parallel-claim-${i}`, contactId: `c${i}`, createdAt: new Date() }));
    const existing = [3, 99, 100, 257, 301, 449];
    await insertRows(models.ContactEmail, existing.map((i) => docs[i]!));
    peak.clear();
    const taken = await insertRows(models.ContactEmail, docs);
    expect([...taken].sort((a, b) => a - b)).toEqual(existing);
    expect(peak.get('contact_emails')).toBeGreaterThan(1);
    expect(await stack.db.models.ContactEmail.countDocuments({ _id: { $in: docs.map((d) => d._id) } })).toBe(docs.length);
  });
});
