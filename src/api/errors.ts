import { WorkflowNotFoundError } from '@temporalio/client';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../logging';
import { outageOf } from './outages';
import { ContactBusyError } from '../contacts/repository';

/** A client-facing error; everything else becomes a 500 without internals. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`);

/** Parses input with a schema or throws a 400 listing every problem by field path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'validation_failed', `The request ${where} is invalid`, {
    issues: result.error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message })),
  });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};

/** What body-parser, raw-body and the router throw: http-errors with a 4xx `status` and a `type`. */
interface HttpError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
  code?: unknown;
}

/** Seconds a client should wait before retrying a call that met a dependency outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** The client's fault, told in our own words (the library messages are not part of the contract). */
function clientError(err: HttpError): ApiError | undefined {
  const status = err.status ?? err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', 'The request body is too large', { limitBytes: err.limit });
    case 'encoding.unsupported':
      return new ApiError(415, 'unsupported_encoding', 'The request body encoding is not supported; send identity, gzip, deflate or br');
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_charset', 'The request body charset is not supported; send UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
      return new ApiError(400, 'incomplete_body', 'The request body ended before its announced length');
    default:
      break;
  }
  // zlib / brotli (Z_DATA_ERROR, ERR__ERROR_FORMAT_…): a body announced as gzip/deflate/br that does not decompress.
  if (typeof err.code === 'string' && /^(Z_|ERR_)/.test(err.code)) {
    return new ApiError(400, 'invalid_encoding', 'The request body does not match its Content-Encoding');
  }
  // The router: a path parameter that is not valid percent-encoding.
  if (err instanceof URIError) return new ApiError(400, 'invalid_path', 'The request path is not valid percent-encoding');
  return new ApiError(status, 'bad_request', 'The request is malformed');
}

/** The single error handler: `{ error: { code, message, details } }`, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let apiError = err instanceof ApiError ? err : err instanceof Error ? clientError(err) : undefined;
    // A signal, query or update for a workflow that does not exist (an unknown or made-up id).
    if (!apiError && err instanceof WorkflowNotFoundError) apiError = new ApiError(404, 'not_found', 'No running workflow has that id');
    if (!apiError && err instanceof ContactBusyError) {
      res.setHeader('Retry-After', '1');
      apiError = new ApiError(503, 'contact_busy', 'The contact is being changed by another request; retry shortly.');
    }
    if (!apiError) {
      const dependency = outageOf(err);
      if (dependency) {
        apiError = new ApiError(503, 'service_unavailable', `The ${dependency === 'database' ? 'database' : 'workflow engine'} is unavailable; retry shortly`, {
          dependency,
          retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS,
        });
        logger.warn({ reqId: req.id, dependency, errName: (err as Error).name }, 'dependency unavailable');
        if (!res.headersSent) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      } else {
        apiError = new ApiError(500, 'internal_error', 'Something went wrong on our side; the request id identifies it in the logs');
        logger.error({ err, reqId: req.id }, 'unhandled error');
      }
    }
    if (res.headersSent) return;
    const retryAfter = (apiError.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number' && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(retryAfter));
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, details: apiError.details ?? {} } });
  };
}
