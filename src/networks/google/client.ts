import { NetworkError, readDestination } from '../errors';
import type {
  AdAccountInfo,
  AdDayMetrics,
  AdNetworkClient,
  AdRecord,
  ConversionDestinationCheck,
  LeadForm,
  ListAdsOptions,
  ListLeadsOptions,
  MetricsQuery,
  NetworkLead,
  Page,
  TokenSet,
  TrackingWrite,
  WriteResult,
} from '../types';
import { MAX_CONVERSIONS_PER_UPLOAD, toClickConversionJson, type ConversionUploadResult, type GoogleClickConversion } from './conversions';
import { batchesWithoutRepeats, changedEntityFilters } from './changes';
import { decodeCursor, encodeCursor, type AdsCursor } from './cursor';
import { itemErrors, type GoogleRpcStatus } from './errors';
import { GoogleAdsHttp, type GoogleAdsClientOptions } from './http';
import {
  idFromResourceName,
  isDeliverable,
  toAccountInfo,
  toAdDayMetrics,
  toAdRecord,
  toLeadForm,
  toNetworkLead,
  type AdRow,
  type AssetRow,
  type CustomerClientRow,
  type CustomerRow,
  type LeadRow,
  type MetricsRow,
} from './mappers';
import {
  ACCOUNT_QUERY,
  adsQuery,
  CONVERSION_ACTIONS_QUERY,
  DELIVERABLE_FILTERS,
  digits,
  LEAD_FORMS_QUERY,
  leadsQuery,
  MANAGED_CLIENTS_QUERY,
  metricsQuery,
  TIME_ZONE_QUERY,
} from './queries';
import { toAccountDateTime } from './time';
import { toTokenSet, type TokenResponse } from './tokens';

/** Operations per mutate request (reference §3.3). */
export const MAX_MUTATE_OPERATIONS = 10_000;

interface MutateResponse {
  results?: { resourceName?: string }[];
  partialFailureError?: GoogleRpcStatus;
}

export interface GoogleConversionAction {
  id: string;
  name: string;
  type: string;
  status: string;
}

export class GoogleAdsClient implements AdNetworkClient {
  readonly network = 'google' as const;
  /** Mutates take 10,000 operations; search pages are fixed at 10,000 rows. */
  readonly limits = { writeBatchMax: MAX_MUTATE_OPERATIONS, adsPageSizeMax: 10_000 };
  private readonly http: GoogleAdsHttp;
  private readonly timeZones = new Map<string, string>();

  constructor(private readonly options: GoogleAdsClientOptions) {
    this.http = new GoogleAdsHttp(options);
  }

  async exchangeCode(input: { code: string; redirectUri: string; codeVerifier?: string }): Promise<TokenSet> {
    const fields: Record<string, string> = { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri };
    if (input.codeVerifier) fields.code_verifier = input.codeVerifier;
    return toTokenSet(await this.http.token<TokenResponse>(fields));
  }

  async refreshToken(tokens: TokenSet): Promise<TokenSet> {
    if (!tokens.refreshToken) throw new NetworkError('google', { kind: 'auth', code: 'NO_REFRESH_TOKEN', message: 'No refresh token stored; reconnect the account.' });
    // Google answers a refresh without a new refresh token: keep the one we have.
    return toTokenSet(await this.http.token<TokenResponse>({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken }), tokens.refreshToken);
  }

  /**
   * Accounts the user reaches directly (listAccessibleCustomers), managers left out; plus the client
   * accounts of the configured manager (login-customer-id), which per-account calls reach through it.
   */
  async listAdAccounts(accessToken: string): Promise<AdAccountInfo[]> {
    const { resourceNames = [] } = await this.http.get<{ resourceNames?: string[] }>(accessToken, '/customers:listAccessibleCustomers', 'none');
    const accounts = new Map<string, AdAccountInfo>();
    for (const resourceName of resourceNames) {
      const id = idFromResourceName(resourceName);
      if (!id) continue;
      let customer: CustomerRow['customer'];
      try {
        customer = (await this.http.search<CustomerRow>(accessToken, id, ACCOUNT_QUERY, undefined, 'none')).results?.[0]?.customer;
      } catch (error) {
        // Cancelled or otherwise unusable accounts answer with a permission error: not connectable.
        if (error instanceof NetworkError && (error.kind === 'permission' || error.kind === 'not_found')) continue;
        throw error;
      }
      if (!customer) continue;
      if (customer.timeZone) this.timeZones.set(id, customer.timeZone);
      if (!customer.manager) {
        accounts.set(id, toAccountInfo(customer));
      } else if (this.options.loginCustomerId && digits(this.options.loginCustomerId, 'login customer id') === id) {
        const clients = await this.http.searchAll<CustomerClientRow>(accessToken, id, MANAGED_CLIENTS_QUERY, { id });
        for (const row of clients) {
          const client = row.customerClient;
          if (client?.id && !accounts.has(client.id) && client.level !== '0') accounts.set(client.id, toAccountInfo(client));
        }
      }
    }
    return [...accounts.values()];
  }

