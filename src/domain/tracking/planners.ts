/**
 * Per-network halves of the plan: which ad types and URLs qualify, and what write (if any) brings the
 * ad's tracking up to the template. The network-independent rules (auto-tracking switch, delivery
 * status, engagement cap, next state) live in plan.ts.
 */
import type { AdRecord, FacebookAdTracking, GoogleAdTracking, LinkedInAdTracking, TrackingWrite } from '../../networks/types';
import { facebookUnsupported, googleTrackingBelowCampaign, googleUnsupported, linkedInUnsupported } from './ad-types';
import { ownKeySet } from './campaign-keys';
import { decodeComponent, toRecord } from './query-string';
import { reasons } from './reasons';
import { facebookTemplatePairs, mergeFacebookUrlTags } from './templates/facebook';
import { GOOGLE_CAMPAIGN_NAME_PARAMETER, GOOGLE_CAMPAIGN_NAME_REFERENCE, googleCampaignNameValue, mergeGoogleCampaignTracking } from './templates/google';
import { linkedInTemplateParams, mergeLinkedInUrlParameters } from './templates/linkedin';
import type { AccountTrackingContext, LandingCheck, TrackingReason } from './types';
import { checkLandingUrl } from './url-rules';

/** `notice`: a note for a tracked ad (TEMPLATE_KEYS_LEFT_OUT), kept once its write succeeds. */
export type NetworkOutcome =
  | { kind: 'error'; reason: TrackingReason }
  | { kind: 'tracked'; notice?: TrackingReason }
  | { kind: 'write'; write: TrackingWrite; appliedParams: Record<string, string>; notice?: TrackingReason };

const error = (reason: TrackingReason): NetworkOutcome => ({ kind: 'error', reason });

/** The campaign's own keys (issue 15 item 1) and the note for this ad when some were left out. */
function campaignKeys(ad: AdRecord, account: AccountTrackingContext) {
  const ownKeys = account.campaignOwnKeys?.get(ad.campaign.id);
  return {
    keys: ownKeySet(ownKeys),
    notice(leftOut: readonly string[]): { notice?: TrackingReason } {
      if (leftOut.length === 0 || ownKeys === undefined) return {};
      const setBy = [...new Map(leftOut.flatMap((key) => ownKeys.get(key) ?? []).map((ref) => [ref.adId, ref])).values()];
      return { notice: reasons.templateKeysLeftOut(leftOut, setBy, setBy.some((ref) => ref.adId === ad.adId)) };
    },
  };
}

/** Stable write keys: one per Facebook ad, one per Google / LinkedIn campaign. */
export const writeKeys = {
  facebook: (adId: string) => `facebook:ad:${adId}`,
  google: (campaignId: string) => `google:campaign:${campaignId}`,
  linkedin: (campaignId: string) => `linkedin:campaign:${campaignId}`,
};

export function planFacebook(
  ad: AdRecord,
  tracking: FacebookAdTracking,
  account: AccountTrackingContext,
  landing: LandingCheck | undefined,
): NetworkOutcome {
  const unsupported = facebookUnsupported(ad, tracking);
  if (unsupported) return error(unsupported);
  if (ad.landingUrl !== null) {
    const urlProblem = checkLandingUrl(ad.landingUrl, { network: 'facebook', ownShortenerDomain: account.ownShortenerDomain }, landing);
    if (urlProblem) return error(urlProblem);
  }
  const template = facebookTemplatePairs({
    accountId: ad.accountId,
    campaignId: ad.campaign.id,
    campaignName: ad.campaign.name,
    adSetId: ad.adGroup.id,
    adId: ad.adId,
    isLeadAd: tracking.isLeadAd,
    override: account.templateOverride,
  });
  const { urlTags, added } = mergeFacebookUrlTags(tracking.urlTags, ad.landingUrl, template);
  if (added.length === 0) return { kind: 'tracked' };
  return {
    kind: 'write',
    write: { network: 'facebook', key: writeKeys.facebook(ad.adId), adId: ad.adId, creativeId: tracking.creativeId, urlTags },
    appliedParams: toRecord(added),
  };
}

