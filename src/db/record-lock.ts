import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from './errors';
import type { Models } from './models';

/** A lock older than this belongs to a writer that died: it may be taken over. */
const LOCK_STALE_MS = 30_000;
/** A writer gives up waiting for a record after this long. */
const LOCK_WAIT_MS = 20_000;

/**
 * Runs `write` while holding the record's lock row (`contact_locks`, `_id` = the record's key), so
 * writes to one shared record never overlap: the embedded FerretDB loses some of several concurrent
 * updates of one document (issue 15 items 5/6; tracking templates in the fault suite), while an
 * insert on `_id` is atomic there as on MongoDB.
 */
export async function withRecordLock<T>(models: Pick<Models, 'ContactLock'>, key: string, write: () => Promise<T>, busy: () => Error): Promise<T> {
  const owner = randomUUID();
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await models.ContactLock.collection.insertOne({ _id: key, owner, at: new Date() } as never);
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    if (attempt % 10 === 9) {
      const held = await models.ContactLock.findById(key).lean();
      if (held && Date.now() - new Date(held.at).getTime() > LOCK_STALE_MS) await models.ContactLock.deleteOne({ _id: key, owner: held.owner });
    }
    if (Date.now() > deadline) throw busy();
    // Jittered backoff: a lock is held for one or two round trips.
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random())));
  }
  try {
    return await write();
  } finally {
    await models.ContactLock.deleteOne({ _id: key, owner });
  }
}
