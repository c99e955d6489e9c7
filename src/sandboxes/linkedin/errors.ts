import type { Response } from 'express';
import type { FaultRenderer } from '../kit/sandbox-app';

/** LinkedIn's Rest.li error body (reference §6): `{ status, serviceErrorCode?, code?, message }`. */
export interface RestliErrorBody {
  status: number;
  serviceErrorCode?: number;
  code?: string;
  message: string;
}

export class RestliHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly serviceErrorCode?: number,
  ) {
    super(message);
  }

  toBody(): RestliErrorBody {
    return {
      status: this.status,
      ...(this.serviceErrorCode !== undefined ? { serviceErrorCode: this.serviceErrorCode } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
      message: this.message,
    };
  }
}

export function sendRestliError(res: Response, error: RestliHttpError): void {
  res.status(error.status).json(error.toBody());
}

export const errors = {
  invalidToken: () => new RestliHttpError(401, 'Invalid access token', 'INVALID_ACCESS_TOKEN', 65600),
  expiredToken: () => new RestliHttpError(401, 'The token used in the request has expired', 'EXPIRED_ACCESS_TOKEN', 65601),
  revokedToken: () =>
    new RestliHttpError(401, 'The token used in the request has been revoked by the user', 'REVOKED_ACCESS_TOKEN', 65602),
  // §6 lists this one without a `code`.
  emptyToken: () => new RestliHttpError(401, 'Empty oauth2_access_token', undefined, 401),
  accessDenied: (what: string) =>
    new RestliHttpError(403, `Not enough permissions to access: ${what}`, 'ACCESS_DENIED', 100),
  notFound: (what: string) => new RestliHttpError(404, `Not found: ${what}`, 'NOT_FOUND'),
  invalid: (message: string) => new RestliHttpError(400, message),
  /** Rest.li validates a body against the entity schema first; a field the schema lacks fails the whole request. */
  unrecognizedField: (field: string) => new RestliHttpError(422, `ERROR :: /${field} :: unrecognized field found but not allowed`, 'UNPROCESSABLE_ENTITY'),
  unprocessable: (message: string, code = 'FIELD_VALUE_INVALID') => new RestliHttpError(422, message, code),
  // The throttle message LinkedIn answers with; §6: no Retry-After or rate-limit headers.
  throttled: (scope: 'APPLICATION' | 'MEMBER') =>
    new RestliHttpError(429, `Resource level throttle ${scope} DAY limit for calls to this resource is reached.`),
};

/** How the kit's injected faults look on LinkedIn. */
export const linkedInFaults: FaultRenderer = {
  // §6: LinkedIn documents no Retry-After, so the kit's retryAfterSeconds is deliberately not sent.
  rateLimit: (res) => sendRestliError(res, errors.throttled('APPLICATION')),
  transient: (res) => void res.status(500).json({ status: 500, message: 'Internal Server Error' }),
  expiredToken: (res) => sendRestliError(res, errors.expiredToken()),
};

/** OAuth endpoints answer in the OAuth shape, not Rest.li (§6). */
export function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}
