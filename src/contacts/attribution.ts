/**
 * Recomputes what a contact's stored data says about attribution (ATT-1…ATT-3, ACC-5) and campaign
 * touches (ATT-4, ATT-5, CMP-2), and stores the result on the contact. The rules are the pure
 * domain functions; this module only loads their inputs. The decision depends only on the FIRST
 * conversion, so recomputing on every later conversion gives the same answer — unless earlier data
 * arrives late (a lead-ad lead synced after a web conversion), which is exactly when it should change.
 */
import {
  adCampaignAssetOfClick,
  assetKey,
  clickIdentitiesOf,
  decideAdAttribution,
  pageViewMatchesTrackingUrl,
  summariseContactCampaigns,
  type AssetRef,
  type AttributionDecision,
  type Campaign,
  type CampaignAssociation,
  type ContactCampaignSummary,
  type ContactTouch,
  type LeadAdOrigin,
} from '../domain/attribution';
import { isAdClickSource, type ClickIdKey } from '../domain/visitors';
import { findByIds } from '../db/by-ids';
import type { Models } from '../db/models';
import type { CampaignAssociationDoc, CampaignDoc } from '../db/models/campaign';
import type { AttributedAdDoc, ContactAttributionDoc, ContactDoc, TouchCreditDoc } from '../db/models/contact';
import type { FormSubmissionDoc } from '../db/models/form-submission';
import type { LeadDoc } from '../db/models/lead';
import type { PageViewDoc } from '../db/models/page-view';
import type { WebSessionDoc } from '../db/models/web-session';
import type { Network } from '../networks/types';
import { loadKnownAds, resolveAdKey } from './known-ads';
import { writeAttribution } from './repository';

const MAX_SUBMISSIONS = 1_000;
const MAX_SESSIONS = 2_000;
const MAX_PAGE_VIEWS = 5_000;

export type AttributionModels = Pick<
  Models,
  'Contact' | 'ContactLock' | 'FormSubmission' | 'Lead' | 'WebSession' | 'PageView' | 'Ad' | 'AdAccount' | 'Campaign' | 'CampaignAssociation'
>;

const iso = (date: Date | string) => new Date(date).toISOString();
const externalIdOf = (accountKey: string) => accountKey.slice(accountKey.indexOf(':') + 1);

export function leadAdOriginOf(lead: Pick<LeadDoc, 'network' | 'accountKey' | 'campaignId' | 'adGroupId' | 'adId' | 'createdTime' | 'organic'>): LeadAdOrigin {
  return {
    network: lead.network,
    accountId: externalIdOf(lead.accountKey),
    ...(lead.campaignId ? { campaignId: lead.campaignId } : {}),
    ...(lead.adGroupId ? { adGroupId: lead.adGroupId } : {}),
    ...(lead.adId ? { adId: lead.adId } : {}),
    submittedAt: iso(lead.createdTime),
    organic: lead.organic,
  };
}

async function cachedAdKey(models: Pick<Models, 'Ad'>, network: Network, adId: string, cache: Map<string, string>): Promise<string> {
  const id = `${network}:${adId}`;
  let key = cache.get(id);
  if (key === undefined) {
    key = await resolveAdKey(models, network, adId);
    cache.set(id, key);
  }
  return key;
}

/** The decision as stored on the contact (ad with its account key and Ad collection key). */
export async function storedAttribution(
  models: Pick<Models, 'Ad'>,
  decision: AttributionDecision,
  now: Date,
  adKeyCache: Map<string, string> = new Map(),
): Promise<ContactAttributionDoc> {
  let ad: AttributedAdDoc | null = null;
  if (decision.ad) {
    const network: Network = decision.ad.network;
    ad = {
      network,
      accountId: decision.ad.accountId,
      accountKey: `${network}:${decision.ad.accountId}`,
      campaignId: decision.ad.campaignId ?? null,
      adGroupId: decision.ad.adGroupId ?? null,
      adId: decision.ad.adId ?? null,
      adKey: decision.ad.adId ? await cachedAdKey(models, network, decision.ad.adId, adKeyCache) : null,
      clickAt: new Date(decision.ad.clickAt),
    };
  }
  return {
    attributed: decision.attributed,
    reason: decision.reason,
    explanation: decision.explanation,
    ad,
    candidate: decision.candidate ? { ...decision.candidate } : null,
    sessionId: decision.sessionId ?? null,
    decidedAt: now,
  };
}

