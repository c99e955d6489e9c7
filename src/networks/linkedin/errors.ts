import { isAxiosError } from 'axios';
import { NetworkError } from '../errors';
import type { NetworkErrorKind } from '../types';

/** §6 Rest.li error body; OAuth endpoints use `{ error, error_description }` instead. */
interface LinkedInErrorBody {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
  error?: string;
  error_description?: string;
}

const TOKEN_CODES: Record<number, string> = {
  65600: 'INVALID_ACCESS_TOKEN',
  65601: 'EXPIRED_ACCESS_TOKEN',
  65602: 'REVOKED_ACCESS_TOKEN',
};

function kindOf(status: number, body: LinkedInErrorBody): NetworkErrorKind {
  // OAuth: a dead code or refresh token means the member must authorize again (§6).
  if (body.error === 'invalid_grant') return 'auth';
  if (status === 401) return body.error === 'invalid_client' ? 'invalid' : 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  // 409: concurrent modification; retrying is the documented cure.
  if (status === 409 || status >= 500) return 'transient';
  return 'invalid';
}

/** Seconds or HTTP date; §6 says LinkedIn documents none, so this is usually undefined. */
function retryAfterMs(header: unknown): number | undefined {
  if (typeof header !== 'string' || !header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Maps a non-2xx LinkedIn answer into the shared NetworkError. Never includes request data. */
export function errorFromResponse(status: number, data: unknown, headers: Record<string, unknown>): NetworkError {
  const body: LinkedInErrorBody = typeof data === 'object' && data !== null ? (data) : {};
  const code =
    body.code ??
    body.error ??
    (body.serviceErrorCode !== undefined ? (TOKEN_CODES[body.serviceErrorCode] ?? String(body.serviceErrorCode)) : undefined) ??
    `HTTP_${status}`;
  const message = body.message ?? body.error_description ?? `LinkedIn answered HTTP ${status}`;
  const retryAfter = status === 429 ? retryAfterMs(headers['retry-after']) : undefined;
  return new NetworkError('linkedin', {
    kind: kindOf(status, body),
    code,
    message,
    httpStatus: status,
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
  });
}

/** Timeouts, resets and refused connections: the request may be retried. */
export function errorFromTransport(error: unknown): NetworkError {
  if (isAxiosError(error)) {
    const timeout = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
    return new NetworkError('linkedin', {
      kind: 'transient',
      code: timeout ? 'TIMEOUT' : (error.code ?? 'NETWORK_ERROR'),
      message: timeout ? 'LinkedIn did not answer in time' : `Network error talking to LinkedIn: ${error.code ?? error.message}`,
    });
  }
  return new NetworkError('linkedin', { kind: 'transient', code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) });
}
