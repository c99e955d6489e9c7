import type { Models } from '../src/db/models';
import type { LandingChecker } from '../src/landing/landing-checker';
import type { AdNetworkClient, Network } from '../src/networks/types';
import type { TokenVault } from '../src/security/token-vault';
import { createAccountActivities } from './accounts';
import { createConnectActivities } from './connect';
import { createConversionActivities } from './conversions';
import { createLeadActivities } from './leads';
import { createMetricsActivities } from './metrics';
import { createSmokeActivities } from './smoke';
import { createTrackingActivities } from './tracking';
import { createSweepActivities } from './tracking-sweep';
import { createWatchActivities } from './watch';

/** Everything activities need, injected once by the worker bootstrap (and by tests). */
export interface ActivityDeps {
  models: Models;
  vault: TokenVault;
  clients: Record<Network, AdNetworkClient>;
  landing: LandingChecker;
  linkedInCreativeToken: string;
  ownShortenerDomain?: string;
  /** First retry delay of an ad whose tracking write failed transiently (default 60 s). */
  trackingRetryBaseMs?: number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createSmokeActivities(deps),
    ...createConnectActivities(deps),
    ...createAccountActivities(deps),
    ...createTrackingActivities(deps),
    ...createSweepActivities(deps),
    ...createWatchActivities(deps),
    ...createMetricsActivities(deps),
    ...createConversionActivities(deps),
    ...createLeadActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