export function planGoogle(
  ad: AdRecord,
  tracking: GoogleAdTracking,
  account: AccountTrackingContext,
  landing: LandingCheck | undefined,
): NetworkOutcome {
  const unsupported = googleUnsupported(ad, tracking);
  if (unsupported) return error(unsupported);
  const urlProblem = checkLandingUrl(ad.landingUrl, { network: 'google', ownShortenerDomain: account.ownShortenerDomain }, landing);
  if (urlProblem) return error(urlProblem);
  const own = campaignKeys(ad, account);
  const merge = mergeGoogleCampaignTracking({
    customerId: ad.accountId,
    campaignName: ad.campaign.name,
    campaignTrackingUrlTemplate: tracking.campaignTrackingUrlTemplate,
    customerTrackingUrlTemplate: tracking.customerTrackingUrlTemplate,
    campaignFinalUrlSuffix: tracking.campaignFinalUrlSuffix,
    campaignCustomParameters: tracking.campaignCustomParameters,
    override: account.templateOverride,
    adOwnKeys: own.keys,
  });
  // Campaign-wide first: every ad of such a campaign reports it, which is what the fold relies on.
  if (!merge.ok) return error(reasons.templateWithoutLpurl(merge.template));
  const belowCampaign = googleTrackingBelowCampaign(tracking);
  if (belowCampaign) return error(belowCampaign);
  const notice = own.notice(merge.leftOut);
  if (!merge.changed) return { kind: 'tracked', ...notice };
  // TRK-10: utm_campaign re-added after the advertiser removed it carries the campaign's CURRENT name,
  // so a `utmcampaign` custom parameter still holding an old name is refreshed with it. A rename alone
  // adds nothing and rewrites nothing.
  let urlCustomParameters = merge.urlCustomParameters;
  let appliedParams = merge.added;
  const current = googleCampaignNameValue(ad.campaign.name);
  const stale = urlCustomParameters.find((p) => p.key === GOOGLE_CAMPAIGN_NAME_PARAMETER && p.value !== current);
  if (merge.added.utm_campaign === GOOGLE_CAMPAIGN_NAME_REFERENCE && stale && current !== '') {
    urlCustomParameters = urlCustomParameters.map((p) => (p === stale ? { key: p.key, value: current } : p));
    appliedParams = { ...appliedParams, [`_${GOOGLE_CAMPAIGN_NAME_PARAMETER}`]: decodeComponent(current) };
  }
  return {
    kind: 'write',
    write: {
      network: 'google',
      key: writeKeys.google(ad.campaign.id),
      campaignId: ad.campaign.id,
      trackingUrlTemplate: merge.trackingUrlTemplate,
      urlCustomParameters,
    },
    appliedParams,
    ...notice,
  };
}

export function planLinkedIn(
  ad: AdRecord,
  tracking: LinkedInAdTracking,
  account: AccountTrackingContext,
  landing: LandingCheck | undefined,
): NetworkOutcome {
  const unsupported = linkedInUnsupported(ad, tracking);
  if (unsupported) return error(unsupported);
  const urlProblem = checkLandingUrl(ad.landingUrl, { network: 'linkedin', ownShortenerDomain: account.ownShortenerDomain }, landing);
  if (urlProblem) return error(urlProblem);
  const creativeToken = account.linkedInCreativeToken;
  if (creativeToken === undefined || creativeToken === '') {
    throw new Error('planLinkedIn: account.linkedInCreativeToken is required to tag LinkedIn campaigns');
  }
  const template = linkedInTemplateParams({
    accountId: ad.accountId,
    campaignGroupId: tracking.campaignGroupId,
    campaignId: ad.campaign.id,
    campaignName: ad.campaign.name,
    creativeToken,
    override: account.templateOverride,
  });
  const own = campaignKeys(ad, account);
  const { urlParameters, added, removed, leftOut } = mergeLinkedInUrlParameters(tracking.campaignUrlParameters, template, own.keys);
  const notice = own.notice(leftOut);
  if (added.length === 0 && removed.length === 0) return { kind: 'tracked', ...notice };
  return {
    kind: 'write',
    write: { network: 'linkedin', key: writeKeys.linkedin(ad.campaign.id), campaignId: ad.campaign.id, urlParameters },
    appliedParams: Object.fromEntries(added.map((parameter) => [parameter.key, parameter.value])),
    ...notice,
  };
}
