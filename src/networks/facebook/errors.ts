import { NetworkError } from '../errors';
import type { NetworkErrorInfo, NetworkErrorKind } from '../types';

/** Graph's error envelope, `{ "error": { … } }` (reference §9.1). */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/** Reads a response header by (case-insensitive) name. */
export type HeaderLookup = (name: string) => string | undefined;

const AUTH_CODES = new Set([102, 104, 190]);
// §9.2: app (4), user/account (17), Page (32), app limit (341), policy block (368), account (613).
const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 368, 613]);
const isBusinessUseCaseCode = (code: number) => code >= 80000 && code <= 80014;

function kindOf(error: GraphErrorBody, httpStatus: number | undefined): NetworkErrorKind {
  const code = error.code;
  if (code !== undefined) {
    if (AUTH_CODES.has(code)) return 'auth';
    if (RATE_LIMIT_CODES.has(code) || isBusinessUseCaseCode(code)) return 'rate_limited';
    if (code === 1 && error.error_subcode === 99) return 'invalid'; // wrong `level` value: not worth a retry
    if (code === 1 || code === 2) return 'transient';
    if (code === 10 || (code >= 200 && code <= 299)) return 'permission';
    if ((code === 100 && error.error_subcode === 33) || code === 803) return 'not_found';
    if (code === 100) return 'invalid';
  }
  if (error.is_transient === true) return 'transient';
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient';
  if (httpStatus === 404) return 'not_found';
  return 'invalid';
}

export function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * How long to wait, from the usage headers (§9.3): the largest `estimated_time_to_regain_access`
 * (minutes) in `X-Business-Use-Case-Usage`, else the ad account's `reset_time_duration` (seconds)
 * once its utilisation reached 100%.
 */
export function retryAfterMsFromHeaders(header: HeaderLookup): number | undefined {
  const buc = parseJson(header('x-business-use-case-usage'));
  let minutes = 0;
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as { estimated_time_to_regain_access?: unknown }[]) {
        const value = Number(entry.estimated_time_to_regain_access);
        if (Number.isFinite(value)) minutes = Math.max(minutes, value);
      }
    }
  }
  if (minutes > 0) return minutes * 60_000;
  const account = parseJson(header('x-ad-account-usage')) as { acc_id_util_pct?: unknown; reset_time_duration?: unknown } | undefined;
  const seconds = Number(account?.reset_time_duration);
  if (account && Number(account.acc_id_util_pct) >= 100 && seconds > 0) return seconds * 1000;
  return undefined;
}

/** Maps a Graph error answer (HTTP or inside a batch item) to the shared error shape (§9.2). */
export function graphErrorInfo(httpStatus: number | undefined, body: unknown, header: HeaderLookup): NetworkErrorInfo {
  const error: GraphErrorBody = (body as { error?: GraphErrorBody } | undefined)?.error ?? {};
  const kind = kindOf(error, httpStatus);
  const codeLabel = error.code !== undefined ? `${error.code}${error.error_subcode !== undefined ? `/${error.error_subcode}` : ''}` : `http ${httpStatus ?? '?'}`;
  const retryAfterMs = kind === 'rate_limited' ? retryAfterMsFromHeaders(header) : undefined;
  return {
    kind,
    code: error.code !== undefined ? String(error.code) : `http_${httpStatus ?? 'unknown'}`,
    // Graph messages never echo the token; fbtrace_id is what Meta support asks for.
    message: `${error.message ?? 'Graph API error'} [${codeLabel}${error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : ''}]`,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

export function graphError(httpStatus: number | undefined, body: unknown, header: HeaderLookup): NetworkError {
  return new NetworkError('facebook', graphErrorInfo(httpStatus, body, header));
}

export function hasGraphError(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}
