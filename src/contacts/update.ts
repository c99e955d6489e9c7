/**
 * PATCH /api/contacts/:id as a service: properties and the lifecycle stage. A stage change records
 * its CRM activity first, then moves the stage only from the stage that was read, so two concurrent
 * changes are one event each or a 409 — never a lost or a doubled one.
 */
import type { LifecycleStage } from '../domain/contacts';
import type { Models } from '../db/models';
import { discardCrmActivities, lifecycleActivity, recordCrmActivities, type CrmActivityModels } from './crm-activity';
import { changeContact, type ContactModels } from './repository';

export class ConcurrentContactChangeError extends Error {}

export interface ContactUpdate {
  lifecycleStage?: LifecycleStage | undefined;
  /** Merged into the properties; null removes one. */
  properties?: Record<string, string | number | boolean | null> | undefined;
}

export async function updateContact(
  models: ContactModels & CrmActivityModels & Pick<Models, 'Contact'>,
  current: { _id: string; lifecycleStage: LifecycleStage },
  update: ContactUpdate,
  now = new Date(),
): Promise<{ activityIds: string[] }> {
  const to = update.lifecycleStage;
  const stage = to !== undefined && to !== current.lifecycleStage ? { from: current.lifecycleStage, to, at: now } : undefined;
  const properties = update.properties ?? {};
  if (!stage && Object.keys(properties).length === 0) return { activityIds: [] };
  const activity = stage ? lifecycleActivity(current._id, stage.to, now, 'api') : undefined;
  if (activity) await recordCrmActivities(models, [activity]);
  const changed = await changeContact(models, current._id, { ...(stage ? { stage } : {}), properties });
  if (!changed) {
    if (activity) await discardCrmActivities(models, [activity._id]);
    throw new ConcurrentContactChangeError('the contact changed meanwhile');
  }
  return { activityIds: activity ? [activity._id] : [] };
}
