import type { Request } from 'express';
import { adsError, GoogleApiError, invalidArgument } from './envelope';
import type { Customer, Grant, GoogleWorld } from './world';

/**
 * What every API call goes through before its handler (reference §1.2, "What an emulator must model"
 * 2 and 10): version, Bearer token, developer token, access to the customer (directly or through the
 * manager named in login-customer-id), then quotas.
 */

export function checkVersion(world: GoogleWorld, version: string): void {
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? Number.NaN);
  if (!(major >= world.config.minVersion && major <= world.config.maxVersion)) {
    // unconfirmed: HTTP status of a call to a sunset version.
    throw new GoogleApiError(400, [adsError('requestError', 'UNSUPPORTED_VERSION', 'This API version has been sunset and is no longer supported.')]);
  }
}

const unauthenticated = (code: string, message: string) => new GoogleApiError(401, [adsError('authenticationError', code, message)]);

export function authenticate(world: GoogleWorld, req: Request, tokensExpired: boolean): Grant {
  const header = req.header('authorization');
  if (!header) throw unauthenticated('AUTHENTICATION_ERROR', 'Authentication of the request failed.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('OAUTH_TOKEN_HEADER_INVALID', 'The header of the OAuth token is invalid.');
  const token = world.accessTokens.get(match[1]);
  if (!token) throw unauthenticated('OAUTH_TOKEN_INVALID', 'OAuth token in the header is not valid.');
  const grant = world.grants.get(token.grantId);
  if (!grant || grant.revoked) throw unauthenticated('OAUTH_TOKEN_REVOKED', 'OAuth token in the header has been revoked.');
  if (tokensExpired || token.expiresAt <= world.now()) throw unauthenticated('OAUTH_TOKEN_EXPIRED', 'OAuth token in the header has expired.');

  const developerToken = req.header('developer-token');
  if (!developerToken && world.config.developerTokenRequired) {
    throw invalidArgument(adsError('requestError', 'DEVELOPER_TOKEN_PARAMETER_MISSING', 'The developer-token parameter is required for all requests.'));
  }
  if (developerToken && world.config.developerToken && developerToken !== world.config.developerToken) {
    throw unauthenticated('DEVELOPER_TOKEN_INVALID', 'The developer token is not valid.');
  }
  return grant;
}

const permissionDenied = () =>
  new GoogleApiError(403, [
    adsError(
      'authorizationError',
      'USER_PERMISSION_DENIED',
      "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
    ),
  ]);

/** Resolves the customer in the path, enforcing direct access or access through login-customer-id. */
export function authorizeCustomer(world: GoogleWorld, grant: Grant, customerId: string, req: Request): Customer {
  if (!/^\d{10}$/.test(customerId)) throw invalidArgument(adsError('requestError', 'INVALID_CUSTOMER_ID', 'Customer ID is invalid.'));
  const login = req.header('login-customer-id');
  if (login !== undefined && !/^\d{10}$/.test(login)) {
    throw invalidArgument(adsError('requestError', 'INVALID_CUSTOMER_ID', 'The login-customer-id header must be 10 digits without dashes.'));
  }
  const customer = world.customers.get(customerId);
  if (!customer) throw permissionDenied();
  if (login !== undefined) {
    const viaManager = login === customerId || world.managersOf(customerId).includes(login);
    if (!grant.customerIds.includes(login) || !viaManager) throw permissionDenied();
  } else if (!grant.customerIds.includes(customerId)) {
    throw permissionDenied();
  }
  return customer;
}

export function quotaError(code: string, message: string, retryDelaySeconds: number, rate?: { scope: string; name: string }) {
  return new GoogleApiError(429, [
    {
      ...adsError('quotaError', code, message),
      details: {
        quotaErrorDetails: {
          ...(rate ? { rateScope: rate.scope, rateName: rate.name } : {}),
          retryDelay: `${retryDelaySeconds}s`,
        },
      },
    },
  ]);
}

/** The per-customer request bucket (RESOURCE_TEMPORARILY_EXHAUSTED) and the daily operation quota (RESOURCE_EXHAUSTED). */
export function chargeQuota(world: GoogleWorld, customerId: string | undefined, operations: number): void {
  const now = world.now();
  const perMinute = world.config.requestsPerMinutePerCustomer;
  if (customerId && perMinute !== null) {
    const bucket = world.customerRequests.get(customerId);
    const current = bucket && now - bucket.windowStart < 60_000 ? bucket : { windowStart: now, count: 0 };
    if (current.count >= perMinute) {
      const wait = Math.max(1, Math.ceil((current.windowStart + 60_000 - now) / 1000));
      throw quotaError('RESOURCE_TEMPORARILY_EXHAUSTED', `Too many requests. Retry in ${wait} seconds.`, wait, { scope: 'ACCOUNT', name: 'Requests per account' });
    }
    current.count += 1;
    world.customerRequests.set(customerId, current);
  }
  const limit = world.config.dailyOperationLimit;
  if (limit !== null) {
    const dayAgo = now - 86_400_000;
    world.operations = world.operations.filter((o) => o.at > dayAgo);
    const used = world.operations.reduce((sum, o) => sum + o.count, 0);
    if (used + operations > limit) {
      const oldest = world.operations[0]?.at ?? now;
      const wait = Math.max(1, Math.ceil((oldest + 86_400_000 - now) / 1000));
      throw quotaError('RESOURCE_EXHAUSTED', 'Number of operations for basic access has been exceeded.', wait, { scope: 'DEVELOPER', name: 'Number of operations for basic access' });
    }
    world.operations.push({ at: now, count: operations });
  }
}
