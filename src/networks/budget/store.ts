import type { Models } from '../../db/models';
import { isDuplicateKeyError } from '../../db/errors';

/** Where the budget keeps what all workers share: claimed leases and the networks' "wait until"s. */
export interface BudgetStore {
  /** True when this caller got lease `lease` of `slice`; false when another worker has it. */
  claimLease(key: string, slice: number, lease: number): Promise<boolean>;
  /** Leases of slices before `slice` are spent; dropping them keeps the collection a few slices long. */
  dropLeasesBefore(key: string, slice: number): Promise<void>;
  block(key: string, until: Date): Promise<void>;
  activeBlocks(now: Date): Promise<{ key: string; until: Date }[]>;
}

/** Expired waits are dropped when the key is blocked again; a minute's slack covers clock skew between workers. */
const EXPIRED_KEPT_MS = 60_000;

export function mongoBudgetStore(models: Pick<Models, 'RateLease' | 'RateBlock'>): BudgetStore {
  return {
    async claimLease(key, slice, lease) {
      try {
        await models.RateLease.create({ _id: `${key}|${slice}|${lease}`, key, slice });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
    async dropLeasesBefore(key, slice) {
      await models.RateLease.deleteMany({ key, slice: { $lt: slice } });
    },
    async block(key, until) {
      // One document per announced wait, not an update of one per key: FerretDB v1 loses one of two
      // racing updates of a document ($max included), never an insert. The longest live wait stands.
      try {
        await models.RateBlock.create({ _id: `${key}|${until.getTime()}`, key, until });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      await models.RateBlock.deleteMany({ key, until: { $lt: new Date(Date.now() - EXPIRED_KEPT_MS) } });
    },
    async activeBlocks(now) {
      const docs = await models.RateBlock.find({ until: { $gt: now } }, { key: 1, until: 1 }).lean();
      return docs.map((d) => ({ key: d.key, until: d.until }));
    },
  };
}
