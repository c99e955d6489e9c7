/**
 * Lead-ad leads → stored leads and contacts (LEAD-1…LEAD-3, ATT-3), one page at a time.
 *
 * Idempotent on the network lead id (LEAD-2): the Lead `_id` is "<network>:<leadId>" and a lead
 * that already has its contact is skipped, so webhook + poll + reconciliation overlaps, activity
 * retries and a worker killed mid-page all converge on one lead and one contact per email. Writes
 * are batched (a page of up to a few hundred leads costs a handful of round trips).
 */
import { createHash } from 'node:crypto';
import { decideAdAttribution } from '../domain/attribution';
import { identifyLeadContact, leadToContact, type IdentificationDecision } from '../domain/contacts';
import type { Models } from '../db/models';
import { normaliseContact, type ContactDoc } from '../db/models/contact';
import { leadKeyOf, type LeadDoc } from '../db/models/lead';
import type { NetworkLead } from '../networks/types';
import { leadAdOriginOf, refreshContactAttribution, storedAttribution, type AttributionModels } from './attribution';
import { bulkWriteInChunks, insertRows } from '../db/bulk';
import { resolveNotifications } from '../leads/resolve';
import { findByIds } from '../db/by-ids';
import { lifecycleActivity, recordCrmActivities, type CrmActivityModels } from './crm-activity';
import {
  claimEmails,
  contactFieldsOf,
  emailOwners,
  IDENTIFICATION_HISTORY,
  identificationEntry,
  initialStage,
  insertContacts,
  mergeIntoContacts,
  mergeOfInsert,
  type ContactMerge,
} from './repository';

export type LeadModels = AttributionModels & CrmActivityModels & Pick<Models, 'ContactEmail' | 'LeadNotification'>;

export interface StoreLeadsResult {
  received: number;
  /** Leads stored (or completed) by this call; 0 when every lead was already there. */
  stored: number;
  contactsCreated: number;
  leadKeys: string[];
}

