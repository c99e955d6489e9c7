import type { ActivityDeps } from '../../activities';
import type { Config } from '../config';
import type { Database } from '../db/connection';
import { LandingChecker } from '../landing/landing-checker';
import { LINKEDIN_CREATIVE_ID_TOKEN } from '../networks/linkedin';
import { createNetworkClients } from '../networks/registry';
import { TokenVault } from '../security/token-vault';

/** Builds the activities' dependencies from config: the worker process and the tests use this. */
export function createActivityDeps(config: Config, db: Database, overrides: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    models: db.models,
    vault: new TokenVault(config.ENCRYPTION_KEYS),
    clients: createNetworkClients(config),
    landing: new LandingChecker(db.models, { timeoutMs: config.LANDING_CHECK_TIMEOUT_MS, cacheTtlMs: 60 * 60 * 1000 }),
    linkedInCreativeToken: LINKEDIN_CREATIVE_ID_TOKEN,
    trackingRetryBaseMs: config.TRACKING_RETRY_BASE_SECONDS * 1000,
    ...(config.OWN_SHORTENER_DOMAIN ? { ownShortenerDomain: config.OWN_SHORTENER_DOMAIN } : {}),
    ...overrides,
  };
}
