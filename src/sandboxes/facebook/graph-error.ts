import { randomBytes } from 'node:crypto';

/** The fields of Graph's error envelope (§9.1) other than the per-response `fbtrace_id`. */
export interface GraphErrorFields {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

/** Thrown by route handlers; rendered as `{ "error": { …, "fbtrace_id" } }`. */
export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly fields: GraphErrorFields,
    readonly headers: Record<string, string> = {},
    /** Set when the error was injected by a fault switch, for the request log. */
    readonly fault?: 'expired_token' | 'rate_limit' | 'transient',
  ) {
    super(fields.message);
  }

  envelope(): { error: GraphErrorFields & { fbtrace_id: string } } {
    return { error: { ...this.fields, fbtrace_id: fbtraceId() } };
  }
}

export function fbtraceId(): string {
  return randomBytes(8).toString('base64url');
}

const GRAPH_DOCS = 'Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api';

/** Unknown ids and ids the token may not see look the same to the caller. */
export function nonexistentNode(id: string, method: string): GraphError {
  return new GraphError(400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. ${GRAPH_DOCS}`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
}

export function unknownField(field: string, nodeType: string): GraphError {
  return new GraphError(400, {
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    type: 'OAuthException',
    code: 100,
  });
}

export function invalidParameter(message: string, extra: Partial<GraphErrorFields> = {}): GraphError {
  return new GraphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100, ...extra });
}

export function missingPermission(scope: string): GraphError {
  return new GraphError(403, {
    message: `(#200) Requires ${scope} permission to access this object`,
    type: 'OAuthException',
    code: 200,
  });
}

export function missingToken(): GraphError {
  return new GraphError(400, {
    message: 'An access token is required to request this resource.',
    type: 'OAuthException',
    code: 104,
  });
}

export function invalidToken(message: string, subcode?: number, fault?: 'expired_token'): GraphError {
  return new GraphError(
    400,
    { message, type: 'OAuthException', code: 190, ...(subcode !== undefined ? { error_subcode: subcode } : {}) },
    { 'WWW-Authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` },
    fault,
  );
}

export function transientError(): GraphError {
  return new GraphError(
    500,
    { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true },
    {},
    'transient',
  );
}

/** Business use case types and the code each throttles with (§9.2). */
export type BucType = 'ads_management' | 'ads_insights' | 'leadgen';
const BUC_CODES: Record<BucType, { code: number; message: string }> = {
  ads_management: { code: 80004, message: 'There have been too many calls to this ad-account. Wait a bit and try again.' },
  ads_insights: { code: 80000, message: 'There have been too many calls from this ad-account. Wait a bit and try again.' },
  leadgen: { code: 80005, message: 'There have been too many leadgen api calls to this Page. Wait a bit and try again.' },
};

/**
 * A throttle answer: BUC codes (80000–80005) when the call is scoped to an ad account, the
 * user-level code 17 otherwise. Both carry `X-Business-Use-Case-Usage` with
 * `estimated_time_to_regain_access` in minutes (§9.3).
 */
export function rateLimited(options: {
  bucKey: string;
  bucType?: BucType;
  retryAfterSeconds: number;
  fault?: 'rate_limit';
}): GraphError {
  const minutes = Math.ceil(options.retryAfterSeconds / 60);
  const usage = {
    [options.bucKey]: [
      {
        type: options.bucType ?? 'ads_management',
        call_count: 100,
        total_cputime: 42,
        total_time: 57,
        estimated_time_to_regain_access: minutes,
        ads_api_access_tier: 'standard_access',
      },
    ],
  };
  const headers = { 'X-Business-Use-Case-Usage': JSON.stringify(usage) };
  const fields: GraphErrorFields = options.bucType
    ? { message: BUC_CODES[options.bucType].message, type: 'OAuthException', code: BUC_CODES[options.bucType].code, is_transient: true }
    : { message: '(#17) User request limit reached', type: 'OAuthException', code: 17, error_subcode: 2446079, is_transient: true };
  return new GraphError(400, fields, headers, options.fault);
}
