import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting the service reads, validated once at start. A bad or missing value stops the process
 * with a message naming the variable (see `ConfigError`). Defaults describe the embedded dev stack.
 */
const port = z.coerce.number().int().min(1).max(65_535);
const url = z.url({ protocol: /^https?$/ });
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `ENCRYPTION_KEYS` = "id1:base64key,id2:base64key"; the first key encrypts, all of them decrypt. */
const encryptionKeys = z
  .string()
  .min(1)
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [id, material] = part.split(':');
      const key = material ? Buffer.from(material, 'base64') : Buffer.alloc(0);
      if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'expected "keyId:<32 bytes in base64>" entries separated by commas' });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
      return z.NEVER;
    }
    return keys;
  });

/**
 * `TRUST_PROXY` = the reverse proxies whose X-Forwarded-For the API believes (Express's `trust proxy`
 * list: addresses, CIDR subnets, or the names loopback / linklocal / uniquelocal). Empty = none: the
 * client address is the socket's, so a caller cannot pick its own rate-limit key.
 */
const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const entries = raw.split(',').map((p) => p.trim()).filter(Boolean);
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      const family = isIP(address ?? '');
      const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)) || (family === 4 && isIP(prefix) === 4);
      if (!(PROXY_PRESETS.has(entry) || (family !== 0 && prefixOk && extra === undefined))) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not an address, a subnet (addr/bits) or one of loopback, linklocal, uniquelocal` });
        return z.NEVER;
      }
    }
    return entries;
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  PUBLIC_BASE_URL: url.optional(),
  ADMIN_API_TOKEN: z.string().min(24, 'must be at least 24 characters'),
  /** Admin console: how long a sign-in lasts (the session cookie and its server-side record). */
  ADMIN_SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(480),
  ENCRYPTION_KEYS: encryptionKeys,
  TEMPORAL_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('adtrack'),
  TEMPORAL_UI_URL: url.default('http://localhost:8233'),
  /**
   * The key in the Web UI's codec path (`/codec/ui/<key>/…`) where the UI's codec endpoint is set by
   * hand (docker-compose); unset, it is derived from the admin token (the launcher computes it).
   */
  TEMPORAL_UI_CODEC_KEY: z.string().regex(/^[A-Za-z0-9_-]{32,256}$/, 'at least 32 characters of A-Z a-z 0-9 _ -').optional(),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URI').default('mongodb://127.0.0.1:27017/adtrack'),
  /**
   * Which server MONGODB_URI reaches. `auto` asks the server at connect; FerretDB (the embedded
   * default) gets the small-bulk and serial-webhook-write workarounds, MongoDB does not.
   */
  DATABASE_FLAVOR: z.enum(['auto', 'ferretdb', 'mongodb']).default('auto'),

  /** Worker tuning: the defaults suit the shared 2-core development box; size them to the host. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(200),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Unset: the SDK's default. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).optional(),
  CORS_SITE_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  TRUST_PROXY: trustProxy,
  PLAN_TIER: z.enum(['professional', 'enterprise']).default('professional'),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  /** An account the ads watcher reports no change for sweeps anyway after this long (issue 12). */
  IDLE_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3_600),
  FULL_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3_600),
  METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3_600),
  METRICS_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(90).default(3),
  OWN_SHORTENER_DOMAIN: z.string().default(''),
  LANDING_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  /** First retry delay of an ad whose tracking write failed transiently (TRK-11); doubles per attempt. */
  TRACKING_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Rate budget (README "Rate budget"): the window the per-app ceilings below count over. */
  RATE_BUDGET_WINDOW_SECONDS: z.coerce.number().int().min(4).max(86_400).default(3_600),
  /** Calls per window for the Facebook app, the Google developer token, the LinkedIn app; 0 = usage headers and throttle answers only. */
  RATE_BUDGET_FACEBOOK_APP_CALLS: z.coerce.number().int().min(0).default(0),
  RATE_BUDGET_GOOGLE_TOKEN_CALLS: z.coerce.number().int().min(0).default(0),
  RATE_BUDGET_LINKEDIN_APP_CALLS: z.coerce.number().int().min(0).default(0),
  /** A call over budget waits in the worker up to this long; a longer wait fails it retryably with the wait. */
  RATE_BUDGET_MAX_WAIT_SECONDS: z.coerce.number().min(0).max(60).default(10),

  FACEBOOK_GRAPH_URL: url.default('https://graph.facebook.com'),
  /** Host of the Login dialog (`/<version>/dialog/oauth`), which is not the Graph host. */
  FACEBOOK_DIALOG_URL: url.default('https://www.facebook.com'),
  FACEBOOK_API_VERSION: z.string().regex(/^v\d+\.0$/).default('v25.0'),
  FACEBOOK_APP_ID: z.string().default(''),
  FACEBOOK_APP_SECRET: z.string().default(''),
  FACEBOOK_WEBHOOK_VERIFY_TOKEN: z.string().default(''),

  GOOGLE_ADS_API_URL: url.default('https://googleads.googleapis.com'),
  GOOGLE_ADS_API_VERSION: z.string().regex(/^v\d+$/).default('v22'),
  GOOGLE_OAUTH_AUTHORIZE_URL: url.default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: url.default('https://oauth2.googleapis.com/token'),
  GOOGLE_CLIENT_ID: z.string().default(''),
  GOOGLE_CLIENT_SECRET: z.string().default(''),
  GOOGLE_DEVELOPER_TOKEN: z.string().default(''),
  GOOGLE_LOGIN_CUSTOMER_ID: z.string().regex(/^\d*$/).default(''),
  GOOGLE_LEAD_WEBHOOK_KEY: z.string().default(''),

  LINKEDIN_API_URL: url.default('https://api.linkedin.com'),
  LINKEDIN_OAUTH_URL: url.default('https://www.linkedin.com'),
  LINKEDIN_API_VERSION: z.string().regex(/^\d{6}$/).default('202608'),
  LINKEDIN_CLIENT_ID: z.string().default(''),
  LINKEDIN_CLIENT_SECRET: z.string().default(''),

  /** Visitor tracking (issue 5): per-visitor and per-IP token buckets on the public /t/* endpoints. */
  TRACKING_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  TRACKING_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Lead sync (issue 5): incremental read period and reconciliation period per account. */
  LEAD_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  LEAD_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3_600),
  /** How often the API retries CRM activity not yet acknowledged by Temporal (src/conversions/crm-relay.ts). */
  CRM_OUTBOX_RELAY_SECONDS: z.coerce.number().min(0.1).max(3_600).default(5),

  /**
   * Metrics (issue 14). METRICS_TOKEN: bearer token Prometheus sends to `/metrics` (API and worker); in
   * production the API serves `/metrics` only when it is set. Ports: 0 = off.
   */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),

  /** Set by the dev launcher: the sandboxes' control APIs, for the demo seeding. */
  SANDBOX_MODE: bool.default(false),
});

export type Env = z.input<typeof envSchema>;
export type Config = z.output<typeof envSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(unknown)'),
      message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required but missing' : issue.message,
    })),
  );
}

/** Names of every variable the service reads (docker-compose is checked against this list). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/** Loads config or exits the process with the problems listed, for entry points. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
