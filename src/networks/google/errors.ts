import { isAxiosError } from 'axios';
import { NetworkError } from '../errors';
import type { NetworkErrorInfo, NetworkErrorKind } from '../types';

/**
 * Google's error shapes → NetworkError:
 * - API envelope {error: {code, message, status, details: [GoogleAdsFailure]}} (reference §7.1),
 * - OAuth {error: "invalid_grant", error_description} (§1.1),
 * - per-item GoogleAdsFailure errors inside partialFailureError (§3.3, §4.2).
 */

export interface GoogleAdsErrorEntry {
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: { fieldName?: string; index?: number }[] };
  details?: { quotaErrorDetails?: { retryDelay?: string } };
}

interface GoogleAdsFailure {
  '@type'?: string;
  errors?: GoogleAdsErrorEntry[];
  requestId?: string;
}

export interface GoogleRpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: GoogleAdsFailure[];
}

const TRANSIENT_STATUSES = new Set(['INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED']);
const SIX_HOURS_MS = 6 * 3600_000;

/** "30s" / "1.5s" (protobuf Duration JSON) → milliseconds. */
export function durationToMs(value: string | undefined): number | undefined {
  const m = value ? /^(\d+(?:\.\d+)?)s$/.exec(value.trim()) : null;
  return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
}

function familyAndCode(entry: GoogleAdsErrorEntry | undefined): [string, string] | undefined {
  const pair = Object.entries(entry?.errorCode ?? {})[0];
  return pair ? [pair[0], String(pair[1])] : undefined;
}

/** Decides retry vs. reconnect vs. give up from the error family/code, falling back to the RPC status. */
export function classify(family: string | undefined, code: string | undefined, status: string | undefined, httpStatus: number | undefined): NetworkErrorKind {
  switch (family) {
    case 'authenticationError':
      if (code === 'CUSTOMER_NOT_FOUND') return 'not_found';
      // A bad developer token or customer id is configuration, not something a reconnect fixes.
      if (code === 'DEVELOPER_TOKEN_INVALID' || code === 'CLIENT_CUSTOMER_ID_INVALID') return 'invalid';
      return 'auth';
    case 'authorizationError':
      return 'permission';
    case 'quotaError':
      return code === 'ACCESS_PROHIBITED' ? 'permission' : 'rate_limited';
    case 'databaseError':
      return code === 'CONCURRENT_MODIFICATION' ? 'transient' : 'invalid';
    case 'internalError':
      return 'transient';
    case 'mutateError':
    case 'requestError':
      if (code === 'RESOURCE_NOT_FOUND') return 'not_found';
      break;
    case 'conversionUploadError':
      if (code === 'TOO_RECENT_EVENT' || code === 'TOO_RECENT_CONVERSION_ACTION' || code === 'TOO_RECENT_CALL') return 'transient';
      if (code === 'CLICK_NOT_FOUND' || code === 'EVENT_NOT_FOUND' || code === 'NO_CONVERSION_ACTION_FOUND') return 'not_found';
      return 'invalid';
  }
  if (status === 'UNAUTHENTICATED' || httpStatus === 401) return 'auth';
  if (status === 'PERMISSION_DENIED' || httpStatus === 403) return 'permission';
  if (status === 'RESOURCE_EXHAUSTED' || httpStatus === 429) return 'rate_limited';
  if (status === 'NOT_FOUND' || httpStatus === 404) return 'not_found';
  if ((status && TRANSIENT_STATUSES.has(status)) || (httpStatus !== undefined && httpStatus >= 500)) return 'transient';
  return 'invalid';
}

/** One GoogleAdsFailure error (e.g. one failed operation of a partial-failure batch) → error info. */
export function entryToInfo(entry: GoogleAdsErrorEntry, httpStatus?: number, status?: string): NetworkErrorInfo {
  const [family, code] = familyAndCode(entry) ?? [undefined, undefined];
  const kind = classify(family, code, status, httpStatus);
  const retryAfterMs =
    durationToMs(entry.details?.quotaErrorDetails?.retryDelay) ?? (code === 'TOO_RECENT_EVENT' || code === 'TOO_RECENT_CONVERSION_ACTION' ? SIX_HOURS_MS : undefined);
  return {
    kind,
    code: code ?? status ?? 'UNKNOWN',
    message: entry.message ?? status ?? 'Google Ads error',
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function retryAfterHeader(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Any failure of a call to Google (HTTP error, OAuth error, timeout) → NetworkError. */
export function toNetworkError(error: unknown): NetworkError {
  if (error instanceof NetworkError) return error;
  if (!isAxiosError(error)) {
    return new NetworkError('google', { kind: 'transient', code: 'CLIENT_ERROR', message: error instanceof Error ? error.message : String(error) });
  }
  const response = error.response;
  if (!response) {
    const timeout = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
    return new NetworkError('google', { kind: 'transient', code: timeout ? 'TIMEOUT' : (error.code ?? 'NETWORK_ERROR'), message: error.message });
  }
  const httpStatus = response.status;
  const data = response.data as { error?: unknown; error_description?: unknown } | string | undefined;
  const body = typeof data === 'object' && data !== null ? data : {};
  if (typeof body.error === 'string') {
    // OAuth endpoint: invalid_grant = revoked/expired refresh token or reused code → reconnect.
    const code = body.error;
    const kind: NetworkErrorKind =
      code === 'invalid_grant' ? 'auth' : httpStatus === 429 ? 'rate_limited' : httpStatus >= 500 ? 'transient' : 'invalid';
    const description = typeof body.error_description === 'string' ? body.error_description : code;
    return new NetworkError('google', { kind, code, message: description, httpStatus });
  }
  const rpc = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as GoogleRpcStatus;
  const failure = rpc.details?.find((d) => Array.isArray(d.errors));
  const first = failure?.errors?.[0];
  const info = first
    ? entryToInfo({ ...first, message: first.message ?? rpc.message ?? '' }, httpStatus, rpc.status)
    : { kind: classify(undefined, undefined, rpc.status, httpStatus), code: rpc.status ?? `HTTP_${httpStatus}`, message: rpc.message ?? error.message, httpStatus };
  const headerDelay = retryAfterHeader(response.headers['retry-after']);
  if (info.retryAfterMs === undefined && headerDelay !== undefined) info.retryAfterMs = headerDelay;
  return new NetworkError('google', info);
}

/**
 * Errors of a partial-failure answer by item index: `fieldName` is "operations" for mutates and
 * "conversions" for uploads. The first error of an item wins.
 */
export function itemErrors(partialFailureError: GoogleRpcStatus | undefined, fieldName: string): Map<number, NetworkErrorInfo> {
  const out = new Map<number, NetworkErrorInfo>();
  for (const detail of partialFailureError?.details ?? []) {
    for (const entry of detail.errors ?? []) {
      const index = entry.location?.fieldPathElements?.find((e) => e.fieldName === fieldName)?.index;
      if (index !== undefined && !out.has(index)) out.set(index, entryToInfo(entry));
    }
  }
  return out;
}
