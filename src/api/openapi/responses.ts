import { z } from 'zod';
import { NETWORKS } from '../../networks/types';

/**
 * Response bodies as the routes present them. Objects are open (`.loose()`): a new field is not a
 * breaking change for callers, but every field named here must be there with this type (the
 * response-conformance test validates real responses against them).
 */
const network = z.enum(NETWORKS);
const isoDate = z.string().describe('ISO 8601 date-time');
const nullableDate = isoDate.nullable();

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string().describe('machine-readable; the codes each operation can answer are listed in its description'),
      message: z.string(),
      details: z.unknown().describe('e.g. `{ issues: [{ path, message }] }` for validation_failed'),
    }),
  })
  .meta({ id: 'Error' });

export const accepted = z.object({ accepted: z.literal(true) }).loose().meta({ id: 'Accepted' });

export const account = z
  .object({
    id: z.string(),
    network,
    externalId: z.string(),
    name: z.string(),
    connectionId: z.string().nullable(),
    status: z.enum(['active', 'needs_reconnect', 'disconnected']),
    autoTracking: z.boolean(),
    connectedAt: isoDate,
    // Absent on a just-connected account's record until its first sweep.
    lastSweepAt: nullableDate.optional(),
    lastError: z.string().nullable(),
    workflowId: z.string(),
  })
  .loose()
  .meta({ id: 'Account' });

export const accountWithLive = account.extend({ live: z.object({ sweeps: z.number().int() }).loose().nullable().optional() }).meta({ id: 'AccountWithLiveState' });

export const ad = z
  .object({
    id: z.string(),
    accountId: z.string(),
    network,
    adId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'pending_review', 'paused', 'disapproved', 'archived', 'deleted', 'other']).meta({ description: "Delivery state; paused, disapproved and with-issues ads are listed too (tracking leaves them alone)" }),
    networkStatus: z.string().meta({ description: "The network's own status, e.g. WITH_ISSUES, ADSET_PAUSED" }),
    placements: z.array(z.string()).meta({ description: 'Facebook: the ad set\'s publisher platforms (e.g. ["instagram"]); empty for automatic placements and other networks' }),
    trackingStatus: z.enum(['tracked', 'pending', 'error', 'excluded']),
    error: z.object({ code: z.string(), message: z.string() }).loose().nullable(),
    landingUrl: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'Ad' });

const page = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).loose().meta({ id });
const list = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).loose().meta({ id });

export const adPage = page(ad, 'AdPage');
export const adWithAudit = ad.extend({ audit: z.array(z.object({ id: z.string(), action: z.string(), at: isoDate }).loose()) }).meta({ id: 'AdWithAudit' });
export const accountList = list(account, 'AccountList');
export const trackingPreview = z
  .object({
    accountId: z.string(),
    network,
    autoTracking: z.boolean(),
    engagementCapApplies: z.boolean().describe('the engagement cap (TRK-4) can hold ads here: tracking has not reached the ads that existed at connection yet'),
    writes: z.number().int().describe('network writes switching on would send (one per campaign on Google and LinkedIn)'),
    items: z.array(
      z
        .object({
          adId: z.string(),
          name: z.string(),
          campaign: z.object({ id: z.string(), name: z.string() }),
          outcome: z.enum(['add', 'tracked', 'held', 'skipped']).describe('add: `params` are added; tracked: nothing to add; held: the engagement cap leaves it untouched; skipped: `reason` says why'),
          params: z.record(z.string(), z.string()),
          backToReview: z.boolean().describe('Facebook sends the ad back to review when its creative changes'),
          reason: z.object({ code: z.string(), message: z.string() }).nullable(),
        })
        .loose(),
    ),
  })
  .loose()
  .meta({ id: 'TrackingPreview' });
export const trackingTemplate = z
  .object({ network, utmSource: z.string().nullable(), utmMedium: z.string().nullable(), updatedAt: nullableDate })
  .meta({ id: 'TrackingTemplate' });
export const connection = z
  .object({ id: z.string(), network, adAccounts: z.array(z.object({ externalId: z.string(), name: z.string() }).loose()) })
  .loose()
  .meta({ id: 'Connection' });

export const conversionEvent = z
  .object({ id: z.string(), name: z.string(), network, adAccountId: z.string(), trigger: z.object({ kind: z.string() }).loose(), enabled: z.boolean(), status: z.string() })
  .loose()
  .meta({ id: 'ConversionEvent' });
export const conversionEventList = list(conversionEvent, 'ConversionEventList');
export const conversionReplacement = z.object({ replaced: conversionEvent, replacement: conversionEvent }).meta({ id: 'ConversionReplacement' });

export const form = z.object({ id: z.string(), name: z.string(), alwaysCreateNewContact: z.boolean() }).loose().meta({ id: 'Form' });
export const formList = list(form, 'FormList');

export const contact = z.object({ id: z.string() }).loose().meta({ id: 'Contact' });
export const contactPage = page(contact, 'ContactPage');
export const contactAttribution = z.object({ contactId: z.string() }).loose().meta({ id: 'ContactAttribution' });
export const contactImport = z.object({}).loose().meta({ id: 'ContactImportResult' });

export const campaign = z.object({ id: z.string(), name: z.string() }).loose().meta({ id: 'Campaign' });
export const campaignList = list(campaign, 'CampaignList');
export const campaignAsset = z.object({ asset: z.object({ kind: z.string(), id: z.string() }).loose() }).loose().meta({ id: 'CampaignAssetChange' });

export const leadSync = z.object({}).loose().meta({ id: 'LeadSyncState' });
export const leadPage = page(z.object({ id: z.string() }).loose(), 'LeadPage');
export const adReport = z.object({}).loose().meta({ id: 'AdReport' });

export const smokeRun = z.object({ id: z.string(), workflowId: z.string() }).meta({ id: 'SmokeRun' });
export const smokeState = z.object({ state: z.unknown() }).meta({ id: 'SmokeRunState' });
export const codecPayloads = z.object({ payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() }).loose()) }).meta({ id: 'CodecPayloads' });
export const health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const readiness = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.object({ temporal: z.boolean(), database: z.boolean() }).loose() }).meta({ id: 'Readiness' });
export const webhookReceipt = z.object({ received: z.number().int() }).loose().meta({ id: 'WebhookReceipt' });
export const linkedinChallenge = z.object({ challengeCode: z.string(), challengeResponse: z.string() }).meta({ id: 'LinkedInChallenge' });
export const submissionAccepted = z.object({ accepted: z.literal(true), submissionId: z.string() }).meta({ id: 'SubmissionAccepted' });
