/** How contacts and their activity look in the admin API. */
import { UNIQUE_VISITORS_NOTE } from '../domain/visitors';
import type { ContactDoc } from '../db/models/contact';
import type { FormSubmissionDoc } from '../db/models/form-submission';
import type { LeadDoc } from '../db/models/lead';
import type { PageViewDoc } from '../db/models/page-view';
import type { WebSessionDoc } from '../db/models/web-session';

export function presentContactSummary(contact: ContactDoc) {
  return {
    id: contact._id,
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    lifecycleStage: contact.lifecycleStage,
    source: contact.source,
    attributed: contact.attribution?.attributed ?? false,
    attributedAd: contact.attribution?.ad?.adKey ?? null,
    firstConversionAt: contact.firstConversionAt,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}

export function presentAttribution(contact: Pick<ContactDoc, 'attribution' | 'firstConversionAt' | 'firstTouch' | 'lastTouch' | 'influencedCampaigns'>) {
  const attribution = contact.attribution;
  return {
    attributed: attribution?.attributed ?? false,
    reason: attribution?.reason ?? 'NO_CONVERSION',
    explanation:
      attribution?.explanation ??
      'The contact has not converted yet (no form submission, e.g. an imported contact), so there is nothing to credit.',
    ad: attribution?.ad ?? null,
    candidate: attribution?.candidate ?? null,
    sessionId: attribution?.sessionId ?? null,
    decidedAt: attribution?.decidedAt ?? null,
    firstConversionAt: contact.firstConversionAt,
    campaigns: {
      firstTouch: contact.firstTouch,
      lastTouch: contact.lastTouch,
      influenced: contact.influencedCampaigns,
    },
  };
}

export function presentContact(contact: ContactDoc) {
  return {
    ...presentContactSummary(contact),
    emails: contact.emails,
    phone: contact.phone,
    fullName: contact.fullName,
    company: contact.company,
    jobTitle: contact.jobTitle,
    lifecycleStageChangedAt: contact.lifecycleStageChangedAt,
    properties: contact.properties,
    fbLeadId: contact.fbLeadId,
    leadKeys: contact.leadKeys,
    clickIds: contact.clickIds,
    interactedWithAds: contact.interactedWithAds,
    lastSubmission: contact.lastSubmission,
    visitorTokens: contact.visitorTokens.length,
    identification: contact.identification,
    attribution: presentAttribution(contact),
  };
}

export interface ContactActivity {
  pageViews: PageViewDoc[];
  sessions: WebSessionDoc[];
  submissions: FormSubmissionDoc[];
  leads: LeadDoc[];
}

export function presentActivity(activity: ContactActivity) {
  return {
    pageViews: activity.pageViews.map((v) => ({ id: v._id, at: v.at, url: v.url, title: v.title, referrer: v.referrer, sessionId: v.sessionId })),
    sessions: activity.sessions.map((s) => ({
      id: s._id,
      startedAt: s.startedAt,
      lastActivityAt: s.lastActivityAt,
      reason: s.reason,
      landingUrl: s.landingUrl,
      trafficSource: s.trafficSource,
      utm: s.source.utm,
      hsa: s.source.hsa,
      clickIds: s.source.clickIds,
      adClick: s.source.adClick,
      pageViews: s.pageViews,
    })),
    submissions: activity.submissions.map((s) => ({
      id: s._id,
      formId: s.formId,
      at: s.at,
      pageUrl: s.pageUrl,
      sessionId: s.sessionId,
      fields: s.fields,
      email: s.email,
      rule: s.rule,
      explanation: s.explanation,
    })),
    leads: activity.leads.map((l) => ({
      id: l._id,
      network: l.network,
      leadId: l.leadId,
      formId: l.formId,
      adId: l.adId,
      campaignId: l.campaignId,
      organic: l.organic,
      createdTime: l.createdTime,
    })),
    visitorsNote: UNIQUE_VISITORS_NOTE,
  };
}
