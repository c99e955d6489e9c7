/**
 * The contact repository: every write to a contact (form submissions, PATCH, import, lead sync,
 * browser sessions, attribution) goes through here, so the rules of writing one live in one place.
 *
 * No multi-document transactions (FerretDB): email uniqueness is one atomic upsert on the
 * ContactEmail collection (`_id` = normalised email); every contact write of a submission or import
 * is an upsert, so a crash between two writes is repaired by the next write for the same email.
 * A lifecycle-stage change writes the stage, its time and a history entry in one document update:
 * the CRM activity record written just before it is delivered only once that entry is there.
 */
import { randomUUID } from 'node:crypto';
import { withoutEmptyFields } from '../db/empty-fields';
import { withRecordLock } from '../db/record-lock';
import type { UpdateQuery } from 'mongoose';
import type { LifecycleStage } from '../domain/contacts';
import { insertRows } from '../db/bulk';
import { findByIds } from '../db/by-ids';
import { isDuplicateKeyError } from '../db/errors';
import type { Models } from '../db/models';
import type { ContactDoc, IdentificationEntry, LifecycleChangeDoc } from '../db/models/contact';

export { isDuplicateKeyError };

export type ContactModels = Pick<Models, 'Contact' | 'ContactEmail' | 'ContactLock'>;
/** Writes that touch the contact document only. */
type ContactStore = Pick<Models, 'Contact' | 'ContactLock'>;

export class ContactBusyError extends Error {}

/** Every update of a contact holds its lock row (record-lock.ts); inserting a new contact needs none (the insert itself is atomic). */
export function withContactLock<T>(models: Pick<Models, 'ContactLock'>, contactId: string, write: () => Promise<T>): Promise<T> {
  return withRecordLock(models, contactId, write, () => new ContactBusyError(`contact ${contactId} is busy`));
}

/** Identification entries kept per contact (the latest ones). */
export const IDENTIFICATION_HISTORY = 50;
/** Lifecycle changes kept per contact (the latest ones). */
export const LIFECYCLE_HISTORY = 20;

export function newContactId(): string {
  return randomUUID();
}

/** The contact that owns `email`, if any. */
export async function contactIdByEmail(models: ContactModels, email: string): Promise<string | undefined> {
  const doc = await models.ContactEmail.findById(email).lean();
  return doc?.contactId;
}

/** The owners of `emails` that have one: lookups by `_id` (findByIds). */
export async function emailOwners(models: ContactModels, emails: readonly string[]): Promise<Map<string, string>> {
  const docs = await findByIds(models.ContactEmail, emails, { _id: 1, contactId: 1 });
  return new Map(docs.map((doc) => [doc._id, doc.contactId]));
}

/**
 * Claims `email` for `contactId` unless another contact owns it already; returns the owner. Two
 * concurrent claims of one new email resolve to one winner (the upsert on `_id` is atomic; the
 * loser of a duplicate-key race re-reads).
 */
export async function claimEmail(models: ContactModels, email: string, contactId: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const doc = await models.ContactEmail.findOneAndUpdate(
        { _id: email },
        { $setOnInsert: { contactId, createdAt: new Date() } },
        { upsert: true, new: true, lean: true },
      );
      if (doc) return doc.contactId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  const owner = await models.ContactEmail.findById(email).lean();
  if (!owner) throw new Error('could not claim the email for a contact');
  return owner.contactId;
}

/**
 * Claims each email for a new contact, as plain inserts (5 commands for 500 emails); returns the
 * claims that went in (email → new contact id). An email missing from the answer was owned already,
 * by an earlier writer or a concurrent one that won: its owner is read by `_id` (emailOwners).
 */
export async function claimEmails(models: ContactModels, emails: readonly string[]): Promise<Map<string, string>> {
  const now = new Date();
  const claims = [...new Set(emails)].map((email) => ({ _id: email, contactId: newContactId(), createdAt: now }));
  const taken = await insertRows(models.ContactEmail, claims);
  return new Map(claims.filter((_, index) => !taken.has(index)).map((claim) => [claim._id, claim.contactId]));
}

