import { isDuplicateKeyError } from './errors';

/**
 * Concurrent upserts of one new document: both miss, both insert, one fails with a duplicate key.
 * MongoDB retries such an upsert itself; FerretDB (the embedded default) does not, so the loser
 * retries here and its second attempt updates the winner's document.
 */
export async function retryOnDuplicateKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return write();
  }
}
