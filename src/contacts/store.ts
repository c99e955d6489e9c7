/**
 * Contact storage primitives shared by form submissions (API), lead sync (activities) and import.
 * No multi-document transactions (FerretDB): email uniqueness is one atomic upsert on the
 * ContactEmail collection (`_id` = normalised email), and every contact write is an upsert, so a
 * crash between two writes is repaired by the next write for the same email.
 */
import { randomUUID } from 'node:crypto';
import type { Models } from '../db/models';
import type { IdentificationEntry } from '../db/models/contact';

export type ContactModels = Pick<Models, 'Contact' | 'ContactEmail'>;

/** Identification entries kept per contact (the latest ones). */
export const IDENTIFICATION_HISTORY = 50;

export function newContactId(): string {
  return randomUUID();
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** The contact that owns `email`, if any. */
export async function contactIdByEmail(models: ContactModels, email: string): Promise<string | undefined> {
  const doc = await models.ContactEmail.findById(email).lean();
  return doc?.contactId;
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

/** Removes keys from `defaults` that the same update also sets (MongoDB rejects overlapping paths). */
export function withoutPaths<T extends object>(defaults: T, ...updates: object[]): Partial<T> {
  const taken = new Set(updates.flatMap((update) => Object.keys(update).map((key) => key.split('.')[0]!)));
  return Object.fromEntries(Object.entries(defaults).filter(([key]) => !taken.has(key))) as Partial<T>;
}

export function identificationEntry(entry: Omit<IdentificationEntry, 'at'> & { at?: Date }): IdentificationEntry {
  return { at: entry.at ?? new Date(), rule: entry.rule, explanation: entry.explanation, via: entry.via, ref: entry.ref };
}

/** Personal fields a submission or lead may carry; undefined values are left alone. */
export interface ContactFields {
  firstName?: string;
  lastName?: string;
  fullName?: string;
  phone?: string;
  company?: string;
  jobTitle?: string;
}

export function fieldsToSet(fields: ContactFields): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string' && value.trim() !== '') set[key] = value.trim().slice(0, 256);
  return set;
}

