/**
 * From per-ad plans to the writes a sweep sends, and back from write results to per-ad statuses.
 *
 * Google and LinkedIn are tagged per campaign: every ad of a campaign that needs a change plans the
 * same campaign write, so the fold keeps one write per campaign. Facebook writes are per ad and pass
 * through unchanged.
 */
import type { TrackingWrite, WriteResult } from '../../networks/types';
import { networkRejected } from './reasons';
import { NOTICE_REASON_CODES, type AdTrackingPlan, type TrackingReason } from './types';

export interface FoldedPlans {
  /**
   * The plans without their `write`: each ad that waits for a write keeps `writeKey`, the key of
   * the one write (in `writes`) whose result decides its status.
   */
  plans: AdTrackingPlan[];
  /** One write per key, in the order the keys first appear. */
  writes: TrackingWrite[];
}

const campaignOf = (plan: AdTrackingPlan): string => `${plan.network}:${plan.campaignId}`;

/**
 * - One write per campaign (Google, LinkedIn) or per ad (Facebook); the first plan's write wins when
 *   siblings disagree (they are built from the same campaign fields).
 * - A campaign with any TEMPLATE_WITHOUT_LPURL ad gets no write at all, and any of its ads that
 *   planned one report that reason instead.
 * - Ads with TRACKING_SET_BELOW_CAMPAIGN (or any per-ad error) stay errors; the campaign write their
 *   eligible siblings need still goes out.
 */
export function foldWrites(plans: readonly AdTrackingPlan[]): FoldedPlans {
  const blocked = new Map<string, TrackingReason>();
  for (const plan of plans) {
    if (plan.reason?.code === 'TEMPLATE_WITHOUT_LPURL' && !blocked.has(campaignOf(plan))) blocked.set(campaignOf(plan), plan.reason);
  }

  const writes = new Map<string, TrackingWrite>();
  const folded = plans.map((plan): AdTrackingPlan => {
    const { write, ...rest } = plan;
    if (write === undefined) return rest;
    const blockedBy = blocked.get(campaignOf(plan));
    if (blockedBy !== undefined) {
      const { writeKey: _dropped, appliedParams: _none, ...withoutWrite } = rest;
      return { ...withoutWrite, trackingStatus: 'error', reason: blockedBy, nextState: { ...plan.nextState, trackingStatus: 'error', reason: blockedBy } };
    }
    if (!writes.has(write.key)) writes.set(write.key, write);
    return { ...rest, writeKey: write.key };
  });
  return { plans: folded, writes: [...writes.values()] };
}

/**
 * Applies the clients' write results: an ad whose write succeeded is `tracked` (keeping a notice such
 * as TEMPLATE_KEYS_LEFT_OUT), one whose write
 * failed is `error` with NETWORK_REJECTED (retryable for rate limits and transient failures). Plans
 * without a result for their key are returned unchanged (still `pending`).
 */
export function settleWriteResults(plans: readonly AdTrackingPlan[], results: readonly WriteResult[]): AdTrackingPlan[] {
  const byKey = new Map(results.map((result) => [result.key, result]));
  return plans.map((plan) => {
    const result = plan.writeKey === undefined ? undefined : byKey.get(plan.writeKey);
    if (result === undefined) return plan;
    if (result.ok) {
      if (plan.reason !== undefined && NOTICE_REASON_CODES.has(plan.reason.code)) {
        return { ...plan, trackingStatus: 'tracked', nextState: { ...plan.nextState, trackingStatus: 'tracked' } };
      }
      const { reason: _cleared, ...rest } = plan;
      const { reason: _old, ...nextState } = plan.nextState;
      return { ...rest, trackingStatus: 'tracked', nextState: { ...nextState, trackingStatus: 'tracked' } };
    }
    const reason = networkRejected(
      result.error ?? { kind: 'transient', code: 'UNKNOWN', message: 'The network gave no detail about the failure.' },
    );
    return { ...plan, trackingStatus: 'error', reason, nextState: { ...plan.nextState, trackingStatus: 'error', reason } };
  });
}
