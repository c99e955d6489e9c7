import { ApplicationFailure } from '@temporalio/activity';
import { isNetworkError } from '../src/networks/errors';
import type { AdAccountInfo, Network, TokenSet } from '../src/networks/types';
import { storeTokens, toActivityFailure, withAccessToken, type TokenDeps } from './tokens';
import { FailureType } from '../src/domain/failures';

/**
 * The single-use code may be spent while its outcome is unknown (connection lost, 5xx, worker gone):
 * never sent twice, whatever retries around it; the admin must start the login again.
 */
const STORE_ATTEMPTS = 4;

const codeSpent = (network: Network, why: string) =>
  ApplicationFailure.create({
    type: FailureType.AuthorizationCodeSpent,
    message: `${why} The ${network} authorization code is single-use and is not sent again: start the login again.`,
    nonRetryable: true,
  });

export function createConnectActivities(deps: TokenDeps) {
  /** Tokens the network already issued must not be lost to a database hiccup: a few quick tries. */
  async function storeNow(input: { network: Network; connectionId: string }, tokens: TokenSet): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await storeTokens(deps, input.connectionId, input.network, tokens);
      } catch {
        if (attempt >= STORE_ATTEMPTS) throw codeSpent(input.network, 'The tokens could not be stored.');
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  return {
    /**
     * Exchanges the single-use code at most once (issue 15 #16): a mark is stored before the code is
     * sent, so a retried activity finds it and fails with a clear non-retryable error instead of
     * re-sending a code the network may have consumed ("code used"). Tokens already stored mean an
     * earlier attempt succeeded.
     */
    /** `codeVerifier` (PKCE) rides along in the connect workflow's input, which hands it over unchanged. */
    async exchangeCodeAndStore(input: { network: Network; connectionId: string; code: string; redirectUri: string; codeVerifier?: string }): Promise<void> {
      const existing = await deps.models.Connection.findById(input.connectionId).lean();
      if (existing?.tokens) return;
      if (existing?.codeSentAt) throw codeSpent(input.network, 'An earlier attempt sent the code and did not finish.');
      await deps.models.Connection.updateOne(
        { _id: input.connectionId },
        { $set: { codeSentAt: new Date() }, $setOnInsert: { network: input.network, status: 'needs_reconnect', tokens: null } },
        { upsert: true },
      );
      let tokens: TokenSet;
      try {
        tokens = await deps.clients[input.network].exchangeCode({ code: input.code, redirectUri: input.redirectUri, ...(input.codeVerifier ? { codeVerifier: input.codeVerifier } : {}) });
      } catch (error) {
        if (isNetworkError(error) && (error.kind === 'transient' || error.kind === 'rate_limited')) {
          throw codeSpent(input.network, `The exchange failed in transit (${error.code}).`);
        }
        const failure = await toActivityFailure(deps, input.connectionId, error);
        // The network answered and refused the code: nothing was connected, so the mark goes too
        // (a spent code in transit keeps it, to refuse a retried attempt above).
        await deps.models.Connection.deleteOne({ _id: input.connectionId, tokens: null });
        if (failure instanceof ApplicationFailure && failure.type === FailureType.NetworkRejected) {
          throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `The authorization code was rejected: ${failure.message}`, nonRetryable: true });
        }
        if (failure instanceof ApplicationFailure) throw failure;
        throw codeSpent(input.network, 'The exchange failed.');
      }
      await storeNow(input, tokens);
    },

    async listReachableAccounts(input: { connectionId: string }): Promise<AdAccountInfo[]> {
      return withAccessToken(deps, input.connectionId, (accessToken, client) => client.listAdAccounts(accessToken));
    },
  };
}