  async listAds(accessToken: string, accountId: string, options: ListAdsOptions): Promise<Page<AdRecord>> {
    const customerId = digits(accountId, 'customer id');
    const listedAt = new Date().toISOString();
    const scopeFilters = options.scope === 'deliverable' ? DELIVERABLE_FILTERS : [];
    let cursor: AdsCursor | undefined = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (!cursor && options.updatedSince) {
      const timeZone = await this.timeZone(accessToken, customerId);
      const filters = await changedEntityFilters(this.http, accessToken, customerId, options.updatedSince, timeZone);
      if (filters !== 'full_listing') {
        if (filters.length === 0) return { items: [] };
        cursor = { mode: 'changes', filters };
      }
    }
    let rows: AdRow[];
    let next: AdsCursor | undefined;
    if (!cursor || cursor.mode === 'all') {
      const page = await this.http.search<AdRow>(accessToken, customerId, adsQuery(scopeFilters), cursor?.pageToken);
      rows = page.results ?? [];
      next = page.nextPageToken ? { mode: 'all', pageToken: page.nextPageToken } : undefined;
    } else {
      const [current = '', ...rest] = cursor.filters;
      const page = await this.http.search<AdRow>(accessToken, customerId, adsQuery([...scopeFilters, current]), cursor.pageToken);
      rows = page.results ?? [];
      next = page.nextPageToken
        ? { mode: 'changes', filters: cursor.filters, pageToken: page.nextPageToken }
        : rest.length > 0
          ? { mode: 'changes', filters: rest }
          : undefined;
    }
    let items = rows.map((row) => toAdRecord(customerId, row, listedAt));
    if (options.scope === 'deliverable') items = items.filter(isDeliverable);
    return { items, ...(next ? { nextCursor: encodeCursor(next) } : {}) };
  }

  private async timeZone(accessToken: string, customerId: string): Promise<string> {
    const cached = this.timeZones.get(customerId);
    if (cached) return cached;
    const page = await this.http.search<CustomerRow>(accessToken, customerId, TIME_ZONE_QUERY);
    const timeZone = page.results?.[0]?.customer?.timeZone ?? 'UTC';
    this.timeZones.set(customerId, timeZone);
    return timeZone;
  }

  /**
   * Campaign tracking template + custom parameters (whole-list replacement), partialFailure on, at most
   * 10,000 operations per request and each campaign at most once per request.
   */
  async applyTracking(accessToken: string, accountId: string, writes: TrackingWrite[]): Promise<WriteResult[]> {
    const customerId = digits(accountId, 'customer id');
    const results: WriteResult[] = new Array<WriteResult>(writes.length);
    const google: { write: Extract<TrackingWrite, { network: 'google' }>; index: number }[] = [];
    writes.forEach((write, index) => {
      if (write.network === 'google') google.push({ write, index });
      else results[index] = { key: write.key, ok: false, error: { kind: 'invalid', code: 'WRONG_NETWORK', message: `A ${write.network} write sent to Google Ads` } };
    });
    for (const batch of batchesWithoutRepeats(google, MAX_MUTATE_OPERATIONS, (g) => g.write.campaignId)) {
      const operations = batch.map(({ item: { write } }) => ({
        update: {
          resourceName: `customers/${customerId}/campaigns/${digits(write.campaignId, 'campaign id')}`,
          trackingUrlTemplate: write.trackingUrlTemplate,
          urlCustomParameters: write.urlCustomParameters.map((p) => ({ key: p.key, value: p.value })),
        },
        // Masked fields absent from the body would be cleared: both are always sent.
        updateMask: 'trackingUrlTemplate,urlCustomParameters',
      }));
      const response = await this.http.post<MutateResponse>(accessToken, `/customers/${customerId}/campaigns:mutate`, { operations, partialFailure: true });
      const failed = itemErrors(response.partialFailureError, 'operations');
      batch.forEach(({ item }, position) => {
        const error = failed.get(position);
        results[item.index] = error ? { key: item.write.key, ok: false, error } : { key: item.write.key, ok: true };
      });
    }
    return results;
  }

