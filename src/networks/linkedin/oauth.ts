import axios, { type AxiosInstance } from 'axios';
import { NetworkError } from '../errors';
import type { TokenSet } from '../types';
import { errorFromResponse, errorFromTransport } from './errors';

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
}

export interface OAuthOptions {
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/** §1: `POST {oauth}/accessToken`, form-encoded, for both the code exchange and the refresh grant. */
export class LinkedInOAuth {
  private readonly http: AxiosInstance;

  constructor(private readonly options: OAuthOptions) {
    this.http = axios.create({ timeout: options.timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  exchangeCode(code: string, redirectUri: string): Promise<TokenSet> {
    return this.request({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  /**
   * §1: a refresh returns a new 60-day access token; the refresh token keeps its original
   * 365-day clock, so its reported lifetime shrinks. When it is gone the member must re-authorize.
   */
  async refresh(tokens: TokenSet): Promise<TokenSet> {
    if (!tokens.refreshToken) {
      throw new NetworkError('linkedin', { kind: 'auth', code: 'NO_REFRESH_TOKEN', message: 'No LinkedIn refresh token; the member must authorize again' });
    }
    const refreshed = await this.request({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    const refreshTokenExpiresAt = refreshed.refreshTokenExpiresAt ?? tokens.refreshTokenExpiresAt;
    return {
      ...refreshed,
      refreshToken: refreshed.refreshToken ?? tokens.refreshToken,
      ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
    };
  }

  private async request(fields: Record<string, string>): Promise<TokenSet> {
    const body = new URLSearchParams({ ...fields, client_id: this.options.clientId, client_secret: this.options.clientSecret });
    const url = `${this.options.oauthBaseUrl.replace(/\/+$/, '')}/accessToken`;
    let response;
    try {
      response = await this.http.post<TokenResponse>(url, body.toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
    } catch (error) {
      throw errorFromTransport(error);
    }
    if (response.status >= 400) throw errorFromResponse(response.status, response.data, response.headers);
    const data = response.data;
    if (typeof data?.access_token !== 'string') {
      throw new NetworkError('linkedin', { kind: 'transient', code: 'BAD_TOKEN_RESPONSE', message: 'LinkedIn token response carried no access_token', httpStatus: response.status });
    }
    const now = Date.now();
    return {
      accessToken: data.access_token,
      ...(data.refresh_token ? { refreshToken: data.refresh_token } : {}),
      ...(typeof data.expires_in === 'number' ? { expiresAt: new Date(now + data.expires_in * 1000).toISOString() } : {}),
      ...(typeof data.refresh_token_expires_in === 'number' ? { refreshTokenExpiresAt: new Date(now + data.refresh_token_expires_in * 1000).toISOString() } : {}),
      // §1: granted scopes come back comma-separated.
      ...(data.scope ? { scopes: data.scope.split(/[ ,]+/).filter(Boolean) } : {}),
    };
  }
}
