import type { ConversionDestinationCheck, Network, NetworkErrorInfo, NetworkErrorKind } from './types';

/** Every client turns the network's error envelope into this, so callers decide retry vs. reconnect. */
export class NetworkError extends Error implements NetworkErrorInfo {
  override readonly name = 'NetworkError';
  readonly kind: NetworkErrorKind;
  readonly code: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;

  constructor(readonly network: Network, info: NetworkErrorInfo) {
    super(info.message);
    this.kind = info.kind;
    this.code = info.code;
    if (info.httpStatus !== undefined) this.httpStatus = info.httpStatus;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }

  toInfo(): NetworkErrorInfo {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      ...(this.httpStatus !== undefined ? { httpStatus: this.httpStatus } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError;
}

/**
 * Runs a conversion-destination read: the network's "no such object" and "not yours" answers both
 * mean events sent there would fail, so they become `not_found`; anything else it cannot answer
 * (auth, throttling, outage) is thrown for the caller to report as such.
 */
export async function readDestination(what: string, read: () => Promise<ConversionDestinationCheck>): Promise<ConversionDestinationCheck> {
  try {
    return await read();
  } catch (error) {
    if (isNetworkError(error) && (error.kind === 'not_found' || error.kind === 'permission')) {
      return { ok: false, problem: 'not_found', message: `${what} does not exist or this account's token cannot reach it (${error.code}).` };
    }
    throw error;
  }
}
