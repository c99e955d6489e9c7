/**
 * ATT-4 per contact: first-touch and last-touch utm_campaign and campaign, and the campaigns that
 * influenced the contact.
 *
 * - First touch: the first page the contact ever saw — its utm_campaign, and the campaign it belongs
 *   to (an asset of the campaign at that time, or the campaign's own utm_campaign value).
 * - Last touch: the first conversion (form submission). Its campaign is the one the conversion page
 *   or form belonged to, else the latest campaign asset touched earlier in the same session. Its
 *   utm_campaign is the conversion page's, else the latest one seen earlier in the converting session
 *   (typically the landing page of an ad click, before the visitor navigated to the form).
 * - Influenced: every campaign one of whose assets the contact touched while it belonged to it.
 * Touches count for a campaign only while the asset was associated with it (ATT-5, CMP-2).
 */
import { parseTrackingParams } from '../tracking';
import { toMillis } from '../visitors';
import { campaignOfAssetAt, type AssetRef, type Campaign, type CampaignAssociation } from './campaign-assets';

export type TouchKind = 'page_view' | 'form_submission' | 'email_open' | 'email_click' | 'social_click' | 'cta_click';

export interface ContactTouch {
  at: string;
  kind: TouchKind;
  sessionId?: string;
  /** The page viewed, or the page a form was submitted on. */
  url?: string;
  /** The assets touched, as the caller resolved them (the page, the form, a tracking URL, the ad campaign). */
  assets: readonly AssetRef[];
}

export interface TouchCredit {
  at: string;
  utmCampaign?: string;
  campaignId?: string;
}

export interface ContactCampaignSummary {
  firstTouch: TouchCredit | null;
  lastTouch: TouchCredit | null;
  /** Every touch that influenced a campaign, with its time (for date-bounded reports). */
  influenced: { campaignId: string; at: string }[];
}

export interface ContactCampaignInput {
  touches: readonly ContactTouch[];
  campaigns: readonly Campaign[];
  associations: readonly CampaignAssociation[];
}

const utmCampaignOf = (touch: ContactTouch): string | undefined => (touch.url === undefined ? undefined : parseTrackingParams(touch.url).utm_campaign);

function assetCampaigns(touch: ContactTouch, associations: readonly CampaignAssociation[]): string[] {
  const ids = touch.assets.map((asset) => campaignOfAssetAt(associations, asset, touch.at));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

/** The campaign a touch belongs to: an asset's campaign first, else the campaign owning its utm_campaign. */
function campaignOfTouch(touch: ContactTouch, input: ContactCampaignInput): string | undefined {
  const byAsset = assetCampaigns(touch, input.associations)[0];
  if (byAsset !== undefined) return byAsset;
  const utm = utmCampaignOf(touch)?.toLowerCase();
  if (utm === undefined) return undefined;
  const at = toMillis(touch.at, 'touch time');
  return input.campaigns.find((c) => c.utmCampaign?.toLowerCase() === utm && toMillis(c.createdAt, 'campaign creation') <= at)?.id;
}

function credit(at: string, utmCampaign: string | undefined, campaignId: string | undefined): TouchCredit {
  return { at, ...(utmCampaign === undefined ? {} : { utmCampaign }), ...(campaignId === undefined ? {} : { campaignId }) };
}

export function summariseContactCampaigns(input: ContactCampaignInput): ContactCampaignSummary {
  const touches = [...input.touches].sort((a, b) => toMillis(a.at, 'touch time') - toMillis(b.at, 'touch time'));

  const firstPage = touches.find((t) => t.kind === 'page_view');
  const firstTouch = firstPage === undefined ? null : credit(firstPage.at, utmCampaignOf(firstPage), campaignOfTouch(firstPage, input));

  let lastTouch: TouchCredit | null = null;
  const conversion = touches.find((t) => t.kind === 'form_submission');
  if (conversion !== undefined) {
    const at = toMillis(conversion.at, 'conversion time');
    // Earlier touches of the converting session, latest first.
    const earlier = touches
      .filter((t) => t !== conversion && conversion.sessionId !== undefined && t.sessionId === conversion.sessionId && toMillis(t.at, 'touch time') <= at)
      .reverse();
    const utmCampaign = utmCampaignOf(conversion) ?? earlier.map((t) => (t.kind === 'page_view' ? utmCampaignOf(t) : undefined)).find((u) => u !== undefined);
    const campaignId = campaignOfTouch(conversion, input) ?? earlier.map((t) => campaignOfTouch(t, input)).find((c) => c !== undefined);
    lastTouch = credit(conversion.at, utmCampaign, campaignId);
  }

  const influenced = touches.flatMap((touch) => assetCampaigns(touch, input.associations).map((campaignId) => ({ campaignId, at: touch.at })));
  return { firstTouch, lastTouch, influenced };
}
