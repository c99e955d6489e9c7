import { NetworkError } from '../errors';

/**
 * Rest.li 2.0 query encoding (reference §0), built by hand so no HTTP library re-encodes it:
 * `List(a,b)`, records `(key:value)`, nesting allowed; the structural characters `( ) , :` stay
 * literal and everything inside a value is percent-encoded — including `(`, `)`, `!`, `'`, `*`,
 * which encodeURIComponent would leave alone.
 */
export type RestliParam =
  | string
  | number
  | boolean
  | { readonly list: readonly RestliParam[] }
  | { readonly record: Readonly<Record<string, RestliParam>> }
  | { readonly raw: string };

export const List = (...items: RestliParam[]): RestliParam => ({ list: items });
export const Rec = (fields: Record<string, RestliParam>): RestliParam => ({ record: fields });
/** Passed through untouched, e.g. the `fields=a,b` projection. */
export const Raw = (text: string): RestliParam => ({ raw: text });

export function encodeRestli(value: string): string {
  return encodeURIComponent(value).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function renderParam(value: RestliParam): string {
  if (typeof value === 'string') return encodeRestli(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('raw' in value) return value.raw;
  if ('list' in value) return `List(${value.list.map(renderParam).join(',')})`;
  return `(${Object.entries(value.record)
    .map(([k, v]) => `${encodeRestli(k)}:${renderParam(v)}`)
    .join(',')})`;
}

/** `k=v&k2=v2`, skipping undefined values, in insertion order. */
export function buildQuery(params: Record<string, RestliParam | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, RestliParam] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeRestli(k)}=${renderParam(v)}`)
    .join('&');
}

export const urns = {
  account: (id: string) => `urn:li:sponsoredAccount:${id}`,
  campaign: (id: string) => `urn:li:sponsoredCampaign:${id}`,
  creative: (id: string) => `urn:li:sponsoredCreative:${id}`,
  conversion: (id: string) => `urn:lla:llaPartnerConversion:${id}`,
};

/** The trailing numeric id of a URN such as `urn:li:sponsoredCampaign:123` ("" when absent). */
export function idOf(urn: string | undefined): string {
  return /:(\d+)$/.exec(urn ?? '')?.[1] ?? '';
}

/** Accepts "507404993" or "urn:li:sponsoredAccount:507404993". */
export function accountIdOf(accountId: string): string {
  const id = /^(?:urn:li:sponsoredAccount:)?(\d+)$/.exec(accountId)?.[1];
  if (!id) throw new NetworkError('linkedin', { kind: 'invalid', code: 'INVALID_ACCOUNT_ID', message: `Not a LinkedIn ad account id: ${accountId}` });
  return id;
}
