/**
 * FerretDB v1 (the embedded default, SQLite) stops answering an `update` command that carries more
 * than about 32 statements. Bulk writes therefore go in small chunks; MongoDB does not mind.
 */
export const BULK_CHUNK = 25;

interface BulkWritable<Op> {
  bulkWrite(ops: Op[], options?: { ordered?: boolean }): Promise<{ upsertedCount: number; modifiedCount: number; matchedCount: number }>;
}

/** A bulk write in chunks of BULK_CHUNK operations, in order. */
export async function bulkWriteInChunks<Op>(model: BulkWritable<NoInfer<Op>>, ops: readonly Op[], options: { ordered: boolean }): Promise<{ upsertedCount: number }> {
  let upsertedCount = 0;
  for (let start = 0; start < ops.length; start += BULK_CHUNK) {
    const result = await model.bulkWrite(ops.slice(start, start + BULK_CHUNK), options);
    upsertedCount += result.upsertedCount;
  }
  return { upsertedCount };
}
