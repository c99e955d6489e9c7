import { ApplicationFailure } from '@temporalio/activity';
import type { AdAccountInfo, Network } from '../src/networks/types';
import { storeTokens, toActivityFailure, withAccessToken, type TokenDeps } from './tokens';
import { FailureType } from '../src/domain/failures';

export function createConnectActivities(deps: TokenDeps) {
  return {
    /**
     * Exchanges the single-use code once: if a retry finds the tokens already stored, the earlier
     * attempt succeeded and the code must not be spent again.
     */
    /** `codeVerifier` (PKCE) rides along in the connect workflow's input, which hands it over unchanged. */
    async exchangeCodeAndStore(input: { network: Network; connectionId: string; code: string; redirectUri: string; codeVerifier?: string }): Promise<void> {
      const existing = await deps.models.Connection.findById(input.connectionId).lean();
      if (existing?.tokens) return;
      try {
        const tokens = await deps.clients[input.network].exchangeCode({ code: input.code, redirectUri: input.redirectUri, ...(input.codeVerifier ? { codeVerifier: input.codeVerifier } : {}) });
        await storeTokens(deps, input.connectionId, input.network, tokens);
      } catch (error) {
        const failure = await toActivityFailure(deps, input.connectionId, error);
        if (failure instanceof ApplicationFailure && failure.type === FailureType.NetworkRejected) {
          throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `The authorization code was rejected: ${failure.message}`, nonRetryable: true });
        }
        throw failure;
      }
    },

    async listReachableAccounts(input: { connectionId: string }): Promise<AdAccountInfo[]> {
      return withAccessToken(deps, input.connectionId, (accessToken, client) => client.listAdAccounts(accessToken));
    },
  };
}
