import axios, { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { headerLookup, type NetworkBudget } from '../budget';
import { toNetworkError } from './errors';
import { untrustedJsonResponse } from '../untrusted-json';

/** Connection settings; all URLs and credentials come from configuration. */
export interface GoogleAdsClientOptions {
  /** e.g. https://googleads.googleapis.com */
  apiBaseUrl: string;
  /** Major version in the path, e.g. "v22" (reference §1.3: keep it a config value). */
  apiVersion: string;
  /** e.g. https://oauth2.googleapis.com/token */
  oauthTokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as the developer-token header when non-empty (optional after Google's 2026-09-09 sunset). */
  developerToken?: string;
  /** Manager (MCC) id, digits only, sent as login-customer-id on per-account calls. */
  loginCustomerId?: string;
  timeoutMs?: number;
  /** The shared rate budget this client's API calls draw on (not OAuth); none = unmetered. */
  budget?: NetworkBudget;
}

export interface SearchPage<Row> {
  results?: Row[];
  nextPageToken?: string;
  fieldMask?: string;
}

/** Per-call choice of the login-customer-id header: the configured manager, a given id, or none. */
export type LoginCustomer = 'configured' | 'none' | { id: string };

/** Thin JSON transport: auth headers, timeouts and error mapping; no retries (callers decide). */
export class GoogleAdsHttp {
  private readonly api: AxiosInstance;
  private readonly oauth: AxiosInstance;

  constructor(private readonly options: GoogleAdsClientOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    this.api = axios.create({ baseURL: `${options.apiBaseUrl.replace(/\/+$/, '')}/${options.apiVersion}`, timeout, transformResponse: untrustedJsonResponse });
    this.oauth = axios.create({ timeout });
  }

  private headers(accessToken: string, login: LoginCustomer): Record<string, string> {
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
    if (this.options.developerToken) headers['developer-token'] = this.options.developerToken;
    const loginId = login === 'configured' ? this.options.loginCustomerId : login === 'none' ? undefined : login.id;
    if (loginId) headers['login-customer-id'] = loginId.replace(/-/g, '');
    return headers;
  }

  get<T>(accessToken: string, path: string, login: LoginCustomer = 'configured'): Promise<T> {
    return this.metered(() => this.api.get<T>(path, { headers: this.headers(accessToken, login) }));
  }

  post<T>(accessToken: string, path: string, body: unknown, login: LoginCustomer = 'configured'): Promise<T> {
    return this.metered(() => this.api.post<T>(path, body, { headers: this.headers(accessToken, login) }));
  }

  private async metered<T>(request: () => Promise<AxiosResponse<T>>): Promise<T> {
    const budget = this.options.budget;
    await budget?.before();
    try {
      const response = await request();
      await budget?.after(headerLookup(response.headers));
      return response.data;
    } catch (error) {
      const failure = toNetworkError(error);
      await budget?.after(headerLookup(isAxiosError(error) ? (error.response?.headers) : undefined), failure);
      throw failure;
    }
  }

  /** One page of googleAds:search (page size is fixed by Google; reference §2.2). */
  search<Row>(accessToken: string, customerId: string, query: string, pageToken?: string, login: LoginCustomer = 'configured'): Promise<SearchPage<Row>> {
    return this.post<SearchPage<Row>>(accessToken, `/customers/${customerId}/googleAds:search`, { query, ...(pageToken ? { pageToken } : {}) }, login);
  }

  /** Every page of a query, for small result sets (accounts, forms). */
  async searchAll<Row>(accessToken: string, customerId: string, query: string, login: LoginCustomer = 'configured'): Promise<Row[]> {
    const rows: Row[] = [];
    let pageToken: string | undefined;
    do {
      const page: SearchPage<Row> = await this.search<Row>(accessToken, customerId, query, pageToken, login);
      rows.push(...(page.results ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return rows;
  }

  /** Form-encoded POST to the OAuth token endpoint. */
  async token<T>(form: Record<string, string>): Promise<T> {
    try {
      const body = new URLSearchParams({ ...form, client_id: this.options.clientId, client_secret: this.options.clientSecret });
      return (await this.oauth.post<T>(this.options.oauthTokenUrl, body.toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).data;
    } catch (error) {
      throw toNetworkError(error);
    }
  }
}
