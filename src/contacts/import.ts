/**
 * Bulk contact import (VIS-2: imported contacts match later submissions by email). De-duplicates
 * by normalised email within the batch and against existing contacts; idempotent: importing the
 * same rows again changes nothing new (existing contacts only get the provided fields set again).
 */
import { isLifecycleStage, normaliseEmail, type LifecycleStage } from '../domain/contacts';
import type { Models } from '../db/models';
import { contactDefaults } from '../db/models/contact';
import { retryOnDuplicateKey } from '../db/upserts';
import { claimEmail, fieldsToSet, IDENTIFICATION_HISTORY, identificationEntry, newContactId, withoutPaths } from './store';

export interface ImportRow {
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | undefined;
  company?: string | undefined;
  jobTitle?: string | undefined;
  lifecycleStage?: string | undefined;
  properties?: Record<string, unknown> | undefined;
}

export interface ImportResult {
  received: number;
  created: number;
  matched: number;
  /** Rows merged into an earlier row of the same batch (same email). */
  duplicatesInBatch: number;
  invalid: { index: number; reason: string }[];
  contacts: { email: string; contactId: string; created: boolean }[];
}

export async function importContacts(models: Pick<Models, 'Contact' | 'ContactEmail'>, rows: readonly ImportRow[], batchRef: string): Promise<ImportResult> {
  const result: ImportResult = { received: rows.length, created: 0, matched: 0, duplicatesInBatch: 0, invalid: [], contacts: [] };
  const byEmail = new Map<string, ImportRow>();
  rows.forEach((row, index) => {
    const email = normaliseEmail(row.email);
    if (email === null) return void result.invalid.push({ index, reason: 'not a valid email address' });
    if (row.lifecycleStage !== undefined && !isLifecycleStage(row.lifecycleStage)) {
      return void result.invalid.push({ index, reason: `unknown lifecycle stage ${row.lifecycleStage}` });
    }
    const earlier = byEmail.get(email);
    if (earlier) {
      result.duplicatesInBatch += 1;
      // Later rows fill in what earlier rows left out.
      byEmail.set(email, { ...earlier, ...Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)), properties: { ...earlier.properties, ...row.properties } });
    } else byEmail.set(email, row);
  });

  const now = new Date();
  for (const [email, row] of byEmail) {
    const id = newContactId();
    const owner = await claimEmail(models, email, id);
    const created = owner === id;
    const set: Record<string, unknown> = fieldsToSet({
      ...(row.firstName !== undefined ? { firstName: row.firstName } : {}),
      ...(row.lastName !== undefined ? { lastName: row.lastName } : {}),
      ...(row.phone !== undefined ? { phone: row.phone } : {}),
      ...(row.company !== undefined ? { company: row.company } : {}),
      ...(row.jobTitle !== undefined ? { jobTitle: row.jobTitle } : {}),
    });
    for (const [key, value] of Object.entries(row.properties ?? {})) set[`properties.${key}`] = value;
    const stage: LifecycleStage = row.lifecycleStage !== undefined && isLifecycleStage(row.lifecycleStage) ? row.lifecycleStage : 'subscriber';
    // Always an upsert: an email claimed by a run that crashed before writing its contact is repaired here.
    const addToSet = { emails: email };
    const push = created
      ? {
          identification: {
            $each: [identificationEntry({ at: now, rule: 'import', explanation: 'Created by a contact import; later submissions with this email are this contact.', via: 'import', ref: batchRef })],
            $slice: -IDENTIFICATION_HISTORY,
          },
        }
      : undefined;
    // Provided fields win; the lifecycle stage of an existing contact is not moved by an import.
    const defaults = { ...contactDefaults('import', stage), email, lifecycleStageChangedAt: now };
    const write = () =>
      models.Contact.updateOne(
        { _id: owner },
        {
          ...(Object.keys(set).length > 0 ? { $set: set } : {}),
          $addToSet: addToSet,
          ...(push ? { $push: push } : {}),
          $setOnInsert: withoutPaths(defaults, set, addToSet, push ?? {}),
        },
        { upsert: true },
      );
    // Two imports of one new email upsert the same contact at once (issue 15 #13 found the 500).
    const written = await retryOnDuplicateKey(write);
    const inserted = written.upsertedCount > 0;
    if (inserted) result.created += 1;
    else result.matched += 1;
    result.contacts.push({ email, contactId: owner, created: inserted });
  }
  return result;
}
