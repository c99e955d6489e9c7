import type { Models } from '../src/db/models';
import type { LandingChecker } from '../src/landing/landing-checker';
import type { AdNetworkClient, Network } from '../src/networks/types';
import type { TokenVault } from '../src/security/token-vault';
import { createAccountActivities } from './accounts';
import { createConnectActivities } from './connect';
import { createMetricsActivities } from './metrics';
import { createSmokeActivities } from './smoke';
import { createTrackingActivities } from './tracking';

/** Everything activities need, injected once by the worker bootstrap (and by tests). */
export interface ActivityDeps {
  models: Models;
  vault: TokenVault;
  clients: Record<Network, AdNetworkClient>;
  landing: LandingChecker;
  linkedInCreativeToken: string;
  ownShortenerDomain?: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createSmokeActivities(deps),
    ...createConnectActivities(deps),
    ...createAccountActivities(deps),
    ...createTrackingActivities(deps),
    ...createMetricsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
