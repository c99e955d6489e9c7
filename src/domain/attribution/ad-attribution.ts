/**
 * ATT-1…ATT-3 and ACC-5 as one explainable decision: is the contact credited to an ad, and why (not).
 *
 * - A lead-ad contact is credited to its ad directly (ATT-3), unless the lead was organic (LEAD-3).
 * - Otherwise the contact's FIRST conversion (form submission) decides: it must carry the visitor
 *   cookie (ATT-2) and happen in a session whose landing URL carried an ad's hsa_* parameters —
 *   the session that ad click started (ATT-1). The ad must be known, its account must have had
 *   auto-tracking on at click time (ACC-5) and the ad must have been tracked then (TRK-11).
 * Inputs are what the caller stored; `clickIdentitiesOf(sessions)` says which ads to load.
 */
import type { Network } from '../../networks/types';
import { autoTrackingWasOn, identifyClick, type ClickIdentity } from '../tracking';
import { toMillis, type SessionSource } from '../visitors';
import { findKnownAd, type KnownAd } from './known-ads';
import type { AttributionReason } from './reasons';

export interface AttributionSession {
  id: string;
  /** ISO time of the landing page view that started the session (= the click time for an ad click). */
  startedAt: string;
  source: Pick<SessionSource, 'hsa' | 'clickIds'>;
}

/** A form submission on the site. `sessionId` is absent when it came without a visitor cookie. */
export interface WebConversion {
  at: string;
  sessionId?: string;
}

/** The lead-ad lead a contact came from (ATT-3); `accountId` is the ad account the lead was synced from. */
export interface LeadAdOrigin {
  network: Network;
  accountId: string;
  campaignId?: string;
  adGroupId?: string;
  adId?: string;
  submittedAt: string;
  organic: boolean;
}

export interface AttributionInput {
  /** Every form submission of the contact on the site; the earliest is the first conversion. */
  conversions: readonly WebConversion[];
  /** The sessions of the contact's visitor token(s) (more than one when cookies were cleared). */
  sessions: readonly AttributionSession[];
  /** The ads the sessions' click identities point at (see clickIdentitiesOf). */
  knownAds: readonly KnownAd[];
  leadAd?: LeadAdOrigin;
}

export interface AttributedAd {
  network: Network;
  accountId: string;
  campaignId?: string;
  adGroupId?: string;
  adId?: string;
  /** ISO time of the click (lead ads: of the lead submission). */
  clickAt: string;
}

export interface AttributionDecision {
  attributed: boolean;
  reason: AttributionReason;
  /** Why, in words an admin understands (GET /api/contacts/:id/attribution). */
  explanation: string;
  /** The credited ad (only when attributed). */
  ad?: AttributedAd;
  /** Not attributed but an ad click was seen: which one, to explain the decision. */
  candidate?: ClickIdentity & { sessionId: string; clickAt: string };
  /** The session of the first conversion, when there is one. */
  sessionId?: string;
}

function decide(reason: AttributionReason, explanation: string, extra: Partial<AttributionDecision> = {}): AttributionDecision {
  return { attributed: reason === 'ATTRIBUTED' || reason === 'LEAD_AD', reason, explanation, ...extra };
}

function describe(identity: ClickIdentity): string {
  const what = identity.adId === undefined ? `campaign ${identity.campaignId ?? '?'}` : `ad ${identity.adId}`;
  return `${identity.network} ${what}`;
}

function fromLeadAd(lead: LeadAdOrigin): AttributionDecision {
  if (lead.organic) {
    return decide('ORGANIC_LEAD', 'The contact came from an organic (non-ad) submission of a lead form, so there is no ad to credit.');
  }
  if (lead.adId === undefined) {
    return decide(
      'UNKNOWN_AD',
      'The contact came from a lead form, but the network did not say which ad (e.g. an ad-preview lead, or no advertiser rights on the account).',
    );
  }
  const ad: AttributedAd = {
    network: lead.network,
    accountId: lead.accountId,
    ...(lead.campaignId === undefined ? {} : { campaignId: lead.campaignId }),
    ...(lead.adGroupId === undefined ? {} : { adGroupId: lead.adGroupId }),
    adId: lead.adId,
    clickAt: lead.submittedAt,
  };
  return decide('LEAD_AD', `Lead-ad contact: synced from a lead form of ${lead.network} ad ${lead.adId}, so it is credited to that ad directly.`, { ad });
}

