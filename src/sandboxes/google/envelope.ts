import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

/** Google's error envelope (reference §7.1) and the GoogleAdsFailure it carries. */

export interface FieldPathElement {
  fieldName: string;
  index?: number;
}

export interface AdsErrorEntry {
  /** One-key object: error family → enum name, e.g. { urlFieldError: 'MISSING_TRACKING_URL_TEMPLATE_TAG' }. */
  errorCode: Record<string, string>;
  message: string;
  trigger?: { stringValue: string };
  location?: { fieldPathElements: FieldPathElement[] };
  details?: Record<string, unknown>;
}

const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  // unconfirmed: Google's standard mapping for an aborted (concurrently modified) request.
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const TOP_MESSAGE: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  403: 'The caller does not have permission',
  404: 'The requested entity was not found.',
  409: 'The operation was aborted.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

/** An API error a handler throws; the router renders it in the envelope. */
export class GoogleApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly errors: AdsErrorEntry[],
    message?: string,
  ) {
    super(message ?? TOP_MESSAGE[httpStatus] ?? 'Error');
  }
}

export function adsError(family: string, code: string, message: string, path?: FieldPathElement[], trigger?: string): AdsErrorEntry {
  return {
    errorCode: { [family]: code },
    message,
    ...(trigger !== undefined ? { trigger: { stringValue: trigger } } : {}),
    ...(path && path.length > 0 ? { location: { fieldPathElements: path } } : {}),
  };
}

export const invalidArgument = (...errors: AdsErrorEntry[]) => new GoogleApiError(400, errors);

export function newRequestId(): string {
  return randomBytes(8).toString('base64url').slice(0, 11);
}

export function failureDetail(version: string, errors: AdsErrorEntry[], requestId: string) {
  return { '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`, errors, requestId };
}

export function sendApiError(res: Response, version: string, error: GoogleApiError): void {
  const requestId = requestIdOf(res);
  res.status(error.httpStatus).json({
    error: {
      code: error.httpStatus,
      message: error.message,
      status: STATUS_BY_HTTP[error.httpStatus] ?? 'UNKNOWN',
      details: [failureDetail(version, error.errors, requestId)],
    },
  });
}

/** `partialFailureError` of a 200 answer: a google.rpc.Status with code 3 (INVALID_ARGUMENT). */
export function partialFailureError(version: string, errors: AdsErrorEntry[], requestId: string) {
  const first = errors[0]?.message ?? '';
  return {
    code: 3,
    message: errors.length > 1 ? `Multiple errors in ‘details’. First error: ${first}` : first,
    details: [failureDetail(version, errors, requestId)],
  };
}

export function requestIdOf(res: Response): string {
  const locals = res.locals as { requestId?: string };
  locals.requestId ??= newRequestId();
  return locals.requestId;
}

/** Versions come first in the path ("v22"); faults rendered by the kit read it back from the request. */
export function versionOf(path: string): string {
  return /^\/(v\d+(?:_\d+)?)\//.exec(path)?.[1] ?? 'v22';
}
