import type { Connection } from 'mongoose';
import { traitsOfConnection } from './flavor';

interface BulkWritable<Op> {
  /** The model's connection: it decides the chunk size (src/db/flavor.ts). */
  db?: Connection;
  bulkWrite(ops: Op[], options?: { ordered?: boolean }): Promise<{ upsertedCount: number; modifiedCount: number; matchedCount: number }>;
}

/**
 * A bulk write, in order: in small chunks where the database needs them (FerretDB v1 stops answering
 * an `update` with more than about 32 statements), in one call elsewhere.
 */
export async function bulkWriteInChunks<Op>(model: BulkWritable<NoInfer<Op>>, ops: readonly Op[], options: { ordered: boolean }): Promise<{ upsertedCount: number }> {
  if (ops.length === 0) return { upsertedCount: 0 };
  const chunk = traitsOfConnection(model.db).bulkChunk ?? ops.length;
  let upsertedCount = 0;
  for (let start = 0; start < ops.length; start += chunk) {
    const result = await model.bulkWrite(ops.slice(start, start + chunk), options);
    upsertedCount += result.upsertedCount;
  }
  return { upsertedCount };
}
