import { ApplicationFailure } from '@temporalio/activity';
import { isNetworkError, NetworkError } from '../src/networks/errors';
import { freshTokens, type TokenDeps } from '../src/networks/access-token';
import type { AdNetworkClient } from '../src/networks/types';
import { FailureType } from '../src/domain/failures';
import { networkRateLimited } from '../src/metrics/registry';

export { storeTokens, type TokenDeps } from '../src/networks/access-token';

/**
 * Runs `fn` with a fresh access token for the connection: loads the sealed tokens, refreshes them
 * ahead of expiry (persisting the new ones), and turns an auth rejection into the non-retryable
 * failure that parks the account in `needs_reconnect`. Tokens never leave the activity.
 */
export async function withAccessToken<T>(deps: TokenDeps, connectionId: string, fn: (accessToken: string, client: AdNetworkClient) => Promise<T>): Promise<T> {
  const connection = await deps.models.Connection.findById(connectionId).lean();
  if (!connection?.tokens || connection.status === 'revoked') {
    throw ApplicationFailure.create({ type: FailureType.NetworkAuth, message: 'The connection has no usable token; reconnect it.', nonRetryable: true });
  }
  const client = deps.clients[connection.network];
  try {
    const tokens = await freshTokens(deps, connectionId, connection.network, connection.tokens);
    return await fn(tokens.accessToken, client);
  } catch (error) {
    throw await toActivityFailure(deps, connectionId, error);
  }
}

/** Maps client errors to Temporal failures: auth → park; rate limits honour the network's hint. */
export async function toActivityFailure(deps: Pick<TokenDeps, 'models'>, connectionId: string, error: unknown): Promise<unknown> {
  if (!isNetworkError(error)) return error;
  if (error.kind === 'rate_limited') networkRateLimited.inc({ network: error.network });
  if (error.kind === 'auth') {
    await deps.models.Connection.updateOne({ _id: connectionId }, { $set: { status: 'needs_reconnect', lastError: `${error.code}: ${error.message}` } });
    return ApplicationFailure.create({ type: FailureType.NetworkAuth, message: error.message, nonRetryable: true });
  }
  return networkFailure(error);
}

export function networkFailure(error: NetworkError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.kind === 'rate_limited' ? FailureType.NetworkRateLimited : error.kind === 'transient' ? FailureType.NetworkTransient : FailureType.NetworkRejected,
    message: `${error.network} ${error.code}: ${error.message}`,
    nonRetryable: !error.retryable,
    ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}
