import { bulkWriteInChunks } from '../db/bulk';
import type { Models } from '../db/models';

/** Marks these lead notifications resolved: one update by `_id` each (no `$in` scan), in bulk chunks. */
export async function resolveNotifications(models: Pick<Models, 'LeadNotification'>, ids: readonly string[], at: Date): Promise<void> {
  await bulkWriteInChunks(
    models.LeadNotification,
    ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { resolvedAt: at } } } })),
    { ordered: false },
  );
}
