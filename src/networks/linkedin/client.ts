import type { NetworkBudget } from '../budget';
import { isNetworkError } from '../errors';
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
import { CREATIVES_PAGE_MAX, listAds } from './ads';
import { writeCampaignUrlParameters } from './campaign-url-parameters';
import { checkConversionRule, listConversionRules, sendConversionEvents, type ConversionEventResult, type ConversionRule, type LinkedInConversionEvent } from './conversions';
import { RestliTransport, type CollectionResponse } from './http';
import { listLeadForms, listLeads } from './leads';
import { getAdMetrics } from './metrics';
import { LinkedInOAuth } from './oauth';
import { accountIdOf, buildQuery, List, Rec } from './restli';

export interface LinkedInClientOptions {
  /** API host, e.g. https://api.linkedin.com; the client adds `/rest` unless the URL already ends with it. */
  apiBaseUrl: string;
  /** OAuth host, e.g. https://www.linkedin.com; the client adds `/oauth/v2` unless the URL already ends with it. */
  oauthBaseUrl: string;
  /** LinkedIn-Version header, YYYYMM (e.g. "202608"); mandatory on every /rest call (§0). */
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  /** The shared rate budget this client's calls draw on; none = unmetered. */
  budget?: NetworkBudget;
}

interface AccountWire {
  id: number;
  name: string;
  currency?: string;
  status: string;
}

const ACCOUNT_STATUSES = ['ACTIVE', 'DRAFT', 'CANCELED', 'PENDING_DELETION'];

/** `https://api.linkedin.com` → `https://api.linkedin.com/rest` (idempotent). */
function withPath(base: string, path: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(path) ? trimmed : `${trimmed}${path}`;
}

/** LinkedIn Marketing API (versioned REST, Rest.li 2.0) behind the shared AdNetworkClient. */
export class LinkedInClient implements AdNetworkClient {
  readonly network = 'linkedin' as const;
  /**
   * Tracking parameters are one resource per campaign with no documented batch method: every
   * tracking write is its own PUT, so one write per call. Creatives page at most 100 (§2.5).
   */
  readonly limits = { writeBatchMax: 1, adsPageSizeMax: CREATIVES_PAGE_MAX };
  private readonly api: RestliTransport;
  private readonly oauth: LinkedInOAuth;

  constructor(options: LinkedInClientOptions) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.api = new RestliTransport({ apiBaseUrl: withPath(options.apiBaseUrl, '/rest'), apiVersion: options.apiVersion, timeoutMs, ...(options.budget ? { budget: options.budget } : {}) });
    this.oauth = new LinkedInOAuth({ oauthBaseUrl: withPath(options.oauthBaseUrl, '/oauth/v2'), clientId: options.clientId, clientSecret: options.clientSecret, timeoutMs });
  }

  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenSet> {
    return this.oauth.exchangeCode(input.code, input.redirectUri);
  }

  refreshToken(tokens: TokenSet): Promise<TokenSet> {
    return this.oauth.refresh(tokens);
  }

  /** §2.2 `adAccounts?q=search`: the accounts the member has a role on, every status but REMOVED. */
  async listAdAccounts(accessToken: string): Promise<AdAccountInfo[]> {
    const accounts: AdAccountInfo[] = [];
    let pageToken: string | undefined;
    do {
      const query = buildQuery({ q: 'search', search: Rec({ status: Rec({ values: List(...ACCOUNT_STATUSES) }) }), pageSize: 100, pageToken });
      const page = await this.api.get<CollectionResponse<AccountWire>>(accessToken, '/adAccounts', query);
      accounts.push(
        ...(page.elements ?? []).map((a) => ({
          externalId: String(a.id),
          name: a.name,
          ...(a.currency ? { currency: a.currency } : {}),
          businessId: null,
          status: a.status,
        })),
      );
      pageToken = page.metadata?.nextPageToken;
    } while (pageToken);
    return accounts;
  }

  listAds(accessToken: string, accountId: string, options: ListAdsOptions): Promise<Page<AdRecord>> {
    return listAds(this.api, accessToken, accountIdOf(accountId), options);
  }

  /**
   * One PUT per campaign on its adTrackingParameters resource, replacing the whole set. Invalid/forbidden
   * writes come back as failed results; auth, throttling and transient errors throw so the caller
   * retries the call — safe, because a whole-list replacement is idempotent.
   */
  async applyTracking(accessToken: string, accountId: string, writes: TrackingWrite[]): Promise<WriteResult[]> {
    accountIdOf(accountId); // validates the id; the resource is keyed by campaign alone
    const results: WriteResult[] = [];
    for (const write of writes) {
      if (write.network !== 'linkedin') {
        results.push({ key: write.key, ok: false, error: { kind: 'invalid', code: 'WRONG_NETWORK', message: `A ${write.network} write cannot be applied on LinkedIn` } });
        continue;
      }
      const campaignId = /^(?:urn:li:sponsoredCampaign:)?(\d+)$/.exec(write.campaignId)?.[1];
      if (!campaignId) {
        results.push({ key: write.key, ok: false, error: { kind: 'invalid', code: 'INVALID_CAMPAIGN_ID', message: `Not a LinkedIn campaign id: ${write.campaignId}` } });
        continue;
      }
      try {
        await writeCampaignUrlParameters(this.api, accessToken, campaignId, write.urlParameters);
        results.push({ key: write.key, ok: true });
      } catch (error) {
        if (!isNetworkError(error) || error.retryable || error.kind === 'auth') throw error;
        results.push({ key: write.key, ok: false, error: error.toInfo() });
      }
    }
    return results;
  }

  getAdMetrics(accessToken: string, accountId: string, query: MetricsQuery): Promise<Page<AdDayMetrics>> {
    return getAdMetrics(this.api, accessToken, accountIdOf(accountId), query);
  }

  listLeadForms(accessToken: string, accountId: string): Promise<LeadForm[]> {
    return listLeadForms(this.api, accessToken, accountIdOf(accountId));
  }

  listLeads(accessToken: string, accountId: string, options: ListLeadsOptions): Promise<Page<NetworkLead>> {
    return listLeads(this.api, accessToken, accountIdOf(accountId), options);
  }

  /** LinkedIn-specific (CONV-1): Conversions API events, BATCH_CREATE ≤ 5,000, per-event results. */
  sendConversionEvents(accessToken: string, events: LinkedInConversionEvent[]): Promise<ConversionEventResult[]> {
    return sendConversionEvents(this.api, accessToken, events);
  }

  /** `GET /rest/conversions/{id}?account=…` (§4.1): the rule must belong to this account. */
  checkConversionDestination(accessToken: string, accountId: string, ruleUrn: string): Promise<ConversionDestinationCheck> {
    return checkConversionRule(this.api, accessToken, accountIdOf(accountId), ruleUrn);
  }

  /** LinkedIn-specific: the account's conversion rules, for the admin to pick one (CONV-1). */
  listConversionRules(accessToken: string, accountId: string): Promise<ConversionRule[]> {
    return listConversionRules(this.api, accessToken, accountIdOf(accountId));
  }
}