/** A stable uuid-shaped id for a lead without an email (it can only ever be its own contact). */
function contactIdForEmaillessLead(leadKey: string): string {
  const h = createHash('sha256').update(`lead-contact|${leadKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Property names from lead-form questions: no dots or leading $ (MongoDB paths). */
function propertyKey(name: string): string {
  return name.replace(/[.$]/g, '_').slice(0, 100) || '_';
}

interface PendingLead {
  key: string;
  lead: NetworkLead;
  contact: ReturnType<typeof leadToContact>;
  contactId: string;
  decision: IdentificationDecision;
}

/**
 * Stores a page of leads. New leads and new contacts are plain inserts (fast everywhere, and the
 * embedded FerretDB is slow on upserts); only contacts that already existed get updates.
 * Heartbeats (`onProgress`) between chunks keep a long page alive in its activity.
 */
export async function storeLeads(
  models: LeadModels,
  accountKey: string,
  leads: readonly NetworkLead[],
  foundBy: string,
  now = new Date(),
  onProgress: () => void = () => undefined,
): Promise<StoreLeadsResult> {
  const unique = new Map<string, NetworkLead>();
  for (const lead of leads) if (lead.leadId) unique.set(leadKeyOf(lead.network, lead.leadId), lead);
  const keys = [...unique.keys()];
  const result: StoreLeadsResult = { received: leads.length, stored: 0, contactsCreated: 0, leadKeys: keys };
  if (keys.length === 0) return result;

  // Every email is claimed first, as plain inserts. A lead is stored only after its email was
  // claimed, so an email claimed now has no stored lead and no contact yet: only the leads of emails
  // owned before (returning people, retries, reconciliations) and leads without an email are looked
  // up, each by `_id`. A backfill of new people costs a few commands per page, not per lead.
  const withContact = [...unique].map(([key, lead]) => ({ key, lead, contact: leadToContact(lead) }));
  const emailOf = (item: { contact: ReturnType<typeof leadToContact> }) => item.contact.properties.email;
  const claimed = await claimEmails(models, withContact.map(emailOf).filter((e): e is string => e !== undefined));
  const isNew = (item: { contact: ReturnType<typeof leadToContact> }) => {
    const email = emailOf(item);
    return email !== undefined && claimed.has(email);
  };
  const existingLeads: Pick<LeadDoc, '_id' | 'contactId'>[] = await findByIds(models.Lead, withContact.filter((item) => !isNew(item)).map((item) => item.key), { _id: 1, contactId: 1 });
  const leadExists = new Set(existingLeads.map((lead) => lead._id));
  const complete = new Set(existingLeads.filter((lead) => lead.contactId).map((lead) => lead._id));
  const todo = withContact.filter((item) => !complete.has(item.key));
  if (todo.length > 0) {
    // Contacts by email (LEAD-2 / VIS rules): the owners of emails claimed before, read by `_id`.
    const owners = new Map([...claimed, ...(await emailOwners(models, todo.filter((item) => !isNew(item)).map(emailOf).filter((e): e is string => e !== undefined)))]);
    onProgress();

    const pending: PendingLead[] = todo.map(({ key, lead, contact }) => {
      const email = contact.properties.email;
      const contactId = email === undefined ? contactIdForEmaillessLead(key) : owners.get(email);
      if (contactId === undefined) throw new Error('an email claim did not resolve to a contact');
      const decision = identifyLeadContact({ lead, ...(email !== undefined && !claimed.has(email) ? { contactByEmail: { id: contactId } } : {}) });
      return { key, lead, contact, contactId, decision };
    });
    const byContact = new Map<string, PendingLead[]>();
    for (const item of pending) byContact.set(item.contactId, [...(byContact.get(item.contactId) ?? []), item]);
    for (const list of byContact.values()) list.sort((a, b) => Date.parse(a.lead.createdTime) - Date.parse(b.lead.createdTime));
    // A contact id from a claim made now is new: only the others may exist already.
    const freshIds = new Set(claimed.values());
    const existingContacts: Pick<ContactDoc, '_id' | 'firstConversionAt' | 'lastSubmission' | 'fbLeadId'>[] = await findByIds(models.Contact, [...byContact.keys()].filter((id) => !freshIds.has(id)), {
      _id: 1,
      firstConversionAt: 1,
      lastSubmission: 1,
      fbLeadId: 1,
    });
    const contactExists = new Map(existingContacts.map((c) => [c._id, c]));

    // ATT-3: the earliest lead of a lead-only contact decides its attribution.
    const adKeys = new Map<string, string>();
    const attributionOf = async (lead: NetworkLead) =>
      storedAttribution(
        models,
        decideAdAttribution({
          conversions: [],
          sessions: [],
          knownAds: [],
          leadAd: leadAdOriginOf({
            network: lead.network,
            accountKey,
            campaignId: lead.campaignId ?? null,
            adGroupId: lead.adGroupId ?? null,
            adId: lead.adId ?? null,
            createdTime: new Date(lead.createdTime),
            organic: lead.isOrganic,
          }),
        }),
        now,
        adKeys,
      );

    const newContacts: ContactDoc[] = [];
    const merges: ContactMerge[] = [];
    const refresh: string[] = [];
    for (const [contactId, items] of byContact) {
      const first = items[0]!;
      const fields = Object.assign({}, ...items.map((item) => contactFieldsOf(item.contact.properties))) as Record<string, string>;
      const answers: Record<string, string> = {};
      for (const item of items) for (const [question, answer] of Object.entries(item.contact.properties.otherAnswers)) answers[propertyKey(question)] = answer;
      const leadEmails = [...new Set(items.map((item) => item.contact.properties.email).filter((e): e is string => e !== undefined))];
      const entries = items.map((item) => identificationEntry({ at: now, rule: item.decision.rule, explanation: item.decision.explanation, via: 'lead', ref: item.key }));
      const firstFacebook = items.find((item) => item.lead.network === 'facebook');
      const anyAd = items.some((item) => !item.lead.isOrganic);
      const existing = contactExists.get(contactId);
      if (!existing) {
        newContacts.push(
          normaliseContact({
            _id: contactId,
            email: leadEmails[0] ?? null,
            emails: leadEmails,
            ...fields,
            ...initialStage('lead', now),
            properties: answers,
            source: first.contact.source,
            fbLeadId: firstFacebook?.lead.leadId ?? null,
            leadKeys: items.map((item) => item.key),
            interactedWithAds: anyAd,
            firstConversionAt: new Date(first.lead.createdTime),
            attribution: await attributionOf(first.lead),
            identification: entries.slice(-IDENTIFICATION_HISTORY),
            createdAt: now,
            updatedAt: now,
          }),
        );
        continue;
      }
      // One update per existing contact, filtered by _id only (the embedded FerretDB scans the whole
      // collection for compound filters); the conditions were read above, within this account's
      // serialised sync.
      const set: Record<string, unknown> = { ...fields, updatedAt: now, ...(anyAd ? { interactedWithAds: true } : {}) };
      for (const [question, answer] of Object.entries(answers)) set[`properties.${question}`] = answer;
      // CONV-4: Facebook matches lifecycle events by the lead id of the contact's first FB lead.
      if (firstFacebook && !existing.fbLeadId) set.fbLeadId = firstFacebook.lead.leadId;
      const at = new Date(first.lead.createdTime);
      if (existing.lastSubmission) refresh.push(contactId);
      else if (!existing.firstConversionAt || new Date(existing.firstConversionAt) > at) {
        set.attribution = await attributionOf(first.lead);
        set.firstConversionAt = at;
      }
      merges.push({
        contactId,
        set,
        addToSet: { leadKeys: items.map((item) => item.key), emails: leadEmails },
        identification: entries,
      });
    }
    // A new contact starts as a lead: its lifecycle activity is recorded before the contact (crm-activity.ts).
    await recordCrmActivities(models, newContacts.map((contact) => lifecycleActivity(contact._id, 'lead', now, 'lead_sync')));
    // A contact another lead sync created meanwhile (same new person in two accounts) gets ours merged in.
    const existed = await insertContacts(models, newContacts);
    merges.push(...existed.map((contact) => mergeOfInsert(contact, now)));
    result.contactsCreated = newContacts.length - existed.length;
    onProgress();
    await mergeIntoContacts(models, merges);
    onProgress();

    // The leads themselves, with their contact: new ones inserted, half-stored ones completed.
    const leadDoc = (item: PendingLead): LeadDoc => ({
      _id: item.key,
      network: item.lead.network,
      leadId: item.lead.leadId,
      accountKey,
      formId: item.lead.formId,
      adId: item.lead.adId ?? null,
      adGroupId: item.lead.adGroupId ?? null,
      campaignId: item.lead.campaignId ?? null,
      createdTime: new Date(item.lead.createdTime),
      organic: item.lead.isOrganic,
      answers: item.lead.fields,
      contactId: item.contactId,
      foundBy,
      storedAt: now,
    });
    await insertRows(models.Lead, pending.filter((item) => !leadExists.has(item.key)).map(leadDoc));
    const halfStored = pending.filter((item) => leadExists.has(item.key));
    if (halfStored.length > 0) {
      await bulkWriteInChunks(
        models.Lead,
        halfStored.map((item) => ({ updateOne: { filter: { _id: item.key }, update: { $set: { contactId: item.contactId } } } })),
        { ordered: false },
      );
    }
    result.stored = pending.length;
    onProgress();
    // Contacts that also converted on the site: the full recomputation decides (rare).
    for (const contactId of refresh) await refreshContactAttribution(models, contactId, now);
  }

  await resolveAnnounced(models, accountKey, keys, now);
  return result;
}

/**
 * Webhook notifications of these leads are resolved. Read as the account's unresolved ones (an
 * equality filter the embedded database serves from its index; `_id: { $in }` would scan every
 * notification ever received). One whose account was unknown on arrival is never asked about.
 */
async function resolveAnnounced(models: Pick<Models, 'LeadNotification'>, accountKey: string, keys: readonly string[], now: Date): Promise<void> {
  const wanted = new Set(keys);
  const open = await models.LeadNotification.find({ accountKey, resolvedAt: null }, { _id: 1 }).lean<{ _id: string }[]>();
  await resolveNotifications(models, open.filter((n) => wanted.has(n._id)).map((n) => n._id), now);
}
