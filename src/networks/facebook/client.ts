import type { NetworkBudget } from '../budget';
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
import { listChangedAdsBatch, type ChangedAdsByAccount } from './changed-ads';
import { AD_FIELDS, ALL_AD_STATUSES, DELIVERABLE_STATUSES, actAccountId, isoFromGraphTime, toAdRecord, type GraphAd } from './ad-mapping';
import { CONVERSIONS_MAX_EVENTS, type FacebookServerEvent, type SendEventsResult } from './conversions';
import { GraphTransport, type GraphParams } from './graph-transport';
import { ENGAGEMENT_ACTION_TYPES, sumActions, toDayMetrics, type GraphInsightRow } from './insights';
import { BATCH_MAX_OPERATIONS, applyFacebookTracking } from './tracking-writes';

export interface FacebookClientOptions {
  /** `https://graph.facebook.com` (no version). */
  graphBaseUrl: string;
  /** `v25.0` */
  apiVersion: string;
  appId: string;
  appSecret: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** The shared rate budget this client's calls draw on; none = unmetered (the API process's one-off reads). */
  budget?: NetworkBudget;
}

interface GraphList<T> {
  data: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string };
}

interface GraphTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
}

interface GraphAccount {
  id: string;
  account_id?: string;
  name?: string;
  account_status?: number;
  currency?: string;
  timezone_name?: string;
  business?: { id: string; name?: string };
}

interface GraphLead {
  id: string;
  created_time: string;
  ad_id?: string;
  adset_id?: string;
  campaign_id?: string;
  form_id?: string;
  is_organic?: boolean;
  field_data?: { name: string; values?: string[] }[];
}

/** `/debug_token` as this client reports it (§1.4). */
export interface FacebookTokenDebug {
  isValid: boolean;
  type?: string;
  appId?: string;
  userId?: string;
  /** ISO time; absent when the token never expires (`expires_at: 0`). */
  expiresAt?: string;
  dataAccessExpiresAt?: string;
  scopes: string[];
  error?: { code: number; subcode?: number; message: string };
}

const LEAD_FIELDS = 'id,created_time,ad_id,adset_id,campaign_id,form_id,field_data,is_organic,platform';
const ADS_PAGE_SIZE_MAX = 100;
const DEFAULT_TIMEOUT_MS = 30_000;

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const isoFromUnix = (seconds: number) => new Date(seconds * 1000).toISOString();
/** `next` decides whether another page exists; a short page is not the end (§0). */
const nextCursorOf = (list: GraphList<unknown>) => (list.paging?.next ? list.paging.cursors?.after : undefined);

/** The Meta Marketing / Graph API client (reference: facebook-marketing-api.md). */
export class FacebookClient implements AdNetworkClient {
  readonly network = 'facebook' as const;
  readonly limits = { writeBatchMax: BATCH_MAX_OPERATIONS, adsPageSizeMax: ADS_PAGE_SIZE_MAX, changedAdsAccountsMax: BATCH_MAX_OPERATIONS };
  static readonly conversionsMaxEvents = CONVERSIONS_MAX_EVENTS;
  private readonly graph: GraphTransport;

