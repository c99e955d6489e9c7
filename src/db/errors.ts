/**
 * True when a write failed only because documents with those keys exist already (MongoDB and
 * FerretDB code 11000): for an idempotent insert, that is success. A bulk error counts when every
 * one of its write errors is a duplicate key (mongoose gives a list, the driver sometimes one).
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } } | null;
  if (e?.code === 11000) return true;
  const list = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  return list.length > 0 && list.every((w) => w.code === 11000);
}

/** Refused without a round trip: the connection already knows the database is unreachable. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor() {
    super('The database connection is down');
  }
}
