import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export function tokenMatches(given: string | undefined, expected: string): boolean {
  // Compare digests so the comparison is constant-time whatever the lengths.
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** Admin API authentication: `Authorization: Bearer <ADMIN_API_TOKEN>`. */
export function requireAdminToken(expected: string): RequestHandler {
  return (req, res, next) => {
    if (tokenMatches(bearerToken(req.headers.authorization), expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="adtrack"');
    next(new ApiError(401, 'unauthorized', 'A valid admin bearer token is required'));
  };
}
