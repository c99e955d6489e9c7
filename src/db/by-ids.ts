import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { bulkWriteInChunks, lanes } from './bulk';
import { traitsOfConnection } from './flavor';

/** Equality lookups in flight at once per call on FerretDB. */
const LOOKUPS_IN_FLIGHT = 8;

/**
 * Documents by `_id`, in no particular order. One `$in` query on MongoDB. FerretDB v1 pushes only
 * equality filters down to its backend and answers `$in` by reading the whole collection, so a page
 * of ads would cost a scan of every account's ads: there it is one `_id` lookup per id, a few at a
 * time, each served by the `_id` index.
 */
export async function findByIds<T>(model: Model<T>, ids: readonly string[], projection?: Record<string, number>): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (traitsOfConnection(model.db).flavor === 'mongodb') {
    return model.find({ _id: { $in: unique } }, projection).lean<T[]>();
  }
  const found: T[] = [];
  await Promise.all(
    lanes(unique, LOOKUPS_IN_FLIGHT, async (id) => {
      const doc = await model.findOne({ _id: id }, projection).lean<T>();
      if (doc) found.push(doc);
    }),
  );
  return found;
}

/** Deletes documents by `_id`: one delete statement per id (an equality filter, see findByIds), batched. */
export async function deleteByIds(model: Pick<Model<{ _id: string }>, 'db' | 'bulkWrite'>, ids: readonly string[]): Promise<void> {
  const ops: AnyBulkWriteOperation<{ _id: string }>[] = [...new Set(ids)].map((id) => ({ deleteOne: { filter: { _id: id } } }));
  await bulkWriteInChunks(model, ops, { ordered: false });
}
