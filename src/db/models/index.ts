import type { Connection } from 'mongoose';
import { registerAd } from './ad';
import { registerAdAccount } from './ad-account';
import { registerAdAudit } from './ad-audit';
import { registerAdMetric } from './ad-metric';
import { registerConnection } from './connection';
import { registerConversionDefinition } from './conversion-definition';
import { registerConversionLedger } from './conversion-ledger';
import { registerLandingCheck } from './landing-check';
import { registerSmokeRun } from './smoke-run';
import { registerTrackingTemplate } from './tracking-template';

/** Every model, registered on one connection (tests get their own database and connection). */
export function createModels(connection: Connection) {
  return {
    SmokeRun: registerSmokeRun(connection),
    Connection: registerConnection(connection),
    AdAccount: registerAdAccount(connection),
    Ad: registerAd(connection),
    AdAudit: registerAdAudit(connection),
    AdMetric: registerAdMetric(connection),
    TrackingTemplate: registerTrackingTemplate(connection),
    LandingCheck: registerLandingCheck(connection),
    ConversionDefinition: registerConversionDefinition(connection),
    ConversionLedger: registerConversionLedger(connection),
  };
}

export type Models = ReturnType<typeof createModels>;
