import { errors } from './errors';
import type { RestliQuery } from './restli';

/**
 * §2.6 cursor paging for the search/criteria finders: `pageSize` + `pageToken`, continue while
 * `metadata.nextPageToken` is present. Tokens are opaque to callers; here they carry the offset.
 */
export function cursorPage<T>(items: T[], query: RestliQuery, maxPageSize: number): { elements: T[]; metadata: { nextPageToken?: string } } {
  const pageSize = query.int('pageSize') ?? Math.min(100, maxPageSize);
  if (pageSize < 1 || pageSize > maxPageSize) throw errors.invalid(`pageSize must be between 1 and ${maxPageSize}`);
  const token = query.string('pageToken');
  const offset = token === undefined ? 0 : decodeToken(token);
  const elements = items.slice(offset, offset + pageSize);
  const next = offset + pageSize < items.length ? encodeToken(offset + pageSize) : undefined;
  return { elements, metadata: next ? { nextPageToken: next } : {} };
}

function encodeToken(offset: number): string {
  return Buffer.from(`li-page:${offset}`).toString('base64url');
}

function decodeToken(token: string): number {
  const match = /^li-page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw errors.invalid('Invalid pageToken');
  return Number(match[1]);
}

/** `start`/`count` paging with `paging.total` for the other collections (Rest.li default count 10). */
export function offsetPage<T>(
  items: T[],
  query: RestliQuery,
  maxCount = 1000,
): { elements: T[]; paging: { start: number; count: number; total: number; links: { rel: string; href: string; type: string }[] } } {
  const start = query.int('start') ?? 0;
  const count = query.int('count') ?? 10;
  if (start < 0) throw errors.invalid('start must not be negative');
  if (count < 0 || count > maxCount) throw errors.invalid(`count must be between 0 and ${maxCount}`);
  const elements = items.slice(start, start + count);
  const links = start + count < items.length ? [{ rel: 'next', href: `?start=${start + count}&count=${count}`, type: 'application/json' }] : [];
  return { elements, paging: { start, count, total: items.length, links } };
}

/** Rest.li BATCH_GET answer: results and statuses keyed by the entity key. */
export function batchGetResponse<T>(keys: string[], lookup: (key: string) => T | undefined) {
  const results: Record<string, T> = {};
  const statuses: Record<string, number> = {};
  const errorsByKey: Record<string, { status: number; message: string }> = {};
  for (const key of keys) {
    const found = lookup(key);
    if (found === undefined) {
      statuses[key] = 404;
      errorsByKey[key] = { status: 404, message: `Not found: ${key}` };
    } else {
      results[key] = found;
      statuses[key] = 200;
    }
  }
  return { results, statuses, errors: errorsByKey };
}
