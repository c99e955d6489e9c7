/**
 * Opaque listAds cursor. A full listing is one GAQL query paged by Google's page token; a change
 * listing (updatedSince) is a sequence of GAQL queries over the entities change_status reported, so the
 * cursor carries the filters still to run. The ids are captured once, so later pages do not depend on
 * change_status again (its rows move when an entity changes once more).
 */
export type AdsCursor =
  | { mode: 'all'; pageToken: string }
  | { mode: 'changes'; filters: string[]; pageToken?: string };

export function encodeCursor(cursor: AdsCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): AdsCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new Error('Invalid Google listAds cursor');
  }
  const c = parsed as Partial<{ mode: string; pageToken: unknown; filters: unknown }>;
  if (c.mode === 'all' && typeof c.pageToken === 'string') return { mode: 'all', pageToken: c.pageToken };
  if (c.mode === 'changes' && Array.isArray(c.filters) && c.filters.every((f) => typeof f === 'string')) {
    return { mode: 'changes', filters: c.filters, ...(typeof c.pageToken === 'string' ? { pageToken: c.pageToken } : {}) };
  }
  throw new Error('Invalid Google listAds cursor');
}
