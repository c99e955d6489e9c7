/**
 * The conversion-event model (SPEC §7 CONV): what an admin defines, the CRM activity that may
 * trigger it, and the contact data the payloads are built from. Plain JSON-safe shapes (ISO time
 * strings) so they cross workflow and activity boundaries unchanged.
 */
import type { Network } from '../../networks/types';
import type { LifecycleStage } from './stages';

export type ConversionTrigger =
  | { kind: 'lifecycle_stage'; stages: LifecycleStage[] }
  | { kind: 'form_submission'; formId: string };

/** CONV-4: who is shared when a contact moves to a selected stage. */
export type ConversionAudience = 'all' | 'interacted_with_ads';

export interface ConsentRule {
  /** Contact property holding the consent (CONV-5), e.g. `ads_data_sharing_consent`. */
  property: string;
  /** The value of that property that means "consent given". */
  value: string;
}

/**
 * Data sharing (CONV-5): which contact and request data may go to the network. `userAgent`,
 * `actionSource` and `eventSourceUrl` are mandatory and cannot be switched off; `ipAddress` is on by
 * default and removable; `email` is recommended.
 */
export interface SharedFields {
  email: boolean;
  phone: boolean;
  firstName: boolean;
  lastName: boolean;
  city: boolean;
  state: boolean;
  zip: boolean;
  country: boolean;
  gender: boolean;
  dateOfBirth: boolean;
  externalId: boolean;
  ipAddress: boolean;
  userAgent: true;
  actionSource: true;
  eventSourceUrl: true;
}
export type SharedField = keyof SharedFields;

/**
 * What the admin submits. The API has checked the JSON shape; everything with a meaning (known
 * network, stage, form, option combinations, account preconditions) is checked by
 * `validateDefinition`, which is why enums are plain strings here.
 */
export interface ConversionEventDraft {
  network: string;
  /** The network's ad account id as stored on the connected account (`act_123`, `1234567890`, `507404993`). */
  adAccountId: string;
  trigger: { kind: 'lifecycle_stage'; stages: string[] } | { kind: 'form_submission'; formId: string };
  /** Lifecycle triggers only; default `all`. */
  audience?: string;
  /**
   * Facebook `event_name`: a standard event such as `Lead` or a custom name. Defaults: `Lead` for
   * form submissions, the stage's label for lifecycle events. Google and LinkedIn take the name
   * from their conversion action / conversion rule and ignore it.
   */
  eventName?: string;
  value?: number;
  /** ISO 4217, required together with `value`. */
  currency?: string;
  /** Facebook form events: send the contact's predictive lead score. */
  predictiveLeadScore?: boolean;
  consent?: ConsentRule;
  /** Omitted keys take the defaults of `DEFAULT_SHARED_FIELDS`. */
  sharedFields?: Record<string, boolean>;
  /** Facebook pixel (dataset) id; falls back to the account's configured pixel. */
  pixelId?: string;
  /** Google: conversion action id or resource name (`customers/{cid}/conversionActions/{id}`). */
  conversionActionId?: string;
  /** LinkedIn: conversion rule id or URN (`urn:lla:llaPartnerConversion:{id}`). */
  conversionRuleId?: string;
}

/** A stored, validated definition. */
export interface ConversionEventDefinition {
  id: string;
  network: Network;
  adAccountId: string;
  trigger: ConversionTrigger;
  audience: ConversionAudience;
  eventName?: string;
  value?: number;
  currency?: string;
  predictiveLeadScore: boolean;
  consent?: ConsentRule;
  sharedFields: SharedFields;
  /** Facebook pixel (dataset) id. */
  pixelId?: string;
  /** Google conversion action resource name, `customers/{cid}/conversionActions/{id}`. */
  conversionAction?: string;
  /** LinkedIn conversion rule URN, `urn:lla:llaPartnerConversion:{id}`. */
  conversionRule?: string;
  enabled: boolean;
  /** ISO time; only activity at or after it is sent (CONV-7). */
  createdAt: string;
  /**
   * Seed of the stable event ids; defaults to `id`. A replacement definition (CONV-8) inherits its
   * predecessor's namespace so an event both might send carries the same id and is sent once.
   */
  eventIdNamespace?: string;
}

export interface LifecycleActivity {
  kind: 'lifecycle_stage';
  contactId: string;
  stage: string;
  /** ISO time of the stage change. */
  at: string;
}

export interface FormSubmissionActivity {
  kind: 'form_submission';
  contactId: string;
  formId: string;
  /** Our submission id: the same submission seen twice is one event (CONV-7). */
  submissionId: string;
  at: string;
  pageUrl?: string;
  userAgent?: string;
  ip?: string;
  /** Facebook browser ids captured with the submission (`_fbc` / `_fbp` cookies), passed through unhashed. */
  fbc?: string;
  fbp?: string;
}

export type CrmActivity = LifecycleActivity | FormSubmissionActivity;

/** The contact as it is when the activity is handled. Raw values: normalising and hashing happen here. */
export interface ContactSnapshot {
  id: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  city?: string;
  state?: string;
  zip?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  gender?: string;
  dateOfBirth?: string;
  /** A stable advertiser id shared with other channels (Facebook `external_id`); not the contact id. */
  externalId?: string;
  company?: string;
  jobTitle?: string;
  lifecycleStage?: string;
  /** Contact properties, for the consent rule. */
  properties?: Record<string, string | undefined>;
  /** Facebook lead-ad lead id (`leadgen_id`, 15–17 digits) from lead sync. */
  facebookLeadId?: string;
  gclid?: string;
  /** LinkedIn first-party ads tracking UUID (`li_fat_id`). */
  liFatId?: string;
  /** Whether the contact interacted with ads of the definition's network tracked by this system (CONV-4). */
  interactedWithAds: boolean;
  predictiveLeadScore?: number;
}
