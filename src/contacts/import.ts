/**
 * Bulk contact import (VIS-2: imported contacts match later submissions by email). De-duplicates
 * by normalised email within the batch and against existing contacts; idempotent: importing the
 * same rows again changes nothing new (existing contacts only get the provided fields set again).
 */
import { isLifecycleStage, normaliseEmail, type LifecycleStage } from '../domain/contacts';
import { contactDefaults } from '../db/models/contact';
import { lifecycleActivity, recordCrmActivities, type CrmActivityModels } from './crm-activity';
import { claimEmail, contactFieldsOf, identificationEntry, initialStage, newContactId, upsertContact, type ContactModels } from './repository';

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
  /** CRM activity recorded for created contacts (their stage), to deliver now. */
  activityIds: string[];
}

export async function importContacts(models: ContactModels & CrmActivityModels, rows: readonly ImportRow[], batchRef: string): Promise<ImportResult> {
  const result: ImportResult = { received: rows.length, created: 0, matched: 0, duplicatesInBatch: 0, invalid: [], contacts: [], activityIds: [] };
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
    const set: Record<string, unknown> = { ...contactFieldsOf(row) };
    for (const [key, value] of Object.entries(row.properties ?? {})) set[`properties.${key}`] = value;
    const stage: LifecycleStage = row.lifecycleStage !== undefined && isLifecycleStage(row.lifecycleStage) ? row.lifecycleStage : 'subscriber';
    // A created contact starts in its stage: the same lifecycle activity a stage change records,
    // written before the contact (see crm-activity.ts). An existing contact's stage is not moved by an import.
    const activity = created ? lifecycleActivity(owner, stage, now, 'import') : undefined;
    if (activity) await recordCrmActivities(models, [activity]);
    // Always an upsert: an email claimed by a run that crashed before writing its contact is repaired here.
    const written = await upsertContact(models, owner, {
      set,
      addToSet: { emails: email },
      ...(created
        ? { identification: identificationEntry({ at: now, rule: 'import', explanation: 'Created by a contact import; later submissions with this email are this contact.', via: 'import', ref: batchRef }) }
        : {}),
      defaults: { ...contactDefaults('import', stage), ...initialStage(stage, now), email },
    });
    const inserted = written.inserted;
    if (activity) result.activityIds.push(activity._id);
    else if (inserted) {
      // The repair of a crashed run's claim created it just now: its stage is in its history, so a record written after still confirms.
      const late = lifecycleActivity(owner, stage, now, 'import');
      await recordCrmActivities(models, [late]);
      result.activityIds.push(late._id);
    }
    if (inserted) result.created += 1;
    else result.matched += 1;
    result.contacts.push({ email, contactId: owner, created: inserted });
  }
  return result;
}
