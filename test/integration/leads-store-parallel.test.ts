import { beforeAll, describe, expect, it } from 'vitest';
import { storeLeads } from '../../src/contacts/leads';
import { lifecycleActivity, recordCrmActivities } from '../../src/contacts/crm-activity';
import { toActivityRef } from '../../src/conversions/routing';
import { insertRows } from '../../src/db/bulk';
import { normaliseContact, type ContactDoc } from '../../src/db/models/contact';
import { presentContact } from '../../src/contacts/present';
import type { NetworkLead } from '../../src/networks/types';
import { useMonitoredDatabase } from '../support/monitored';
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
  const monitored = useMonitoredDatabase(stack);
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  /** Collections in the order their first insert started. */
  const firstInsert: string[] = [];
  const running = new Map<number, string>();

  beforeAll(() => {
    const { client } = monitored;
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

  it(`issue 12 item 0: a page of ${PAGE} new leads goes out as ${CHUNK}-document inserts, up to ${IN_FLIGHT} at once per collection, each document once, activities before contacts before leads`, async () => {
    const leads = Array.from({ length: PAGE }, (_, i) => lead(i));
    const result = await storeLeads(monitored.models, 'facebook:act_parallel', leads, 'poll');
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
    expect(await storeLeads(monitored.models, 'facebook:act_parallel', leads, 'poll')).toMatchObject({ stored: 0, contactsCreated: 0 });
    expect(await stack.db.models.Lead.countDocuments({ _id: { $in: ids } })).toBe(PAGE);
  });

  it('issue 12 item 0: a lead-ad contact is stored without its empty fields, and reads as a whole contact', async () => {
    const only = { ...lead(900), leadId: 'slim-1', fields: { email: 'slim.1@example.com' } };
    const result = await storeLeads(monitored.models, 'facebook:act_slim', [only], 'poll');
    expect(result).toMatchObject({ stored: 1, contactsCreated: 1 });
    const { contactId } = (await stack.db.models.Lead.findById('facebook:slim-1', { contactId: 1 }).lean())!;
    const raw = (await stack.db.connection.db!.collection('contacts').findOne({ _id: contactId as never })) as unknown as ContactDoc;
    const empty = Object.entries(raw).filter(([, v]) => v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !(v instanceof Date) && Object.keys(v).length === 0));
    expect(empty).toEqual([]);
    for (const field of ['phone', 'firstName', 'visitorTokens', 'clickIds', 'properties', 'lastSubmission', 'firstTouch', 'influencedCampaigns']) expect(raw, field).not.toHaveProperty(field);
    expect(raw).toMatchObject({ email: 'slim.1@example.com', emails: ['slim.1@example.com'], leadKeys: ['facebook:slim-1'], fbLeadId: 'slim-1', lifecycleStage: 'lead', source: 'lead_ad' });
    expect(raw.attribution).toMatchObject({ attributed: true, reason: 'LEAD_AD', candidate: null, sessionId: null });

    // What the API presents (it reads contacts through normaliseContact): every field, empty ones as before.
    expect(presentContact(normaliseContact(raw))).toMatchObject({
      email: 'slim.1@example.com',
      phone: null,
      firstName: null,
      company: null,
      properties: {},
      clickIds: { gclid: null, gbraid: null, wbraid: null, fbclid: null, li_fat_id: null },
      lastSubmission: null,
      attributed: true,
      attributedAd: 'facebook:ad-parallel',
    });

    // Merged into later (a second lead of the same person): the missing fields are created as needed.
    const again = { ...only, leadId: 'slim-2', fields: { email: 'slim.1@example.com', phone_number: '+15550001111', custom_question: 'yes' } };
    expect(await storeLeads(monitored.models, 'facebook:act_slim', [again], 'poll')).toMatchObject({ stored: 1, contactsCreated: 0 });
    const merged = (await stack.db.models.Contact.findById(contactId).lean<ContactDoc>())!;
    expect(merged.phone).toBe('+15550001111');
    expect(merged.properties).toEqual({ custom_question: 'yes' });
    expect([...merged.leadKeys].sort()).toEqual(['facebook:slim-1', 'facebook:slim-2']);
  });

  it('issue 12 item 0: CRM activity rows leave out the other kind\'s fields and the outbox its delivery state; both read back as the same activity', async () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const activity = lifecycleActivity('slim-activity-contact', 'lead', at, 'lead_sync');
    await recordCrmActivities(monitored.models, [activity]);
    const raw = stack.db.connection.db!;
    const record = await raw.collection<{ _id: string }>('crm_activities').findOne({ _id: activity._id });
    // No contact has this stage change, so the relay leaves the row alone (it waits for the change).
    const outbox = await raw.collection<{ _id: string }>('crm_activity_outbox').findOne({ _id: activity._id });
    for (const row of [record, outbox]) {
      expect(Object.keys(row!).sort()).toEqual(['_id', 'at', 'contactId', 'createdAt', 'kind', 'stage', 'via']);
      expect(toActivityRef(row as never)).toEqual({ kind: 'lifecycle_stage', contactId: 'slim-activity-contact', stage: 'lead', at: at.toISOString() });
    }
  });

  it('issue 12 item 0: documents that exist already are reported by position, whichever concurrent chunk held them', async () => {
    const docs = Array.from({ length: 450 }, (_, i) => ({ _id: `parallel-claim-${i}`, contactId: `c${i}`, createdAt: new Date() }));
    const existing = [3, 99, 100, 257, 301, 449];
    await insertRows(monitored.models.ContactEmail, existing.map((i) => docs[i]!));
    peak.clear();
    const taken = await insertRows(monitored.models.ContactEmail, docs);
    expect([...taken].sort((a, b) => a - b)).toEqual(existing);
    expect(peak.get('contact_emails')).toBeGreaterThan(1);
    expect(await stack.db.models.ContactEmail.countDocuments({ _id: { $in: docs.map((d) => d._id) } })).toBe(docs.length);
  });
});
