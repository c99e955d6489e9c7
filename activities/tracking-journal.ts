import { adKeyOf, type AdDoc } from '../src/db/models/ad';
import type { AdWriteIntent } from '../src/db/models/ad-write-journal';
import type { Models } from '../src/db/models';
import { findByIds } from '../src/db/by-ids';
import { isDuplicateKeyError } from '../src/db/errors';
import type { AdTrackingPlan } from '../src/domain/tracking';
import type { AdRecord, Network } from '../src/networks/types';
import type { SweepPageInput } from './tracking';

/**
 * The write journal of a sweep page (TRK-12 across crashes, src/db/models/ad-write-journal.ts): what a
 * page is about to write, and what an interrupted attempt wrote without storing its outcome.
 */

/**
 * Journal entries of ads found tagged that we had not stored as tagged: the writes of an interrupted
 * attempt (see AdWriteIntent). Looked up only for such ads, so a sweep with nothing new reads nothing.
 */
export async function interruptedWrites(models: Models, network: Network, ads: AdRecord[], plans: AdTrackingPlan[], storedById: Map<string, AdDoc>): Promise<Map<string, AdWriteIntent>> {
  const candidates = ads.filter((ad, index) => plans[index]!.trackingStatus === 'tracked' && storedById.get(ad.adId)?.trackingStatus !== 'tracked');
  if (candidates.length === 0) return new Map();
  const found = await findByIds(models.AdWriteJournal, candidates.map((ad) => adKeyOf(network, ad.adId)));
  return new Map(found.map((intent) => [intent._id, intent]));
}

/**
 * Journals the page's writes before they are sent (see AdWriteIntent); returns the journaled keys.
 * Inserts, the embedded database's fastest write; an entry an interrupted attempt left stays (the same
 * sweep's, or an older one the page removes when it is done).
 */
export async function journalWrites(models: Models, input: SweepPageInput, network: Network, ads: AdRecord[], plans: AdTrackingPlan[], now: Date): Promise<string[]> {
  const intents = ads.flatMap((ad, index): AdWriteIntent[] => {
    const plan = plans[index]!;
    if (plan.writeKey === undefined) return [];
    return [{ _id: adKeyOf(network, ad.adId), accountKey: input.accountKey, run: input.run, params: plan.appliedParams ?? {}, at: now }];
  });
  if (intents.length === 0) return [];
  try {
    await models.AdWriteJournal.insertMany(intents, { ordered: false });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return intents.map((intent) => intent._id);
}
