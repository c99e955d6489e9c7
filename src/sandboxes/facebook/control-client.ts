import type { FaultConfig } from '../kit/faults';
import type { LoggedRequest } from '../kit/request-log';
import type { AdStatusInput } from './advertiser';
import type { ClickResult } from './click';
import type { describeAd } from './control-helpers';
import type { RecordedEvent, RejectedRequest } from './conversions';
import type { SeedRequest, SeedSummary } from './seed';
import type { UsageMeter } from './usage';
import type { Delivery, WebhookConfig } from './webhook';
import type { AdKind, Lead, Placement } from './world';

export type SandboxAd = ReturnType<typeof describeAd>;
type UsageScoring = ReturnType<UsageMeter['describe']>;
export type UsageRules = UsageScoring['rules'];
/** GET /_sandbox/usage: app-level counts, BUC refusals per account and each account's points. */
export interface SandboxUsage {
  app: unknown;
  accountRefusals: Record<string, number>;
  scoring: UsageScoring;
}

export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
}

export interface GraphListBody<T> {
  data: T[];
  paging?: { cursors?: { before: string; after: string }; next?: string; previous?: string };
}

/** A typed caller of the Facebook sandbox's control API, for tests, the launcher and demos. */
export class FacebookSandboxControl {
  constructor(
    readonly baseUrl: string,
    private readonly app: { id: string; secret: string },
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
    return json;
  }

  reset = () => this.call<{ ok: boolean }>('POST', '/_sandbox/reset');
  seed = (request: Partial<SeedRequest>) => this.call<SeedSummary>('POST', '/_sandbox/seed', request);
  issueCode = async (input: { user: string; redirectUri: string; accountIds?: string[]; scopes?: string[] }) =>
    (await this.call<{ code: string }>('POST', '/_sandbox/oauth/codes', input)).code;
  revoke = (input: { accessToken?: string; user?: string; reason?: 'logout' | 'password_changed' | 'app_removed' }) =>
    this.call<{ revoked: number }>('POST', '/_sandbox/tokens/revoke', input);
  advanceClock = (advanceSeconds: number) => this.call<{ now: number }>('POST', '/_sandbox/clock', { advanceSeconds });
  setAccessTier = (tier: 'development' | 'standard') => this.call<{ tier: string }>('PUT', '/_sandbox/access-tier', { tier });
  setFaults = (faults: Partial<FaultConfig>) => this.call<FaultConfig>('PUT', '/_sandbox/faults', faults);
  clearFaults = () => this.call<FaultConfig>('DELETE', '/_sandbox/faults');
  clearRequests = () => this.call<{ ok: boolean }>('DELETE', '/_sandbox/requests');
  requests = async (endpoint?: string) =>
    (await this.call<{ requests: LoggedRequest[] }>('GET', `/_sandbox/requests${endpoint ? `?endpoint=${encodeURIComponent(endpoint)}` : ''}`)).requests;
  createAd = (input: { accountId: string; kind: AdKind; campaignId?: string; name?: string; status?: AdStatusInput; landingUrl?: string; urlTags?: string; engagements?: number }) =>
    this.call<SandboxAd>('POST', '/_sandbox/ads', input);
  createAds = (input: { accountId: string; count: number; kind?: AdKind; status?: AdStatusInput; namePrefix?: string; landingBaseUrl?: string }) =>
    this.call<{ ids: string[] }>('POST', '/_sandbox/ads/bulk', input);
  /** `{}` restores the tier's own numbers. */
  scaleUsageScoring = (rules: { maxScore?: number; decaySeconds?: number; blockSeconds?: number }) =>
    this.call<UsageRules>('PUT', '/_sandbox/usage-scoring', rules);
  usage = () => this.call<SandboxUsage>('GET', '/_sandbox/usage');
  ad = (adId: string) => this.call<SandboxAd>('GET', `/_sandbox/ads/${adId}`);
  renameCampaign = (campaignId: string, name: string) => this.call<{ id: string; name: string }>('POST', `/_sandbox/campaigns/${campaignId}/rename`, { name });
  removeParam = (adId: string, key: string) => this.call<{ removed: boolean; ad: SandboxAd }>('POST', `/_sandbox/ads/${adId}/remove-param`, { key });
  setLandingUrl = (adId: string, url: string) => this.call<SandboxAd>('POST', `/_sandbox/ads/${adId}/landing-url`, { url });
  setStatus = (adId: string, status: AdStatusInput) => this.call<SandboxAd>('POST', `/_sandbox/ads/${adId}/status`, { status });
  approve = (adId: string, approve = true) => this.call<SandboxAd>('POST', `/_sandbox/ads/${adId}/approve`, { approve });
  setEngagements = (adId: string, count: number) => this.call<SandboxAd>('POST', `/_sandbox/ads/${adId}/engagements`, { count });
  click = (adId: string, options: { placement?: Placement; card?: number } = {}) => this.call<ClickResult>('POST', `/_sandbox/ads/${adId}/click`, options);
  pushLeads = (input: { formId: string; count?: number; leads?: { email?: string; fullName?: string; phone?: string; adId?: string; organic?: boolean }[] }) =>
    this.call<{ leads: (Omit<Lead, 'createdTime'> & { createdTime: string })[] }>('POST', '/_sandbox/leads', input);
  leads = async (formId?: string) =>
    (await this.call<{ leads: (Omit<Lead, 'createdTime'> & { createdTime: string })[] }>('GET', `/_sandbox/leads${formId ? `?formId=${formId}` : ''}`)).leads;
  configureWebhook = (config: Partial<WebhookConfig> & { url: string }) => this.call<unknown>('PUT', '/_sandbox/webhook', config);
  webhook = () => this.call<{ configured: boolean; deliveries: Omit<Delivery, 'body'>[] }>('GET', '/_sandbox/webhook');
  verifyWebhook = () => this.call<{ ok: boolean; status?: number; challenge: string; echoed?: string }>('POST', '/_sandbox/webhook/verify');
  conversions = (pixelId?: string) =>
    this.call<{ accepted: RecordedEvent[]; rejected: RejectedRequest[] }>('GET', `/_sandbox/conversions${pixelId ? `?pixelId=${pixelId}` : ''}`);
  state = () => this.call<Record<string, unknown>>('GET', '/_sandbox/state');