export function toCampaign(doc: CampaignDoc): Campaign {
  return {
    id: doc._id,
    name: doc.name,
    createdAt: iso(doc.createdAt),
    ...(doc.utmCampaign ? { utmCampaign: doc.utmCampaign } : {}),
    ...(doc.startAt ? { startAt: iso(doc.startAt) } : {}),
    ...(doc.endAt ? { endAt: iso(doc.endAt) } : {}),
  };
}

export function toAssociation(doc: CampaignAssociationDoc): CampaignAssociation {
  return {
    campaignId: doc.campaignId,
    asset: doc.asset as AssetRef,
    from: iso(doc.from),
    ...(doc.until ? { until: iso(doc.until) } : {}),
  };
}

/** A page's own asset: the landing page / web page identified by origin + path. */
export function pageAssetOf(url: string): AssetRef | undefined {
  try {
    const parsed = new URL(url);
    return { kind: 'landing_page', id: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '') || '/'}` };
  } catch {
    return undefined;
  }
}

/** ATT-4 touches: page views (with the ad campaign their session's click came from), submissions. */
export function contactTouches(
  pageViews: readonly PageViewDoc[],
  sessions: readonly WebSessionDoc[],
  submissions: readonly FormSubmissionDoc[],
  associations: readonly CampaignAssociation[],
): ContactTouch[] {
  const trackingUrls = associations.filter((a) => a.asset.kind === 'tracking_url').map((a) => a.asset);
  const sessionById = new Map(sessions.map((s) => [s._id, s]));
  const assetsOfUrl = (url: string): AssetRef[] => {
    const page = pageAssetOf(url);
    const matched = trackingUrls.filter((asset) => pageViewMatchesTrackingUrl(asset.id, url));
    return [...(page ? [page] : []), ...matched];
  };
  const touches: ContactTouch[] = pageViews.map((view) => {
    const session = sessionById.get(view.sessionId);
    const assets = assetsOfUrl(view.url);
    // The ad click touches its campaign on the landing page view of the session it started.
    if (session && session.landingUrl === view.url) {
      const adCampaign = adCampaignAssetOfClick(session.source.adClick as Parameters<typeof adCampaignAssetOfClick>[0]);
      if (adCampaign) assets.push(adCampaign);
    }
    return { at: iso(view.at), kind: 'page_view', sessionId: view.sessionId, url: view.url, assets };
  });
  for (const submission of submissions) {
    touches.push({
      at: iso(submission.at),
      kind: 'form_submission',
      ...(submission.sessionId ? { sessionId: submission.sessionId } : {}),
      ...(submission.pageUrl ? { url: submission.pageUrl } : {}),
      assets: [{ kind: 'form', id: submission.formId }, ...(submission.pageUrl ? assetsOfUrl(submission.pageUrl) : [])],
    });
  }
  return touches;
}

function touchCredit(credit: ContactCampaignSummary['firstTouch']): TouchCreditDoc | null {
  return credit === null ? null : { at: new Date(credit.at), utmCampaign: credit.utmCampaign ?? null, campaignId: credit.campaignId ?? null };
}

export interface RefreshedContact {
  decision: AttributionDecision;
  attribution: ContactAttributionDoc;
}

/**
 * The contact's sessions and the sessions its submissions were made in, oldest first, at most
 * MAX_SESSIONS. Two reads rather than one `$or`: FerretDB v1 pushes neither `$or` nor `$in` down and
 * would scan every visitor's sessions, while `contactId` equality and `_id` lookups use indexes.
 */
async function contactSessions(models: Pick<Models, 'WebSession'>, contactId: string, submissionSessionIds: readonly string[]): Promise<WebSessionDoc[]> {
  const own = await models.WebSession.find({ contactId }).sort({ startedAt: 1 }).limit(MAX_SESSIONS).lean<WebSessionDoc[]>();
  const ownIds = new Set(own.map((s) => s._id));
  const others = await findByIds(models.WebSession, submissionSessionIds.filter((id) => !ownIds.has(id)));
  return [...own, ...others].sort((a, b) => new Date(a.startedAt).getTime() - new Date(b.startedAt).getTime()).slice(0, MAX_SESSIONS);
}

/**
 * Recomputes attribution, campaign touches, click ids and `interactedWithAds` of one contact from
 * what is stored, and writes them. Returns the decision (GET /api/contacts/:id/attribution).
 */
export async function refreshContactAttribution(models: AttributionModels, contactId: string, now = new Date()): Promise<RefreshedContact | undefined> {
  const contact = await models.Contact.findById(contactId, { _id: 1 }).lean<Pick<ContactDoc, '_id'>>();
  if (!contact) return undefined;
  const submissions = await models.FormSubmission.find({ contactId }).sort({ at: 1 }).limit(MAX_SUBMISSIONS).lean<FormSubmissionDoc[]>();
  const firstLead = await models.Lead.findOne({ contactId }).sort({ createdTime: 1 }).lean<LeadDoc>();
  const anyAdLead = firstLead ? await models.Lead.exists({ contactId, organic: false }) : null;
  const submissionSessionIds = [...new Set(submissions.map((s) => s.sessionId).filter((id): id is string => id !== null))];
  const sessions = await contactSessions(models, contactId, submissionSessionIds);
  const knownAds = await loadKnownAds(models, clickIdentitiesOf(sessions.map((s) => ({ hsa: s.source.hsa ?? {} }))));

  const decision = decideAdAttribution({
    conversions: submissions.map((s) => ({ at: iso(s.at), ...(s.sessionId ? { sessionId: s.sessionId } : {}) })),
    sessions: sessions.map((s) => ({ id: s._id, startedAt: iso(s.startedAt), source: { hsa: s.source.hsa ?? {}, clickIds: s.source.clickIds ?? {} } })),
    knownAds,
    ...(firstLead ? { leadAd: leadAdOriginOf(firstLead) } : {}),
  });
  const attribution = await storedAttribution(models, decision, now);

  // Click ids: the latest seen per key (sessions are sorted oldest first).
  const clickIds: Record<ClickIdKey, string | null> = { gclid: null, gbraid: null, wbraid: null, fbclid: null, li_fat_id: null };
  for (const session of sessions) for (const [key, value] of Object.entries(session.source.clickIds ?? {})) if (key in clickIds) clickIds[key as ClickIdKey] = value;
  const interactedWithAds =
    anyAdLead !== null || sessions.some((s) => isAdClickSource({ utm: {}, hsa: s.source.hsa ?? {}, adClick: s.source.adClick as never, clickIds: s.source.clickIds ?? {} }));

  const conversionTimes = [...(submissions[0] ? [submissions[0].at.getTime()] : []), ...(firstLead ? [new Date(firstLead.createdTime).getTime()] : [])];
  const firstConversionAt = conversionTimes.length > 0 ? new Date(Math.min(...conversionTimes)) : null;

  // ATT-4: touches from page views and submissions, against campaigns and their asset history.
  const pageViews = await models.PageView.find({ contactId }).sort({ at: 1 }).limit(MAX_PAGE_VIEWS).lean<PageViewDoc[]>();
  const campaigns = (await models.Campaign.find().lean<CampaignDoc[]>()).map(toCampaign);
  const associations = (await models.CampaignAssociation.find().lean<CampaignAssociationDoc[]>()).map(toAssociation);
  const summary = summariseContactCampaigns({ touches: contactTouches(pageViews, sessions, submissions, associations), campaigns, associations });
  const influenced = new Map<string, Date>();
  for (const touch of summary.influenced) {
    const at = new Date(touch.at);
    const seen = influenced.get(touch.campaignId);
    if (!seen || at < seen) influenced.set(touch.campaignId, at);
  }

  await writeAttribution(models, contactId, {
    attribution,
    clickIds,
    interactedWithAds,
    firstConversionAt,
    firstTouch: touchCredit(summary.firstTouch),
    lastTouch: touchCredit(summary.lastTouch),
    influencedCampaigns: [...influenced].map(([campaignId, at]) => ({ campaignId, at })),
  });
  return { decision, attribution };
}

/** assetKey of the ad campaign a session's click came from (campaign reports, ATT-5). */
export function adCampaignAssetKeyOf(adClick: Parameters<typeof adCampaignAssetOfClick>[0]): string | null {
  const asset = adCampaignAssetOfClick(adClick);
  return asset ? assetKey(asset) : null;
}
