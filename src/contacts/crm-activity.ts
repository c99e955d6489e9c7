/**
 * CRM activity as durable records (see `src/db/models/crm-activity.ts`). Every write path records
 * the activity BEFORE the contact change it describes (the embedded FerretDB has no multi-document
 * transactions), so a crash can leave a record of a change that never happened, never a change
 * without its record. Delivery (`src/conversions/crm-relay.ts`) therefore sends only activities
 * whose change is visible (`confirmedActivityIds`) and drops the others once they are old enough
 * that the change can no longer be under way.
 */
import type { LifecycleStage } from '../domain/contacts';
import { insertRows } from '../db/bulk';
import { withoutEmptyFields } from '../db/empty-fields';
import { deleteByIds, findByIds } from '../db/by-ids';
import type { Models } from '../db/models';
import type { ContactDoc } from '../db/models/contact';
import type { CrmActivityDoc, CrmActivityVia } from '../db/models/crm-activity';

export type CrmActivityModels = Pick<Models, 'CrmActivity' | 'CrmActivityOutbox'>;

export function lifecycleActivity(contactId: string, stage: LifecycleStage, at: Date, via: CrmActivityVia): CrmActivityDoc {
  return {
    _id: `lifecycle:${contactId}:${stage}:${at.getTime()}`,
    kind: 'lifecycle_stage',
    contactId,
    stage,
    formId: null,
    submissionId: null,
    at,
    via,
    createdAt: new Date(),
  };
}

export function formSubmissionActivity(contactId: string, formId: string, submissionId: string, at: Date): CrmActivityDoc {
  return { _id: `form_submission:${submissionId}`, kind: 'form_submission', contactId, stage: null, formId, submissionId, at, via: 'form', createdAt: new Date() };
}

/**
 * Records activities (the durable record and the outbox row); an activity recorded before stays as it
 * is. Both rows leave out the fields of the other kind (null) and the outbox row its delivery state,
 * which the first failed delivery adds (`attempts`, `lastError`, `deliveredTo`); readers default them
 * (`toActivityRef`, the relay).
 */
export async function recordCrmActivities(models: CrmActivityModels, activities: readonly CrmActivityDoc[]): Promise<void> {
  if (activities.length === 0) return;
  const rows = activities.map(withoutEmptyFields);
  // Both before the change they describe; neither depends on the other.
  await Promise.all([insertRows(models.CrmActivity, rows), insertRows(models.CrmActivityOutbox, rows)]);
}

/** The change did not happen (e.g. a concurrent stage change won): its records go. */
export async function discardCrmActivities(models: CrmActivityModels, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await deleteByIds(models.CrmActivityOutbox, ids);
  await deleteByIds(models.CrmActivity, ids);
}

/**
 * Of these activities, the ones whose change is stored: the submission exists, the stage change is
 * in the contact's history. Read by `_id` (findByIds): each delivery after a submission asks this,
 * and an `$in` makes the embedded database scan every submission and contact stored.
 */
export async function confirmedActivityIds(models: Pick<Models, 'Contact' | 'FormSubmission'>, activities: readonly CrmActivityDoc[]): Promise<Set<string>> {
  const submissionIds = activities.flatMap((a) => (a.kind === 'form_submission' && a.submissionId ? [a.submissionId] : []));
  const contactIds = activities.filter((a) => a.kind === 'lifecycle_stage').map((a) => a.contactId);
  const submissions = new Set((await findByIds(models.FormSubmission, submissionIds, { _id: 1 })).map((s) => s._id));
  const contacts: Pick<ContactDoc, '_id' | 'lifecycleHistory'>[] = await findByIds(models.Contact, contactIds, { _id: 1, lifecycleHistory: 1 });
  const histories = new Map(contacts.map((c) => [c._id, new Set((c.lifecycleHistory ?? []).map((h) => `${h.stage}:${new Date(h.at).getTime()}`))]));
  const confirmed = new Set<string>();
  for (const a of activities) {
    const ok =
      a.kind === 'form_submission'
        ? typeof a.submissionId === 'string' && submissions.has(a.submissionId)
        : histories.get(a.contactId)?.has(`${a.stage}:${new Date(a.at).getTime()}`) === true;
    if (ok) confirmed.add(a._id);
  }
  return confirmed;
}
