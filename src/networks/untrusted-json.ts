import axios, { type AxiosResponseTransformer } from 'axios';

/**
 * A copy of a parsed network answer without U+0000 in any string or key. JSON allows "\u0000", but
 * PostgreSQL text (the embedded default's storage under FerretDB) cannot hold it, so one ad name or
 * lead field carrying it would make its whole record unstorable and stall the sweep or sync that
 * meets it. The character has no meaning in names, URLs or form answers; dropping it is the repair.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withoutNul(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key.includes('\u0000') ? key.replaceAll('\u0000', '') : key] = withoutNul(item);
    return out as T;
  }
  return value;
}

/** axios's own JSON parsing, then {@link withoutNul}: every network transport parses answers through this. */
export const untrustedJsonResponse: AxiosResponseTransformer[] = [
  ...([] as AxiosResponseTransformer[]).concat(axios.defaults.transformResponse ?? []),
  (data: unknown) => withoutNul(data),
];
