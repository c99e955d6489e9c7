import type { Connection } from 'mongoose';
import { registerAd } from './ad';
import { registerAdminSession, registerOAuthState } from './admin-session';
import { registerAdAccount } from './ad-account';
import { registerAdAudit } from './ad-audit';
import { registerAdMetric } from './ad-metric';
import { registerAdWriteJournal } from './ad-write-journal';
import { registerConnection } from './connection';
import { registerConversionDefinition } from './conversion-definition';
import { registerConversionLedger, registerConversionOutbox } from './conversion-ledger';
import { registerLandingCheck } from './landing-check';
import { registerSmokeRun } from './smoke-run';
import { registerTrackingTemplate } from './tracking-template';
import { registerCampaign, registerCampaignAssociation } from './campaign';
import { registerContact, registerContactEmail, registerContactLock } from './contact';
import { registerCrmActivity, registerCrmActivityOutbox } from './crm-activity';
import { registerForm } from './form';
import { registerFormSubmission } from './form-submission';
import { registerLead } from './lead';
import { registerLeadFormSync, registerLeadNotification, registerLeadSyncAccount } from './lead-sync-state';
import { registerPageView } from './page-view';
import { registerRateBlock, registerRateLease } from './rate-budget';
import { registerVisitor } from './visitor';
import { registerWebSession } from './web-session';

/** Every model, registered on one connection (tests get their own database and connection). */
export function createModels(connection: Connection) {
  return {
    SmokeRun: registerSmokeRun(connection),
    AdminSession: registerAdminSession(connection),
    OAuthState: registerOAuthState(connection),
    Connection: registerConnection(connection),
    AdAccount: registerAdAccount(connection),
    Ad: registerAd(connection),
    AdAudit: registerAdAudit(connection),
    AdMetric: registerAdMetric(connection),
    AdWriteJournal: registerAdWriteJournal(connection),
    TrackingTemplate: registerTrackingTemplate(connection),
    LandingCheck: registerLandingCheck(connection),
    ConversionDefinition: registerConversionDefinition(connection),
    ConversionLedger: registerConversionLedger(connection),
    ConversionOutbox: registerConversionOutbox(connection),
    Contact: registerContact(connection),
    ContactEmail: registerContactEmail(connection),
    ContactLock: registerContactLock(connection),
    CrmActivity: registerCrmActivity(connection),
    CrmActivityOutbox: registerCrmActivityOutbox(connection),
    Visitor: registerVisitor(connection),
    WebSession: registerWebSession(connection),
    PageView: registerPageView(connection),
    Form: registerForm(connection),
    FormSubmission: registerFormSubmission(connection),
    Lead: registerLead(connection),
    LeadFormSync: registerLeadFormSync(connection),
    LeadSyncAccount: registerLeadSyncAccount(connection),
    LeadNotification: registerLeadNotification(connection),
    Campaign: registerCampaign(connection),
    CampaignAssociation: registerCampaignAssociation(connection),
    RateLease: registerRateLease(connection),
    RateBlock: registerRateBlock(connection),
  };
}

export type Models = ReturnType<typeof createModels>;