  async getAdMetrics(accessToken: string, accountId: string, query: MetricsQuery): Promise<Page<AdDayMetrics>> {
    const customerId = digits(accountId, 'customer id');
    const page = await this.http.search<MetricsRow>(accessToken, customerId, metricsQuery(query.from.slice(0, 10), query.to.slice(0, 10)), query.cursor);
    return { items: (page.results ?? []).map(toAdDayMetrics), ...(page.nextPageToken ? { nextCursor: page.nextPageToken } : {}) };
  }

  async listLeadForms(accessToken: string, accountId: string): Promise<LeadForm[]> {
    const rows = await this.http.searchAll<AssetRow>(accessToken, digits(accountId, 'customer id'), LEAD_FORMS_QUERY);
    return rows.map(toLeadForm);
  }

  async listLeads(accessToken: string, accountId: string, options: ListLeadsOptions): Promise<Page<NetworkLead>> {
    const customerId = digits(accountId, 'customer id');
    const formId = digits(options.formId, 'lead form id');
    const timeZone = await this.timeZone(accessToken, customerId);
    const since = options.since ? toAccountDateTime(new Date(options.since), timeZone) : undefined;
    const page = await this.http.search<LeadRow>(accessToken, customerId, leadsQuery(customerId, formId, since), options.cursor);
    return { items: (page.results ?? []).map((row) => toNetworkLead(row, timeZone)), ...(page.nextPageToken ? { nextCursor: page.nextPageToken } : {}) };
  }

  /** Conversion actions of the account; uploads need one of type UPLOAD_CLICKS (reference §4.2). */
  async listConversionActions(accessToken: string, customerId: string): Promise<GoogleConversionAction[]> {
    const rows = await this.http.searchAll<{ conversionAction?: Partial<GoogleConversionAction> }>(accessToken, digits(customerId, 'customer id'), CONVERSION_ACTIONS_QUERY);
    return rows.map(({ conversionAction: a }) => ({ id: a?.id ?? '', name: a?.name ?? '', type: a?.type ?? '', status: a?.status ?? '' }));
  }

  /**
   * The conversion action by its resource name among the customer's actions (GoogleAdsService search,
   * reference §4.2): uploads need it enabled and of type UPLOAD_CLICKS.
   */
  async checkConversionDestination(accessToken: string, customerId: string, resourceName: string): Promise<ConversionDestinationCheck> {
    const id = /^customers\/\d+\/conversionActions\/(\d+)$/.exec(resourceName)?.[1];
    return readDestination(`Conversion action ${resourceName}`, async () => {
      const action = id === undefined ? undefined : (await this.listConversionActions(accessToken, customerId)).find((a) => a.id === id);
      if (!action || action.status === 'REMOVED') return { ok: false, problem: 'not_found', message: `Conversion action ${resourceName} does not exist in customer ${customerId}.` };
      if (action.type !== 'UPLOAD_CLICKS' || action.status !== 'ENABLED') {
        return { ok: false, problem: 'not_usable', message: `Conversion action ${resourceName} is ${action.status} of type ${action.type}; uploads need an enabled UPLOAD_CLICKS action.` };
      }
      return { ok: true };
    });
  }

  /**
   * customers/{id}:uploadClickConversions with partialFailure (required), ≤ 2,000 per request.
   * Google-specific: the shared interface has no conversion upload. Results follow the input order.
   */
  async uploadClickConversions(accessToken: string, customerId: string, conversions: GoogleClickConversion[]): Promise<ConversionUploadResult[]> {
    const cid = digits(customerId, 'customer id');
    const results: ConversionUploadResult[] = [];
    for (let start = 0; start < conversions.length; start += MAX_CONVERSIONS_PER_UPLOAD) {
      const chunk = conversions.slice(start, start + MAX_CONVERSIONS_PER_UPLOAD);
      const response = await this.http.post<MutateResponse>(accessToken, `/customers/${cid}:uploadClickConversions`, {
        conversions: chunk.map((c) => toClickConversionJson(cid, c)),
        partialFailure: true,
      });
      const failed = itemErrors(response.partialFailureError, 'conversions');
      chunk.forEach((_c, i) => {
        const error = failed.get(i);
        results.push(error ? { index: start + i, ok: false, error } : { index: start + i, ok: true });
      });
    }
    return results;
  }
}
