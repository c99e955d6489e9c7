/**
 * Loads the ads a click identity may point at, as attribution needs them (KnownAd): the Ad
 * collection (`_id` = "<network>:<adId>", trackedSince) plus the account's auto-tracking history
 * (ACC-5). Ids are matched in their plain form, like the tracking rules write them.
 */
import type { ClickIdentity } from '../domain/tracking';
import { plainAccountId, plainObjectId } from '../domain/tracking';
import type { KnownAd } from '../domain/attribution';
import type { Models } from '../db/models';
import { findByIds } from '../db/by-ids';
import type { AdDoc } from '../db/models/ad';
import type { AdAccountRecord } from '../db/models/ad-account';
import type { Network } from '../networks/types';

type AdModels = Pick<Models, 'Ad' | 'AdAccount'>;

/** The forms an object id may be stored in (plain, LinkedIn urns). */
function idForms(network: Network, id: string, urnKind: string): string[] {
  const plain = plainObjectId(id);
  return network === 'linkedin' ? [plain, `urn:li:${urnKind}:${plain}`] : [plain];
}

export function toKnownAd(ad: AdDoc, account: AdAccountRecord): KnownAd {
  return {
    network: ad.network,
    accountId: account.externalId,
    campaignId: ad.campaign?.id ?? '',
    ...(ad.adGroup?.id ? { adGroupId: ad.adGroup.id } : {}),
    adId: ad.adId,
    trackedSince: ad.trackedSince ? new Date(ad.trackedSince).toISOString() : null,
    autoTrackingHistory: (account.autoTrackingHistory ?? []).map((toggle) => ({ enabled: toggle.enabled, at: new Date(toggle.at).toISOString() })),
  };
}

async function accountsFor(models: AdModels, network: Network, plainAccount: string): Promise<AdAccountRecord[]> {
  const accounts = await models.AdAccount.find({ network }).lean<AdAccountRecord[]>();
  return accounts.filter((account) => plainAccountId(account.externalId) === plainAccount);
}

export async function loadKnownAds(models: AdModels, identities: readonly ClickIdentity[]): Promise<KnownAd[]> {
  const known: KnownAd[] = [];
  for (const identity of identities) {
    if (identity.accountId === undefined) continue;
    for (const account of await accountsFor(models, identity.network, identity.accountId)) {
      const filter: Record<string, unknown> = { accountKey: account._id };
      if (identity.adId !== undefined) filter.adId = { $in: idForms(identity.network, identity.adId, 'sponsoredCreative') };
      else if (identity.campaignId !== undefined) filter['campaign.id'] = { $in: idForms(identity.network, identity.campaignId, 'sponsoredCampaign') };
      else continue;
      const ads = await models.Ad.find(filter).limit(identity.adId !== undefined ? 5 : 1).lean<AdDoc[]>();
      known.push(...ads.map((ad) => toKnownAd(ad, account)));
    }
  }
  return known;
}

/** The Ad collection key of an ad, as stored; falls back to "<network>:<plain id>". */
export async function resolveAdKey(models: Pick<Models, 'Ad'>, network: Network, adId: string): Promise<string> {
  const candidates = [...new Set([adId, ...idForms(network, adId, 'sponsoredCreative')])].map((id) => `${network}:${id}`);
  // By `_id` equality (findByIds): `$in` makes the embedded database scan every account's ads.
  const found = new Set((await findByIds(models.Ad, candidates, { _id: 1 })).map((ad) => ad._id));
  return candidates.find((id) => found.has(id)) ?? `${network}:${plainObjectId(adId)}`;
}
