/**
 * Campaigns group assets (CMP-1). An asset belongs to at most one campaign at a time; associating
 * it with another campaign moves it (ATT-5). The association history is kept, so touches made
 * while the asset belonged to the old campaign stay with the old campaign — moving an asset does
 * not move past attribution — and a campaign counts an asset's data only from its association on.
 */
import type { Network } from '../../networks/types';
import { plainObjectId, type ClickIdentity } from '../tracking';
import { toMillis } from '../visitors';

export const CAMPAIGN_ASSET_KINDS = [
  'ad_campaign',
  'form',
  'landing_page',
  'web_page',
  'blog_post',
  'tracking_url',
  'email',
  'social_post',
  'cta',
] as const;
export type CampaignAssetKind = (typeof CAMPAIGN_ASSET_KINDS)[number];

export interface AssetRef {
  kind: CampaignAssetKind;
  id: string;
  /** Ad campaigns only: the network (Google campaigns are paid search, see visibleCampaignAssets). */
  network?: Network;
}

export interface Campaign {
  id: string;
  name: string;
  /** ISO creation time: a utm_campaign value counts for the campaign from here on. */
  createdAt: string;
  /** The utm_campaign value that belongs to this campaign (case-insensitive), if any. */
  utmCampaign?: string;
  /** ISO start/end: reports only count what happened within them (CMP-1). */
  startAt?: string;
  endAt?: string;
}

/** One period during which an asset belonged to a campaign; `until` absent = still does. */
export interface CampaignAssociation {
  campaignId: string;
  asset: AssetRef;
  from: string;
  until?: string;
}

export const assetKey = (asset: AssetRef): string => `${asset.kind}:${asset.id}`;

/** The asset for a network ad campaign (ids in their plain form, so clicks and syncs agree). */
export function adCampaignAsset(network: Network, campaignId: string): AssetRef {
  return { kind: 'ad_campaign', id: `${network}:${plainObjectId(campaignId)}`, network };
}

/** The ad campaign a tagged click came from, as an asset; undefined when the click names no campaign. */
export function adCampaignAssetOfClick(identity: ClickIdentity | null): AssetRef | undefined {
  if (identity?.campaignId === undefined) return undefined;
  // LinkedIn: the campaign group is the "ad campaign" advertisers think in; the campaign otherwise.
  const id = identity.network === 'linkedin' ? (identity.campaignGroupId ?? identity.campaignId) : identity.campaignId;
  return adCampaignAsset(identity.network, id);
}

function isOpenAt(association: CampaignAssociation, at: number): boolean {
  return toMillis(association.from, 'association start') <= at && (association.until === undefined || at < toMillis(association.until, 'association end'));
}

/** The campaign the asset belonged to at `at` (ISO), if any. */
export function campaignOfAssetAt(history: readonly CampaignAssociation[], asset: AssetRef, at: string): string | undefined {
  const key = assetKey(asset);
  const time = toMillis(at, 'touch time');
  return history.find((a) => assetKey(a.asset) === key && isOpenAt(a, time))?.campaignId;
}

/** The campaign the asset belongs to now (its open association), if any. */
export function currentCampaignOfAsset(history: readonly CampaignAssociation[], asset: AssetRef): string | undefined {
  const key = assetKey(asset);
  return history.find((a) => assetKey(a.asset) === key && a.until === undefined)?.campaignId;
}

export interface AssociationChange {
  history: CampaignAssociation[];
  /** The campaign the asset was moved away from. */
  movedFrom?: string;
  /** False when the asset already belonged to that campaign (nothing changed). */
  changed: boolean;
}

/**
 * Associates `asset` with `campaignId` at `at`: closes its current association (the asset leaves
 * its old campaign, which keeps what it counted so far) and opens a new one from `at`.
 */
export function associateAsset(history: readonly CampaignAssociation[], asset: AssetRef, campaignId: string, at: string): AssociationChange {
  const key = assetKey(asset);
  const current = history.find((a) => assetKey(a.asset) === key && a.until === undefined);
  if (current?.campaignId === campaignId) return { history: [...history], changed: false };
  const closed = history.map((a) => (a === current ? { ...a, until: at } : a));
  return {
    history: [...closed, { campaignId, asset, from: at }],
    ...(current === undefined ? {} : { movedFrom: current.campaignId }),
    changed: true,
  };
}

/** Removes the asset from its campaign at `at` (history kept). */
export function dissociateAsset(history: readonly CampaignAssociation[], asset: AssetRef, at: string): AssociationChange {
  const key = assetKey(asset);
  const current = history.find((a) => assetKey(a.asset) === key && a.until === undefined);
  if (current === undefined) return { history: [...history], changed: false };
  return { history: history.map((a) => (a === current ? { ...a, until: at } : a)), movedFrom: current.campaignId, changed: true };
}

/** Assets that only show up in a campaign once visited after the association (ATT-5). */
function needsAVisit(asset: AssetRef): boolean {
  return asset.kind === 'tracking_url' || (asset.kind === 'ad_campaign' && asset.network === 'google');
}

/**
 * The assets shown in a campaign: those currently associated with it, except tracking URLs and
 * paid-search (Google) campaigns that have not had a visit since they joined the campaign
 * (and since the campaign was created).
 * @param visits ISO visit times per asset key (assetKey)
 */
export function visibleCampaignAssets(
  campaign: Campaign,
  history: readonly CampaignAssociation[],
  visits: Readonly<Record<string, readonly string[]>>,
): AssetRef[] {
  const created = toMillis(campaign.createdAt, 'campaign creation');
  return history
    .filter((a) => a.campaignId === campaign.id && a.until === undefined)
    .filter((a) => {
      if (!needsAVisit(a.asset)) return true;
      const since = Math.max(created, toMillis(a.from, 'association start'));
      return (visits[assetKey(a.asset)] ?? []).some((at) => toMillis(at, 'visit time') >= since);
    })
    .map((a) => a.asset);
}

/** Whether `at` lies within the campaign's start/end dates (open ends are unbounded). */
export function withinCampaignDates(campaign: Pick<Campaign, 'startAt' | 'endAt'>, at: string): boolean {
  const time = toMillis(at, 'time');
  if (campaign.startAt !== undefined && time < toMillis(campaign.startAt, 'campaign start')) return false;
  if (campaign.endAt !== undefined && time > toMillis(campaign.endAt, 'campaign end')) return false;
  return true;
}