  constructor(private readonly options: FacebookClientOptions) {
    this.graph = new GraphTransport({
      graphBaseUrl: options.graphBaseUrl,
      apiVersion: options.apiVersion,
      appSecret: options.appSecret,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.budget ? { budget: options.budget } : {}),
    });
  }

  /**
   * Code → short-lived user token → long-lived (~60 day) token (§1.2, §1.3), with its scopes. The code
   * is single-use: its request is sent once, never repeated on a 5xx (Graph may have spent it already).
   */
  async exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenSet> {
    const short = await this.graph.get<GraphTokenResponse>(
      'oauth/access_token',
      undefined,
      { client_id: this.options.appId, client_secret: this.options.appSecret, redirect_uri: input.redirectUri, code: input.code },
      1,
    );
    const long = await this.extend(short.access_token);
    const debug = await this.debugToken(long.accessToken);
    return { ...long, ...(debug.scopes.length > 0 ? { scopes: debug.scopes } : {}) };
  }

  /** Facebook has no refresh token: a still-valid token is exchanged for a fresh long-lived one. */
  async refreshToken(tokens: TokenSet): Promise<TokenSet> {
    const extended = await this.extend(tokens.accessToken);
    return { ...extended, ...(tokens.scopes ? { scopes: tokens.scopes } : {}) };
  }

  async debugToken(inputToken: string): Promise<FacebookTokenDebug> {
    const { data } = await this.graph.get<{ data: Record<string, unknown> }>('debug_token', `${this.options.appId}|${this.options.appSecret}`, { input_token: inputToken });
    const expiresAt = Number(data.expires_at ?? 0);
    const dataAccess = Number(data.data_access_expires_at ?? 0);
    const error = data.error as { code: number; subcode?: number; message: string } | undefined;
    return {
      isValid: data.is_valid === true,
      ...(typeof data.type === 'string' ? { type: data.type } : {}),
      ...(typeof data.app_id === 'string' ? { appId: data.app_id } : {}),
      ...(typeof data.user_id === 'string' ? { userId: data.user_id } : {}),
      ...(expiresAt > 0 ? { expiresAt: isoFromUnix(expiresAt) } : {}),
      ...(dataAccess > 0 ? { dataAccessExpiresAt: isoFromUnix(dataAccess) } : {}),
      scopes: Array.isArray(data.scopes) ? data.scopes.map(String) : [],
      ...(error ? { error: { code: error.code, ...(error.subcode !== undefined ? { subcode: error.subcode } : {}), message: error.message } } : {}),
    };
  }

  async listAdAccounts(accessToken: string): Promise<AdAccountInfo[]> {
    const accounts = await this.readAll<GraphAccount>('me/adaccounts', accessToken, {
      fields: 'id,account_id,name,account_status,currency,timezone_name,business{id,name}',
      limit: 50,
    });
    return accounts.map((account) => ({
      externalId: actAccountId(account.account_id ?? account.id),
      name: account.name ?? '',
      ...(account.currency ? { currency: account.currency } : {}),
      ...(account.timezone_name ? { timezone: account.timezone_name } : {}),
      // CONV-3: no `business` = not owned by a Business Manager.
      businessId: account.business?.id ?? null,
      status: String(account.account_status ?? ''),
    }));
  }

  async listAds(accessToken: string, accountId: string, options: ListAdsOptions): Promise<Page<AdRecord>> {
    const act = actAccountId(accountId);
    const list = await this.graph.get<GraphList<GraphAd>>(`${act}/ads`, accessToken, {
      fields: AD_FIELDS,
      effective_status: options.scope === 'deliverable' ? DELIVERABLE_STATUSES : ALL_AD_STATUSES,
      limit: Math.min(options.pageSize ?? 50, ADS_PAGE_SIZE_MAX),
      after: options.cursor,
      updated_since: options.updatedSince ? unixSeconds(options.updatedSince) : undefined,
    });
    const engagements = await this.engagementsOf(accessToken, act, list.data.map((ad) => ad.id));
    const nextCursor = nextCursorOf(list);
    return { items: list.data.map((ad) => toAdRecord(act, ad, engagements.get(ad.id) ?? 0)), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** The ads watcher's check of up to 50 accounts in one batch request (changed-ads.ts). */
  async listChangedAds(accessToken: string, accountIds: readonly string[], options: { updatedSince: string; pageSize: number }): Promise<ChangedAdsByAccount> {
    return listChangedAdsBatch(this.graph, accessToken, accountIds, options, this.options.budget);
  }

  async applyTracking(accessToken: string, accountId: string, writes: TrackingWrite[]): Promise<WriteResult[]> {
    return applyFacebookTracking(this.graph, accessToken, accountId, writes);
  }

  /** Ad-level daily insights (§6). */
  async getAdMetrics(accessToken: string, accountId: string, query: MetricsQuery): Promise<Page<AdDayMetrics>> {
    const list = await this.graph.get<GraphList<GraphInsightRow>>(`${actAccountId(accountId)}/insights`, accessToken, {
      level: 'ad',
      fields: 'ad_id,impressions,clicks,spend,actions',
      time_range: { since: query.from, until: query.to },
      time_increment: 1,
      limit: 500,
      after: query.cursor,
    });
    const nextCursor = nextCursorOf(list);
    return { items: list.data.map(toDayMetrics), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Lead forms of the Pages the ad account advertises for (§7.1). */
  async listLeadForms(accessToken: string, accountId: string): Promise<LeadForm[]> {
    // unconfirmed: AdAccount edge `promote_pages` to find the account's Pages (not in the reference).
    const pages = await this.readAll<{ id: string }>(`${actAccountId(accountId)}/promote_pages`, accessToken, { fields: 'id', limit: 100 });
    const forms = new Map<string, LeadForm>();
    for (const page of pages) {
      const pageForms = await this.readAll<{ id: string; name?: string; status?: string }>(`${page.id}/leadgen_forms`, accessToken, { fields: 'id,name,status', limit: 100 });
      for (const form of pageForms) forms.set(form.id, { formId: form.id, name: form.name ?? '', status: form.status ?? '' });
    }
    return [...forms.values()];
  }

  async listLeads(accessToken: string, _accountId: string, options: ListLeadsOptions): Promise<Page<NetworkLead>> {
    const list = await this.graph.get<GraphList<GraphLead>>(`${options.formId}/leads`, accessToken, {
      fields: LEAD_FIELDS,
      filtering: options.since ? [{ field: 'time_created', operator: 'GREATER_THAN_OR_EQUAL', value: unixSeconds(options.since) }] : undefined,
      limit: Math.min(options.pageSize ?? 100, 500),
      after: options.cursor,
    });
    const nextCursor = nextCursorOf(list);
    return { items: list.data.map((lead) => toNetworkLead(lead, options.formId)), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Conversions API (§8): up to 1000 events; one invalid event rejects the request. */
  async sendEvents(accessToken: string, pixelId: string, events: FacebookServerEvent[], options: { testEventCode?: string } = {}): Promise<SendEventsResult> {
    if (events.length === 0 || events.length > CONVERSIONS_MAX_EVENTS) {
      throw new NetworkError('facebook', { kind: 'invalid', code: 'event_count', message: `send 1 to ${CONVERSIONS_MAX_EVENTS} events per request (got ${events.length})` });
    }
    const result = await this.graph.postJson<{ events_received?: number; messages?: unknown[]; fbtrace_id?: string }>(`${pixelId}/events`, accessToken, {
      data: events,
      ...(options.testEventCode ? { test_event_code: options.testEventCode } : {}),
    });
    return { eventsReceived: result.events_received ?? 0, messages: result.messages ?? [], ...(result.fbtrace_id ? { fbtraceId: result.fbtrace_id } : {}) };
  }

  /** `GET /{pixel-id}` (the dataset the Conversions API posts to): Graph answers 100/33 when it is missing or out of the token's reach. */
  async checkConversionDestination(accessToken: string, _accountId: string, pixelId: string): Promise<ConversionDestinationCheck> {
    if (!/^\d+$/.test(pixelId)) return { ok: false, problem: 'not_found', message: `"${pixelId}" is not a pixel id.` };
    return readDestination(`Pixel ${pixelId}`, async () => {
      await this.graph.get<{ id: string }>(pixelId, accessToken, { fields: 'id' });
      return { ok: true };
    });
  }

  private async extend(token: string): Promise<TokenSet> {
    const long = await this.graph.get<GraphTokenResponse>('oauth/access_token', undefined, {
      grant_type: 'fb_exchange_token',
      client_id: this.options.appId,
      client_secret: this.options.appSecret,
      fb_exchange_token: token,
    });
    return {
      accessToken: long.access_token,
      ...(long.expires_in ? { expiresAt: new Date(Date.now() + long.expires_in * 1000).toISOString() } : {}),
    };
  }

  /** TRK-4 engagements from lifetime ad insights, one paged call per page of ads. */
  private async engagementsOf(accessToken: string, act: string, adIds: string[]): Promise<Map<string, number>> {
    if (adIds.length === 0) return new Map();
    // unconfirmed: insights `filtering` on `ad.id` with IN (the reference lists `filtering` as a param).
    const rows = await this.readAll<GraphInsightRow>(`${act}/insights`, accessToken, {
      level: 'ad',
      fields: 'ad_id,actions',
      date_preset: 'maximum',
      filtering: [{ field: 'ad.id', operator: 'IN', value: adIds }],
      limit: 500,
    });
    const out = new Map<string, number>();
    for (const row of rows) if (row.ad_id) out.set(row.ad_id, (out.get(row.ad_id) ?? 0) + sumActions(row.actions, ENGAGEMENT_ACTION_TYPES));
    return out;
  }

  /** Follows `paging.next` (as cursors) to the end of an edge. */
  private async readAll<T>(path: string, accessToken: string, params: GraphParams): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    do {
      const list = await this.graph.get<GraphList<T>>(path, accessToken, { ...params, after });
      items.push(...list.data);
      after = nextCursorOf(list);
    } while (after);
    return items;
  }
}

function toNetworkLead(lead: GraphLead, formId: string): NetworkLead {
  return {
    network: 'facebook',
    leadId: lead.id,
    formId: lead.form_id ?? formId,
    ...(lead.ad_id ? { adId: lead.ad_id } : {}),
    ...(lead.adset_id ? { adGroupId: lead.adset_id } : {}),
    ...(lead.campaign_id ? { campaignId: lead.campaign_id } : {}),
    createdTime: isoFromGraphTime(lead.created_time),
    // Organic submissions carry no ad ids (§7.2) even if is_organic were missing.
    isOrganic: lead.is_organic ?? !lead.ad_id,
    fields: Object.fromEntries((lead.field_data ?? []).map((field) => [field.name, (field.values ?? []).join(', ')])),
  };
}
