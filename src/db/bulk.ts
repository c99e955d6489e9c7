import type { Connection } from 'mongoose';
import { traitsOfConnection } from './flavor';
import { isDuplicateKeyError } from './errors';

interface BulkWritable<Op> {
  /** The model's connection: it decides the chunk size (src/db/flavor.ts). */
  db?: Connection;
  bulkWrite(ops: Op[], options?: { ordered?: boolean }): Promise<{ upsertedCount: number; modifiedCount: number; matchedCount: number }>;
}

/**
 * A bulk write, in order: in small chunks where the database needs them (FerretDB v1 stops answering
 * an `update` with more than about 32 statements), in one call elsewhere.
 */
export async function bulkWriteInChunks<Op>(model: BulkWritable<NoInfer<Op>>, ops: readonly Op[], options: { ordered: boolean }): Promise<{ upsertedCount: number; matchedCount: number }> {
  if (ops.length === 0) return { upsertedCount: 0, matchedCount: 0 };
  const chunk = traitsOfConnection(model.db).bulkChunk ?? ops.length;
  let upsertedCount = 0;
  let matchedCount = 0;
  for (let start = 0; start < ops.length; start += chunk) {
    const result = await model.bulkWrite(ops.slice(start, start + chunk), options);
    upsertedCount += result.upsertedCount;
    matchedCount += result.matchedCount;
  }
  return { upsertedCount, matchedCount };
}


interface BulkWriteErrorLike {
  writeErrors?: ({ index: number; code: number } | { err?: { index: number; code: number } })[] | { index: number; code: number };
}

/** Documents per insert command (FerretDB answers large batches slowly). */
const INSERT_CHUNK = 100;
/**
 * Insert commands in flight at once. The embedded FerretDB converts each document on one core per
 * connection: a page of a lead backfill is CPU-bound on that one core unless its chunks go out on
 * several connections (the driver's pool). Five: a 500-lead page's chunks go out in one round.
 */
const INSERT_CONCURRENCY = 5;

/**
 * Inserts documents that do not exist yet (by `_id`), unordered, in chunks (a few at once); returns
 * the positions that already existed. Plain inserts, never upserts: the embedded FerretDB is slow on
 * upserts and can deadlock on concurrent multi-document ones.
 */
export async function insertRows(model: { collection: { insertMany(docs: object[], options: { ordered: false }): Promise<unknown> } }, docs: readonly object[]): Promise<Set<number>> {
  const duplicates = new Set<number>();
  const insertChunk = async (start: number) => {
    try {
      await model.collection.insertMany(docs.slice(start, start + INSERT_CHUNK), { ordered: false });
    } catch (error) {
      const raw = (error as BulkWriteErrorLike).writeErrors;
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((w) => ('index' in w ? w : (w.err ?? { index: -1, code: 0 })));
      if (list.length === 0 && isDuplicateKeyError(error)) {
        duplicates.add(start);
        return;
      }
      if (list.length === 0 || list.some((w) => w.code !== 11000)) throw error;
      for (const w of list) duplicates.add(start + w.index);
    }
  };
  const starts: number[] = [];
  for (let start = 0; start < docs.length; start += INSERT_CHUNK) starts.push(start);
  // Every chunk is attempted even when one fails, so a retry finds the others done (not half-sent).
  const settled = await Promise.allSettled(lanes(starts, INSERT_CONCURRENCY, insertChunk));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return duplicates;
}

/** Runs `work` over `items`, at most `width` at a time; one promise per lane (each lane stops at its first failure). */
export function lanes<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void>[] {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  return Array.from({ length: Math.min(width, items.length) }, lane);
}