  /**
   * A raw Graph call, for contract tests: GET params go in the query, POST params form-encoded
   * (objects as JSON strings, as the SDKs send them) unless `json` is set.
   */
  async graph<T = unknown>(
    method: string,
    path: string,
    params: Record<string, unknown> = {},
    options: { json?: boolean; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; body: T }> {
    const encoded = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) encoded.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    const isGet = method === 'GET' || method === 'DELETE';
    const query = encoded.toString();
    const response = await fetch(`${this.baseUrl}${path}${isGet && query ? `?${query}` : ''}`, {
      method,
      headers: { ...(isGet ? {} : { 'Content-Type': options.json ? 'application/json' : 'application/x-www-form-urlencoded' }), ...options.headers },
      ...(isGet ? {} : { body: options.json ? JSON.stringify(params) : query }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON; keep the text
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /** Runs the real OAuth flow (code → short-lived → long-lived) and returns the long-lived token. */
  async loginAs(user: string, options: { redirectUri?: string; accountIds?: string[]; scopes?: string[]; version?: string } = {}): Promise<string> {
    const redirectUri = options.redirectUri ?? 'https://app.example/oauth/facebook/callback';
    const code = await this.issueCode({ user, redirectUri, ...(options.accountIds ? { accountIds: options.accountIds } : {}), ...(options.scopes ? { scopes: options.scopes } : {}) });
    const version = options.version ?? 'v25.0';
    const credentials = { client_id: this.app.id, client_secret: this.app.secret };
    const exchange = (params: Record<string, string>) =>
      this.call<{ access_token: string }>('GET', `/${version}/oauth/access_token?${new URLSearchParams({ ...credentials, ...params }).toString()}`);
    const short = await exchange({ redirect_uri: redirectUri, code });
    const long = await exchange({ grant_type: 'fb_exchange_token', fb_exchange_token: short.access_token });
    return long.access_token;
  }
}
