/** Run-time knobs a test can change with PUT /_sandbox/config. */
export interface GoogleSandboxConfig {
  /** Rows per search page; Google fixes it at 10,000 (a test knob here, reference "What an emulator must model" 5). */
  searchPageSize: number;
  /** Uploads of clicks younger than this fail with TOO_RECENT_EVENT (Google: 6 hours). */
  minClickAgeSeconds: number;
  /** Daily (sliding 24 h) operation quota; null = Standard access (unlimited). */
  dailyOperationLimit: number | null;
  /** Requests per customer per minute before RESOURCE_TEMPORARILY_EXHAUSTED; null = unlimited. */
  requestsPerMinutePerCustomer: number | null;
  /** API versions served; others fail with UNSUPPORTED_VERSION. */
  minVersion: number;
  maxVersion: number;
  /** Before the 2026-09-09 sunset the developer-token header is mandatory; after it, optional. */
  developerTokenRequired: boolean;
  /** When set, a developer-token header must equal it. */
  developerToken: string | null;
  accessTokenTtlSeconds: number;
  /** Refresh tokens of apps in OAuth "testing" status expire (7 days); null = never. */
  refreshTokenTtlSeconds: number | null;
  /** Delays between webhook attempts after a non-2xx answer. */
  webhookRetryDelaysMs: number[];
  /** Share (0..1) of webhook deliveries sent twice, and of deliveries never sent. */
  webhookDuplicateRate: number;
  webhookDropRate: number;
}

export function defaultConfig(): GoogleSandboxConfig {
  return {
    searchPageSize: 10_000,
    minClickAgeSeconds: 6 * 3600,
    dailyOperationLimit: null,
    requestsPerMinutePerCustomer: null,
    minVersion: 17,
    maxVersion: 26,
    developerTokenRequired: false,
    developerToken: null,
    accessTokenTtlSeconds: 3599,
    refreshTokenTtlSeconds: null,
    webhookRetryDelaysMs: [200, 1000, 3000],
    webhookDuplicateRate: 0,
    webhookDropRate: 0,
  };
}
