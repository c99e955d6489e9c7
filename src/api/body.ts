import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './errors';

/** Deeper than any body this API accepts; a deeper one is refused before it reaches a schema or the database. */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';

/** No field means U+0000, and PostgreSQL (under the embedded default's FerretDB) cannot store it in a document. */
function nulCharacter(where: string): ApiError {
  return new ApiError(400, 'invalid_character', `The request ${where} contains a NUL character (U+0000), which no field accepts`);
}

/**
 * Refuses JSON that is nested deeper than MAX_JSON_DEPTH, carries prototype-pollution keys
 * (`__proto__`, `constructor.prototype`, as secure-json-parse does) or a NUL character in any key or
 * string. Iterative: the value may be deeper than the call stack.
 */
export function checkJsonShape(value: unknown, where = 'body'): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current === 'string' && current.includes(NUL)) throw nulCharacter(where);
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new ApiError(400, 'too_deeply_nested', `The request ${where} is nested deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
    }
    for (const [key, child] of Object.entries(current)) {
      const pollutes = key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && 'prototype' in child);
      if (pollutes) throw new ApiError(400, 'forbidden_key', `The request ${where} uses a reserved key`, { key });
      if (key.includes(NUL)) throw nulCharacter(where);
      stack.push({ value: child, depth: depth + 1 });
    }
  }
}

/** JSON text (a raw webhook body, a text/plain beacon) → value, or a 400 with the envelope. */
export function parseJsonText(raw: Buffer | string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  checkJsonShape(value);
  return value;
}

/** Paths and queries: a percent-encoded NUL (`%00`) is refused before any route reads a parameter. */
export const rejectNulInUrl: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  next(/%00/.test(req.originalUrl) ? nulCharacter('URL') : undefined);
};

export const checkParsedBody: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (req.body !== undefined && typeof req.body !== 'string') checkJsonShape(req.body);
  next();
};

/** The JSON body parser of authenticated routes: mount it AFTER authentication, so strangers' bodies are never read. */
export function jsonBody(limit: string | number): RequestHandler[] {
  return [express.json({ limit, type: ['application/json', 'application/*+json'] }), checkParsedBody];
}
