import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/**
 * The Temporal Web UI's credential for the codec server. The dev server's UI (`temporal server
 * start-dev`) can be given only a codec endpoint (`--ui-codec-endpoint`): no token, no credentials
 * mode. So the launcher gives it an endpoint that carries this key in its path; it is derived from the
 * admin token (nothing else to configure) and reveals nothing about it.
 */
export function uiCodecKey(adminToken: string): string {
  return createHmac('sha256', adminToken).update('adtrack/temporal-ui-codec/v1').digest('base64url');
}

/** The codec endpoint the launcher gives the dev server's Web UI (`--ui-codec-endpoint`). */
export function uiCodecEndpoint(apiBaseUrl: string, adminToken: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}/codec/ui/${uiCodecKey(adminToken)}`;
}
