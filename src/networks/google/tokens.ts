import type { TokenSet } from '../types';

/** OAuth token endpoint answers (reference §1.1) → TokenSet. */

export interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
}

export function toTokenSet(response: TokenResponse, previousRefreshToken?: string): TokenSet {
  const now = Date.now();
  const refreshToken = response.refresh_token ?? previousRefreshToken;
  return {
    accessToken: response.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(response.expires_in !== undefined ? { expiresAt: new Date(now + response.expires_in * 1000).toISOString() } : {}),
    ...(response.refresh_token_expires_in !== undefined ? { refreshTokenExpiresAt: new Date(now + response.refresh_token_expires_in * 1000).toISOString() } : {}),
    ...(response.scope ? { scopes: response.scope.split(' ').filter(Boolean) } : {}),
  };
}
