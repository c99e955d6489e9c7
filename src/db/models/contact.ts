import { Schema, type Connection } from 'mongoose';
import type { AttributionReason } from '../../domain/attribution';
import type { LifecycleStage } from '../../domain/contacts';
import type { Network } from '../../networks/types';

/** How a contact was matched or created, kept on the contact so merges are explainable (VIS-2…VIS-5). */
export interface IdentificationEntry {
  at: Date;
  /** email_match | cookie_match | new_email_new_contact | new_contact | import | lead */
  rule: string;
  explanation: string;
  via: 'form' | 'lead' | 'import';
  /** The form submission id, `<network>:<leadId>`, or the import batch. */
  ref: string | null;
}

export interface LifecycleChangeDoc {
  stage: LifecycleStage;
  at: Date;
}

/** The ad a contact is credited to (ATT-1…ATT-3). */
export interface AttributedAdDoc {
  network: Network;
  /** The ad account as stored (act_123 / 1234567890 / 507404993) and its key `<network>:<externalId>`. */
  accountId: string;
  accountKey: string;
  campaignId: string | null;
  adGroupId: string | null;
  adId: string | null;
  /** `<network>:<adId>` (the Ad collection's _id) when an ad is credited. */
  adKey: string | null;
  clickAt: Date;
}

export interface ContactAttributionDoc {
  attributed: boolean;
  reason: AttributionReason;
  explanation: string;
  ad: AttributedAdDoc | null;
  /** The ad click seen but not credited, to explain the decision. */
  candidate: Record<string, unknown> | null;
  sessionId: string | null;
  decidedAt: Date;
}

export interface TouchCreditDoc {
  at: Date;
  utmCampaign: string | null;
  campaignId: string | null;
}

export interface LastSubmissionDoc {
  formId: string;
  submissionId: string;
  at: Date;
  pageUrl: string | null;
  userAgent: string | null;
  ip: string | null;
  /** Absent on submissions stored before Facebook click ids were kept. */
  fbc?: string | null;
  fbp?: string | null;
}

/**
 * A person. `_id` is a random uuid; email uniqueness is kept by the ContactEmail collection
 * (`_id` = normalised email → contactId), which makes "create or find by email" one atomic upsert.
 * Conversion events (issue 6) read: email, phone, firstName, lastName, lifecycleStage, properties,
 * fbLeadId, clickIds, interactedWithAds and lastSubmission.
 */
export interface ContactDoc {
  _id: string;
  /** Primary (latest) normalised email; `emails` keeps every address that matches this contact (VIS-4). */
  email: string | null;
  emails: string[];
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  company: string | null;
  jobTitle: string | null;
  lifecycleStage: LifecycleStage;
  lifecycleStageChangedAt: Date | null;
  /**
   * The latest stage changes (the newest last). A CRM activity record is written just before the
   * change it describes; delivery checks the change is here, so a crash in between sends nothing.
   */
  lifecycleHistory: LifecycleChangeDoc[];
  /** Free-form properties (consent flags, custom lead-form answers, imported columns). */
  properties: Record<string, unknown>;
  /**
   * Original source: a traffic source of the first session (paid_search, paid_social, …), or
   * lead_ad / organic_lead_form / import / offline when the contact did not come from the site.
   */
  source: string;
  /** Visitor tokens (cookies) tied to the contact; more than one when cookies were cleared (VIS-3). */
  visitorTokens: string[];
  /** Facebook lead id of the first Facebook lead-ad lead the contact came from (CONV-4 matching). */
  fbLeadId: string | null;
  /** `<network>:<leadId>` of every lead-ad lead that became this contact. */
  leadKeys: string[];
  /** Latest click ids seen on the contact's sessions (conversion upload matching). */
  clickIds: { gclid: string | null; gbraid: string | null; wbraid: string | null; fbclid: string | null; li_fat_id: string | null };
  /** True when the contact clicked an ad (a session from an ad click) or came from a lead ad. */
  interactedWithAds: boolean;
  lastSubmission: LastSubmissionDoc | null;
  /** The earliest conversion (form submission or lead-ad lead). */
  firstConversionAt: Date | null;
  attribution: ContactAttributionDoc | null;
  /** ATT-4: first-touch and last-touch utm_campaign / campaign, influenced campaigns. */
  firstTouch: TouchCreditDoc | null;
  lastTouch: TouchCreditDoc | null;
  influencedCampaigns: { campaignId: string; at: Date }[];
  /** Which rule matched on each submission / lead / import (latest 50). */
  identification: IdentificationEntry[];
  /** VIS-7: when a tracked-email link of this recipient first identified a browser. */
  emailLinkUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const touch = { type: { at: Date, utmCampaign: String, campaignId: String }, default: null, _id: false };

const schema = new Schema<ContactDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, default: null },
    emails: { type: [String], default: [] },
    phone: { type: String, default: null },
    firstName: { type: String, default: null },
    lastName: { type: String, default: null },
    fullName: { type: String, default: null },
    company: { type: String, default: null },
    jobTitle: { type: String, default: null },
    lifecycleStage: { type: String, required: true, default: 'lead' },
    lifecycleStageChangedAt: { type: Date, default: null },
    lifecycleHistory: { type: [{ stage: String, at: Date, _id: false }], default: [] },
    properties: { type: Schema.Types.Mixed, default: {} },
    source: { type: String, required: true, default: 'direct_traffic' },
    visitorTokens: { type: [String], default: [] },
    fbLeadId: { type: String, default: null },
    leadKeys: { type: [String], default: [] },
    clickIds: {
      type: { gclid: String, gbraid: String, wbraid: String, fbclid: String, li_fat_id: String },
      default: () => ({ gclid: null, gbraid: null, wbraid: null, fbclid: null, li_fat_id: null }),
      _id: false,
    },
    interactedWithAds: { type: Boolean, default: false },
    lastSubmission: {
      type: { formId: String, submissionId: String, at: Date, pageUrl: String, userAgent: String, ip: String, fbc: String, fbp: String },
      default: null,
      _id: false,
    },
    firstConversionAt: { type: Date, default: null },
    attribution: { type: Schema.Types.Mixed, default: null },
    firstTouch: touch,
    lastTouch: touch,
    influencedCampaigns: { type: [{ campaignId: String, at: Date, _id: false }], default: [] },
    identification: {
      type: [{ at: Date, rule: String, explanation: String, via: String, ref: String, _id: false }],
      default: [],
    },
    emailLinkUsedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
