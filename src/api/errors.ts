import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../logging';
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

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** The single error handler: `{ error: { code, message, details } }`, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const parserError = err as BodyParserError;
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (parserError?.type === 'entity.parse.failed') apiError = new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
    else if (parserError?.type === 'entity.too.large')
      apiError = new ApiError(413, 'payload_too_large', 'The request body is too large', { limitBytes: parserError.limit });
    else if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported')
      apiError = new ApiError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    else if (err instanceof ContactBusyError) {
      res.setHeader('Retry-After', '1');
      apiError = new ApiError(503, 'contact_busy', 'The contact is being changed by another request; retry shortly.');
    } else {
      apiError = new ApiError(500, 'internal_error', 'Something went wrong on our side; the request id identifies it in the logs');
      logger.error({ err, reqId: req.id }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, details: apiError.details ?? {} } });
  };
}
