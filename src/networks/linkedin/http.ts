import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { headerLookup, type NetworkBudget } from '../budget';
import { errorFromResponse, errorFromTransport } from './errors';
import { untrustedJsonResponse } from '../untrusted-json';

/** §0: past ~4 KB LinkedIn answers 414; such queries are tunnelled through POST. */
const MAX_URL_LENGTH = 4_000;

export interface RestliTransportOptions {
  apiBaseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  budget?: NetworkBudget;
}

export interface CollectionResponse<T> {
  elements: T[];
  paging?: { start?: number; count?: number; total?: number };
  metadata?: { nextPageToken?: string };
}

export interface BatchGetResponse<T> {
  results?: Record<string, T>;
  statuses?: Record<string, number>;
  errors?: Record<string, unknown>;
}

/**
 * The versioned REST API (`/rest`): the headers every call needs (§0), hand-built Rest.li query
 * strings, query tunnelling for long URLs, and LinkedIn's error envelope mapped to NetworkError.
 */
export class RestliTransport {
  private readonly http: AxiosInstance;
  private readonly base: string;

  constructor(private readonly options: RestliTransportOptions) {
    this.base = options.apiBaseUrl.replace(/\/+$/, '');
    this.http = axios.create({ timeout: options.timeoutMs, validateStatus: () => true, maxRedirects: 0, transformResponse: untrustedJsonResponse });
  }

  private headers(accessToken: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      Authorization: `Bearer ${accessToken}`,
      'LinkedIn-Version': this.options.apiVersion,
      'X-Restli-Protocol-Version': '2.0.0',
      Accept: 'application/json',
      ...extra,
    };
  }

  private async exchange<T>(request: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
    const budget = this.options.budget;
    await budget?.before();
    let response: AxiosResponse<T>;
    try {
      response = await request();
    } catch (error) {
      throw errorFromTransport(error);
    }
    const failed = response.status >= 400 ? errorFromResponse(response.status, response.data, response.headers) : undefined;
    await budget?.after(headerLookup(response.headers), failed);
    if (failed) throw failed;
    return response;
  }

  /** GET `path?query`; `query` is an already-encoded Rest.li query string. */
  async get<T>(accessToken: string, path: string, query = ''): Promise<T> {
    const url = `${this.base}${path}${query ? `?${query}` : ''}`;
    if (url.length <= MAX_URL_LENGTH) {
      return (await this.exchange(() => this.http.get<T>(url, { headers: this.headers(accessToken) }))).data;
    }
    const response = await this.exchange(() =>
      this.http.post<T>(`${this.base}${path}`, query, {
        headers: this.headers(accessToken, { 'X-HTTP-Method-Override': 'GET', 'Content-Type': 'application/x-www-form-urlencoded' }),
      }),
    );
    return response.data;
  }

  /** PUT (Rest.li UPDATE) or DELETE on one entity. */
  async send(accessToken: string, method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number }> {
    const response = await this.exchange(() =>
      this.http.request({
        method,
        url: `${this.base}${path}`,
        ...(body === undefined ? {} : { data: body }),
        headers: this.headers(accessToken, body === undefined ? {} : { 'Content-Type': 'application/json' }),
      }),
    );
    return { status: response.status };
  }

  /** POST with an optional X-RestLi-Method (PARTIAL_UPDATE, BATCH_CREATE, ...). */
  async post<T = unknown>(accessToken: string, path: string, body: unknown, restliMethod?: string): Promise<{ status: number; data: T; headers: Record<string, unknown> }> {
    const response = await this.exchange(() =>
      this.http.post<T>(`${this.base}${path}`, body, {
        headers: this.headers(accessToken, { 'Content-Type': 'application/json', ...(restliMethod ? { 'X-RestLi-Method': restliMethod } : {}) }),
      }),
    );
    return { status: response.status, data: response.data, headers: response.headers };
  }
}
