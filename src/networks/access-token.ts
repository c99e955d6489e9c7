import type { Models } from '../db/models';
import type { SealedSecret, TokenVault } from '../security/token-vault';
import type { AdNetworkClient, Network, TokenSet } from './types';

/** Refresh this long before the network's expiry, so no call runs on a token about to die. */
const REFRESH_AHEAD_MS = 10 * 60 * 1000;

export interface TokenDeps {
  models: Pick<Models, 'Connection'>;
  vault: TokenVault;
  clients: Record<Network, AdNetworkClient>;
}

/** The connection's tokens, refreshed (and the new ones stored) when they are about to expire. */
export async function freshTokens(deps: TokenDeps, connectionId: string, network: Network, sealed: SealedSecret): Promise<TokenSet> {
  const tokens = deps.vault.open(sealed, connectionId);
  if (!tokens.expiresAt || Date.parse(tokens.expiresAt) - Date.now() >= REFRESH_AHEAD_MS) return tokens;
  const refreshed = await deps.clients[network].refreshToken(tokens);
  await storeTokens(deps, connectionId, network, refreshed);
  return refreshed;
}

export async function storeTokens(deps: Pick<TokenDeps, 'models' | 'vault'>, connectionId: string, network: Network, tokens: TokenSet): Promise<void> {
  await deps.models.Connection.updateOne(
    { _id: connectionId },
    {
      $set: {
        network,
        status: 'active',
        tokens: deps.vault.seal(tokens, connectionId),
        accessTokenExpiresAt: tokens.expiresAt ? new Date(tokens.expiresAt) : null,
        refreshedAt: new Date(),
        lastError: null,
      },
    },
    { upsert: true },
  );
}
