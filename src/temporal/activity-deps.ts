import type { ActivityDeps } from '../../activities';
import type { Config } from '../config';
import type { Database } from '../db/connection';
import { LandingChecker } from '../landing/landing-checker';
import { LINKEDIN_CREATIVE_ID_TOKEN } from '../networks/linkedin';
import { mongoBudgetStore, RateBudget } from '../networks/budget';
import { createNetworkClients } from '../networks/registry';
import { TokenVault } from '../security/token-vault';

/** Builds the activities' dependencies from config: the worker process and the tests use this. */
export function createActivityDeps(config: Config, db: Database, overrides: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    models: db.models,
    vault: new TokenVault(config.ENCRYPTION_KEYS),
    clients: createNetworkClients(config, rateBudgetOf(config, db)),
    landing: new LandingChecker(db.models, { timeoutMs: config.LANDING_CHECK_TIMEOUT_MS, cacheTtlMs: 60 * 60 * 1000 }),
    linkedInCreativeToken: LINKEDIN_CREATIVE_ID_TOKEN,
    trackingRetryBaseMs: config.TRACKING_RETRY_BASE_SECONDS * 1000,
    ...(config.OWN_SHORTENER_DOMAIN ? { ownShortenerDomain: config.OWN_SHORTENER_DOMAIN } : {}),
    ...overrides,
  };
}

/** The worker's rate budget: shared with the other workers through the database (README "Rate budget"). */
export function rateBudgetOf(config: Config, db: Database): RateBudget {
  return new RateBudget(mongoBudgetStore(db.models), {
    windowMs: config.RATE_BUDGET_WINDOW_SECONDS * 1000,
    appCallsPerWindow: {
      facebook: config.RATE_BUDGET_FACEBOOK_APP_CALLS,
      google: config.RATE_BUDGET_GOOGLE_TOKEN_CALLS,
      linkedin: config.RATE_BUDGET_LINKEDIN_APP_CALLS,
    },
    maxWaitMs: config.RATE_BUDGET_MAX_WAIT_SECONDS * 1000,
  });
}
