import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { createHmac } from 'node:crypto';
import { headerLookup, type NetworkBudget } from '../budget';
import { NetworkError } from '../errors';
import { graphError, hasGraphError } from './errors';
import { untrustedJsonResponse } from '../untrusted-json';

export type GraphParamValue = string | number | boolean | object | undefined;
export type GraphParams = Record<string, GraphParamValue>;

export interface GraphTransportOptions {
  graphBaseUrl: string;
  apiVersion: string;
  appSecret: string;
  timeoutMs: number;
  budget?: NetworkBudget;
}

const READ_ATTEMPTS = 3;
const READ_RETRY_DELAY_MS = 100;

/** Structured params travel as JSON strings (§0). */
function encodeParams(params: GraphParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return out;
}

/**
 * HTTP to the Graph API: versioned paths, the token (with `appsecret_proof`) as a parameter, and
 * every failure turned into a NetworkError. Requests and errors are never logged here: URLs and
 * bodies carry tokens.
 */
export class GraphTransport {
  private readonly http: AxiosInstance;

  constructor(private readonly options: GraphTransportOptions) {
    this.http = axios.create({
      baseURL: `${options.graphBaseUrl.replace(/\/+$/, '')}/${options.apiVersion}/`,
      timeout: options.timeoutMs,
      validateStatus: () => true,
      // Graph answers JSON; keep axios from guessing at anything else.
      responseType: 'json',
      transformResponse: untrustedJsonResponse,
    });
  }

  /**
   * Reads are retried in place (twice, shortly) when Graph answers a transient error: a read has no
   * side effect, and one flaky read would otherwise fail a whole sweep page of many calls. Timeouts
   * and every other error go straight to the caller; writes are never repeated here. A GET with a
   * side effect (the single-use code exchange) passes `attempts = 1`.
   */
  async get<T>(path: string, token: string | undefined, params: GraphParams = {}, attempts = READ_ATTEMPTS): Promise<T> {
    const query = encodeParams({ ...params, ...this.credentials(token) });
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.send<T>(() => this.http.get(path, { params: query }));
      } catch (error) {
        const answeredTransient = error instanceof NetworkError && error.kind === 'transient' && error.httpStatus !== undefined;
        if (!answeredTransient || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_DELAY_MS * attempt));
      }
    }
  }

  /** Form-encoded POST, as the SDKs send writes. */
  async post<T>(path: string, token: string, params: GraphParams): Promise<T> {
    const body = encodeParams({ ...params, ...this.credentials(token) });
    // §5: each operation of a batch counts as a call.
    const cost = Array.isArray(params.batch) ? Math.max(1, params.batch.length) : 1;
    return this.send<T>(() => this.http.post(path, body.toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), cost);
  }

  /** JSON POST (Conversions API); the token rides in the body, not the URL. */
  async postJson<T>(path: string, token: string, body: Record<string, unknown>): Promise<T> {
    return this.send<T>(() => this.http.post(path, { ...body, ...this.credentials(token) }, { headers: { 'Content-Type': 'application/json' } }));
  }

  /**
   * A batch's usage headers ride on its items (the last item answered last, so it reports the
   * account's score after the whole batch); the budget reads them as it reads a plain answer's.
   */
  async observeItemHeaders(headers: { name: string; value: string }[] | undefined): Promise<void> {
    if (headers?.length) await this.options.budget?.after((name) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value);
  }

  /** `appsecret_proof` = HMAC-SHA256 of the token keyed with the app secret (§0); not for app tokens. */
  private credentials(token: string | undefined): GraphParams {
    if (!token) return {};
    if (token.includes('|') || !this.options.appSecret) return { access_token: token };
    return { access_token: token, appsecret_proof: createHmac('sha256', this.options.appSecret).update(token).digest('hex') };
  }

  private async send<T>(request: () => Promise<AxiosResponse<unknown>>, cost = 1): Promise<T> {
    const budget = this.options.budget;
    await budget?.before(cost);
    let response: AxiosResponse<unknown>;
    try {
      response = await request();
    } catch (error) {
      throw transportFailure(error);
    }
    const lookup = headerLookup(response.headers);
    const failed = response.status >= 400 || hasGraphError(response.data) ? graphError(response.status, response.data, lookup) : undefined;
    await budget?.after(lookup, failed);
    if (failed) throw failed;
    return response.data as T;
  }
}

/** Timeouts, resets and refused connections are worth a retry; the message leaves the URL out. */
function transportFailure(error: unknown): NetworkError {
  const code = error instanceof AxiosError ? (error.code ?? 'network_error') : 'network_error';
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  return new NetworkError('facebook', {
    kind: 'transient',
    code: timedOut ? 'timeout' : code,
    message: timedOut ? 'Graph API request timed out' : `Graph API request failed (${code})`,
  });
}