function creditAdClick(identity: ClickIdentity, session: AttributionSession, knownAds: readonly KnownAd[]): AttributionDecision {
  const clickAt = session.startedAt;
  const candidate = { ...identity, sessionId: session.id, clickAt };
  const known = findKnownAd(identity, knownAds);
  if (known === undefined) {
    return decide(
      'UNKNOWN_AD',
      `The first conversion happened in a session started by a click on ${describe(identity)}, but that ad is not in a connected ad account.`,
      { candidate, sessionId: session.id },
    );
  }
  if (!autoTrackingWasOn(known.autoTrackingHistory, clickAt)) {
    return decide(
      'AD_NOT_TRACKED_AT_CLICK',
      `The click on ${describe(identity)} at ${clickAt} happened while auto-tracking was off for its ad account; ` +
        'only clicks made while auto-tracking is on can be credited.',
      { candidate, sessionId: session.id },
    );
  }
  if (known.trackedSince === null || toMillis(known.trackedSince, 'trackedSince') > toMillis(clickAt, 'click time')) {
    return decide(
      'AD_NOT_TRACKED_AT_CLICK',
      `The click on ${describe(identity)} at ${clickAt} happened before the ad was tracked` +
        (known.trackedSince === null ? ' (it never was: see the ad\'s tracking error).' : ` (tracked since ${known.trackedSince}).`),
      { candidate, sessionId: session.id },
    );
  }
  const ad: AttributedAd = {
    network: known.network,
    accountId: known.accountId,
    campaignId: known.campaignId,
    // A campaign-level click (Smart / Performance Max) credits the campaign, not one of its ads.
    ...(known.adGroupId === undefined || identity.adGroupId === undefined ? {} : { adGroupId: known.adGroupId }),
    ...(identity.adId === undefined ? {} : { adId: known.adId }),
    clickAt,
  };
  return decide(
    'ATTRIBUTED',
    `A click on ${describe(identity)} started the session in which the contact converted for the first time.`,
    { ad, sessionId: session.id },
  );
}

export function decideAdAttribution(input: AttributionInput): AttributionDecision {
  const conversions = [...input.conversions].sort((a, b) => toMillis(a.at, 'conversion time') - toMillis(b.at, 'conversion time'));
  const first = conversions[0];
  const lead = input.leadAd;
  if (lead !== undefined && (first === undefined || toMillis(lead.submittedAt, 'lead time') <= toMillis(first.at, 'conversion time'))) {
    return fromLeadAd(lead);
  }
  if (first === undefined) {
    return decide('NO_CONVERSION', 'The contact has not converted yet (no form submission, e.g. an imported contact), so there is nothing to credit.');
  }
  const session = first.sessionId === undefined ? undefined : input.sessions.find((s) => s.id === first.sessionId);
  if (session === undefined) {
    return decide(
      'NO_COOKIE',
      'The first conversion came without the tracking cookie (cookies blocked, or the tracking code missing on the page), ' +
        'and apart from lead ads an ad can only be credited for a tracked visitor.',
    );
  }

  const identity = identifyClick(session.source.hsa);
  if (identity !== null) return creditAdClick(identity, session, input.knownAds);

  const firstAt = toMillis(first.at, 'conversion time');
  const adSessions = input.sessions
    .filter((s) => s.id !== session.id)
    .map((s) => ({ session: s, identity: identifyClick(s.source.hsa), startedAt: toMillis(s.startedAt, 'session start') }))
    .filter((s): s is { session: AttributionSession; identity: ClickIdentity; startedAt: number } => s.identity !== null)
    .sort((a, b) => a.startedAt - b.startedAt);
  const before = adSessions.filter((s) => s.startedAt <= firstAt).at(-1);
  if (before !== undefined) {
    return decide(
      'DIFFERENT_SESSION',
      `The visitor clicked ${describe(before.identity)} at ${before.session.startedAt}, but converted for the first time in a ` +
        'later session that did not start with an ad click; only a conversion in the session the click started is credited.',
      { candidate: { ...before.identity, sessionId: before.session.id, clickAt: before.session.startedAt }, sessionId: session.id },
    );
  }
  const after = adSessions.find((s) => s.startedAt > firstAt);
  if (after !== undefined) {
    return decide(
      'NOT_FIRST_CONVERSION',
      `The visitor clicked ${describe(after.identity)} at ${after.session.startedAt}, after the first conversion at ${first.at}; ` +
        'only the first conversion can credit an ad.',
      { candidate: { ...after.identity, sessionId: after.session.id, clickAt: after.session.startedAt }, sessionId: session.id },
    );
  }
  const clickIds = Object.keys(session.source.clickIds);
  return decide(
    'NO_AD_PARAMS',
    'The session of the first conversion did not start from a tracked ad: its landing URL carried no ad tracking (hsa_*) parameters' +
      (clickIds.length > 0 ? ` (only the network's click id ${clickIds.join(', ')}, which does not say which ad).` : '.'),
    { sessionId: session.id },
  );
}