schema.index({ email: 1 });
schema.index({ lifecycleStage: 1, _id: 1 });
schema.index({ source: 1, _id: 1 });
schema.index({ 'attribution.ad.adKey': 1 });
schema.index({ 'attribution.ad.accountKey': 1 });
schema.index({ visitorTokens: 1 });
schema.index({ 'influencedCampaigns.campaignId': 1 });

/** Normalised email → the contact that owns it (every address of a contact, VIS-4). */
export interface ContactEmailDoc {
  _id: string;
  contactId: string;
  createdAt: Date;
}

const emailSchema = new Schema<ContactEmailDoc>(
  {
    _id: { type: String, required: true },
    contactId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
emailSchema.index({ contactId: 1 });

/**
 * A contact being written (`_id` = contact id). The embedded FerretDB applies concurrent updates of
 * one document as read-modify-write and keeps only some of them; an insert on `_id` is atomic, so
 * the repository serialises writes to a contact by holding this row (see `withContactLock`).
 */
export interface ContactLockDoc {
  _id: string;
  owner: string;
  at: Date;
}

const lockSchema = new Schema<ContactLockDoc>(
  { _id: { type: String, required: true }, owner: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export const registerContactLock = (c: Connection) => c.model<ContactLockDoc>('ContactLock', lockSchema, 'contact_locks');
export const registerContact = (c: Connection) => c.model<ContactDoc>('Contact', schema, 'contacts');
export const registerContactEmail = (c: Connection) => c.model<ContactEmailDoc>('ContactEmail', emailSchema, 'contact_emails');

/** Fields every new contact starts with (used with $setOnInsert; never overlapping a $set). */
export function contactDefaults(source: string, lifecycleStage: ContactDoc['lifecycleStage'] = 'lead') {
  return {
    emails: [],
    visitorTokens: [],
    leadKeys: [],
    identification: [],
    influencedCampaigns: [],
    lifecycleHistory: [],
    properties: {},
    source,
    lifecycleStage,
    lifecycleStageChangedAt: null,
    fbLeadId: null,
    interactedWithAds: false,
    lastSubmission: null,
    firstConversionAt: null,
    attribution: null,
    firstTouch: null,
    lastTouch: null,
    emailLinkUsedAt: null,
    clickIds: { gclid: null, gbraid: null, wbraid: null, fbclid: null, li_fat_id: null },
  } satisfies Partial<ContactDoc>;
}

/**
 * A contact as read, with every field present. FerretDB v1 drops null and empty-array values from
 * `$setOnInsert` on upsert, so a lean contact may lack them: read contacts through this.
 * (Queries are unaffected: `{ field: null }` matches a missing field too.)
 */
export function normaliseContact(doc: Partial<ContactDoc> & { _id: string }): ContactDoc {
  const fresh = contactDefaults('direct_traffic');
  return {
    email: null,
    phone: null,
    firstName: null,
    lastName: null,
    fullName: null,
    company: null,
    jobTitle: null,
    ...fresh,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...doc,
    clickIds: { ...fresh.clickIds, ...(doc.clickIds ?? {}) },
  };
}
