import { invalidParameter } from './graph-error';

export interface PageLinks {
  /** Scheme + host the caller used, so `paging.next` points back at this sandbox. */
  baseUrl: string;
  /** `v25.0/act_1/ads` (version kept when the caller sent one). */
  path: string;
  params: Record<string, unknown>;
}

export interface GraphPage<T> {
  data: T[];
  paging?: {
    cursors: { before: string; after: string };
    previous?: string;
    next?: string;
  };
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 5000;

/**
 * Cursor paging (§0): cursors name the item they point at, so they break when that item goes away,
 * and `next` is present only while more items follow.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, links: PageLinks): GraphPage<T> {
  const limit = limitOf(links.params.limit);
  const after = stringParam(links.params.after);
  const before = stringParam(links.params.before);
  let start = 0;
  let end = items.length;
  if (after !== undefined) start = indexOfCursor(items, keyOf, after) + 1;
  if (before !== undefined) end = indexOfCursor(items, keyOf, before);
  const [from, to] = before !== undefined && after === undefined ? [Math.max(start, end - limit), end] : [start, Math.min(end, start + limit)];
  const windowed = items.slice(from, to);
  const first = windowed[0];
  const last = windowed[windowed.length - 1];
  if (first === undefined || last === undefined) return { data: [] };
  const cursors = { before: encodeCursor(keyOf(first)), after: encodeCursor(keyOf(last)) };
  return {
    data: windowed,
    paging: {
      cursors,
      ...(from > 0 ? { previous: pageUrl(links, limit, { before: cursors.before }) } : {}),
      ...(to < items.length ? { next: pageUrl(links, limit, { after: cursors.after }) } : {}),
    },
  };
}

/** The key a cursor names (what `paginate` encodes). */
export function cursorKey(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

function indexOfCursor<T>(items: readonly T[], keyOf: (item: T) => string, cursor: string): number {
  const key = cursorKey(cursor);
  const index = items.findIndex((item) => keyOf(item) === key);
  if (index < 0) throw invalidParameter('Invalid cursor: the object it points at is gone or the cursor is malformed', { error_subcode: 1357046 });
  return index;
}

function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function limitOf(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw invalidParameter('Param limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

function stringParam(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

function pageUrl(links: PageLinks, limit: number, cursor: { after?: string; before?: string }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(links.params)) {
    if (key === 'after' || key === 'before' || key === 'limit' || value === undefined) continue;
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  query.set('limit', String(limit));
  for (const [key, value] of Object.entries(cursor)) if (value) query.set(key, value);
  return `${links.baseUrl}/${links.path}?${query.toString()}`;
}