/** Personal fields a submission, lead or import row may carry: the one contact field type. */
export const CONTACT_FIELDS = ['firstName', 'lastName', 'fullName', 'phone', 'company', 'jobTitle'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export type ContactFields = Partial<Record<ContactField, string>>;

/** The non-empty contact fields of `source`, trimmed and capped; other keys of `source` are ignored. */
export function contactFieldsOf(source: { readonly [K in ContactField]?: string | undefined }): ContactFields {
  const fields: ContactFields = {};
  for (const key of CONTACT_FIELDS) {
    const value = source[key];
    if (typeof value === 'string' && value.trim() !== '') fields[key] = value.trim().slice(0, 256);
  }
  return fields;
}

export function identificationEntry(entry: Omit<IdentificationEntry, 'at'> & { at?: Date }): IdentificationEntry {
  return { at: entry.at ?? new Date(), rule: entry.rule, explanation: entry.explanation, via: entry.via, ref: entry.ref };
}

/** What a new contact starting in `stage` at `at` records about that stage. */
export function initialStage(stage: LifecycleStage, at: Date): Pick<ContactDoc, 'lifecycleStage' | 'lifecycleStageChangedAt' | 'lifecycleHistory'> {
  return { lifecycleStage: stage, lifecycleStageChangedAt: at, lifecycleHistory: [{ stage, at }] };
}

/** Removes keys from `defaults` that the same update also sets (MongoDB rejects overlapping paths). */
function withoutPaths<T extends object>(defaults: T, ...updates: object[]): Partial<T> {
  const taken = new Set(updates.flatMap((update) => Object.keys(update).map((key) => key.split('.')[0]!)));
  return Object.fromEntries(Object.entries(defaults).filter(([key]) => !taken.has(key))) as Partial<T>;
}

export interface ContactUpsert {
  /** Fields (and dotted property paths) the write sets. */
  set: Record<string, unknown>;
  addToSet: Record<string, unknown>;
  identification?: IdentificationEntry;
  /** A new contact starts with these (those the write also sets are left out). */
  defaults: Partial<ContactDoc>;
}

/** A submission's or import row's write: created with its defaults when missing. */
export async function upsertContact(models: ContactStore, contactId: string, change: ContactUpsert): Promise<{ inserted: boolean }> {
  const push = change.identification ? { identification: { $each: [change.identification], $slice: -IDENTIFICATION_HISTORY } } : undefined;
  const written = await withContactLock(models, contactId, () => models.Contact.updateOne(
    { _id: contactId },
    {
      ...(Object.keys(change.set).length > 0 ? { $set: change.set } : {}),
      $addToSet: change.addToSet,
      ...(push ? { $push: push } : {}),
      $setOnInsert: withoutPaths(change.defaults, change.set, change.addToSet, push ?? {}),
    },
    { upsert: true },
  ));
  return { inserted: written.upsertedCount > 0 };
}

export interface ContactChange {
  /** The stage the caller read and the one it moves to (the write only happens from `from`). */
  stage?: { from: LifecycleStage; to: LifecycleStage; at: Date };
  /** Merged into the properties; null removes the property. */
  properties?: Record<string, unknown>;
}

/** PATCH: properties and/or a stage move; false when the contact is gone or its stage changed meanwhile. */
export async function changeContact(models: ContactStore, contactId: string, change: ContactChange): Promise<boolean> {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  const stage = change.stage;
  if (stage) {
    set.lifecycleStage = stage.to;
    set.lifecycleStageChangedAt = stage.at;
  }
  for (const [key, value] of Object.entries(change.properties ?? {})) {
    if (value === null) unset[`properties.${key}`] = '';
    else set[`properties.${key}`] = value;
  }
  const history: LifecycleChangeDoc | undefined = stage ? { stage: stage.to, at: stage.at } : undefined;
  const updated = await withContactLock(models, contactId, () =>
    models.Contact.updateOne(stage ? { _id: contactId, lifecycleStage: stage.from } : { _id: contactId }, {
      ...(Object.keys(set).length > 0 ? { $set: set } : {}),
      ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      ...(history ? { $push: { lifecycleHistory: { $each: [history], $slice: -LIFECYCLE_HISTORY } } } : {}),
    }),
  );
  return updated.matchedCount > 0;
}

/**
 * Lead sync: new contacts as plain inserts. Returns the ones another writer inserted first (two
 * accounts' lead syncs meeting one new person): the caller merges its leads into them instead.
 */
export async function insertContacts(models: ContactStore, contacts: readonly ContactDoc[]): Promise<ContactDoc[]> {
  // Without their empty fields (a lead-ad contact has 29, 14 of them empty): every reader fills them
  // in (`normaliseContact`, or `?? []` on a projection), as it must for contacts FerretDB created by upsert.
  const existed = await insertRows(models.Contact, contacts.map(withoutEmptyFields));
  return contacts.filter((_, index) => existed.has(index));
}

/** What a contact that could not be inserted (it exists already) adds to the existing one. */
export function mergeOfInsert(contact: ContactDoc, now: Date): ContactMerge {
  const set: Record<string, unknown> = { updatedAt: now, ...(contact.interactedWithAds ? { interactedWithAds: true } : {}) };
  for (const field of CONTACT_FIELDS) if (contact[field]) set[field] = contact[field];
  for (const [key, value] of Object.entries(contact.properties ?? {})) set[`properties.${key}`] = value;
  return { contactId: contact._id, set, addToSet: { leadKeys: contact.leadKeys ?? [], emails: contact.emails }, identification: contact.identification ?? [] };
}

export interface ContactMerge {
  contactId: string;
  set: Record<string, unknown>;
  addToSet: Record<string, string[]>;
  identification: IdentificationEntry[];
}

/** Lead sync: leads merged into existing contacts, one update each, filtered by `_id` only (FerretDB scans for compound filters). */
export async function mergeIntoContacts(models: ContactStore, merges: readonly ContactMerge[]): Promise<void> {
  for (const merge of merges) {
    const addToSet = Object.entries(merge.addToSet).filter(([, values]) => values.length > 0);
    const update: UpdateQuery<ContactDoc> = {
      $set: merge.set,
      $addToSet: Object.fromEntries(addToSet.map(([key, values]) => [key, { $each: values }])),
      $push: { identification: { $each: merge.identification, $slice: -IDENTIFICATION_HISTORY } },
    };
    await withContactLock(models, merge.contactId, () => models.Contact.updateOne({ _id: merge.contactId }, update));
  }
}

/** VIS-7: only the first browser wins a recipient's tracked-email link; false when another was first. */
export async function markEmailLinkUsed(models: ContactStore, contactId: string, at: Date): Promise<boolean> {
  const marked = await withContactLock(models, contactId, () => models.Contact.updateOne({ _id: contactId, emailLinkUsedAt: null }, { $set: { emailLinkUsedAt: at } }));
  return marked.modifiedCount > 0;
}

export async function addVisitorToken(models: ContactStore, contactId: string, visitorToken: string): Promise<void> {
  await withContactLock(models, contactId, () => models.Contact.updateOne({ _id: contactId }, { $addToSet: { visitorTokens: visitorToken } }));
}

/** Attribution, touches and click ids as recomputed from what is stored (ATT-1…ATT-4). */
export async function writeAttribution(
  models: ContactStore,
  contactId: string,
  derived: Pick<ContactDoc, 'attribution' | 'clickIds' | 'interactedWithAds' | 'firstConversionAt' | 'firstTouch' | 'lastTouch' | 'influencedCampaigns'>,
): Promise<void> {
  await withContactLock(models, contactId, () => models.Contact.updateOne({ _id: contactId }, { $set: derived }));
}
