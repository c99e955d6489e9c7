import { ApplicationFailure } from '@temporalio/common';
import { distinctAdsOf, planAccountAds, trackingStartedAt } from '../../../activities/tracking-plan';
import { withAccessToken } from '../../../activities/tokens';
import type { ActivityDeps } from '../../../activities';
import type { AdAccountRecord } from '../../db/models/ad-account';
import { FailureType } from '../../domain/failures';
import type { AdRecord } from '../../networks/types';
import { createActivityDeps } from '../../temporal/activity-deps';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { activeAccount } from './accounts-service';

/** What switching auto-tracking on would do to one ad. */
export interface PreviewedAd {
  adId: string;
  name: string;
  campaign: { id: string; name: string };
  /**
   * - `add`: the parameters in `params` are added (a Facebook ad then goes back to review);
   * - `tracked`: every parameter is there already, nothing is written;
   * - `held`: the engagement cap leaves the ad untouched (TRK-4) until an admin fixes the alert;
   * - `skipped`: the ad cannot be tracked, `reason` says why.
   */
  outcome: 'add' | 'tracked' | 'held' | 'skipped';
  params: Record<string, string>;
  backToReview: boolean;
  reason: { code: string; message: string } | null;
}

export interface TrackingPreview {
  accountId: string;
  network: AdAccountRecord['network'];
  autoTracking: boolean;
  /** The engagement cap (TRK-4) can hold ads here: tracking has not reached the ads that existed at connection yet. */
  engagementCapApplies: boolean;
  /** Network writes the switch would send (Google and LinkedIn write once per campaign). */
  writes: number;
  items: PreviewedAd[];
}

const depsOf = new WeakMap<ApiContext, ActivityDeps>();
/** The worker's network clients, vault and landing probe, built once per API context. */
function networkDeps(ctx: ApiContext): ActivityDeps {
  let deps = depsOf.get(ctx);
  if (!deps) depsOf.set(ctx, (deps = createActivityDeps(ctx.config, ctx.db)));
  return deps;
}

/** Network reads cap the preview: an account past this many deliverable ads is previewed in part. */
const MAX_PAGES = 50;

/**
 * Issue 13 "preview before applying": lists the account's deliverable ads at the network and runs
 * the very planning step a sweep runs (`planAccountAds`) as if auto-tracking were on, writing
 * nothing. Read-only at the network; the only database writes are the landing-probe cache and a
 * refreshed token, as in any sweep.
 */
export async function trackingPreview(ctx: ApiContext, id: string): Promise<TrackingPreview> {
  const account = await activeAccount(ctx, id);
  if (account.status !== 'active' || !account.connectionId) {
    throw new ApiError(409, 'account_not_active', 'The account needs a reconnect before its ads can be previewed.');
  }
  const deps = networkDeps(ctx);
  const loaded = { accountKey: account._id, network: account.network, externalId: account.externalId, connectionId: account.connectionId, autoTracking: account.autoTracking };
  const workflowFirstSweep = account.firstSweepCompletedAt == null;
  const engagementCapApplies = workflowFirstSweep || trackingStartedAt(account, new Date()) !== null;
  try {
    return await withAccessToken(deps, account.connectionId, async (accessToken, client) => {
      const ads: AdRecord[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const page = await client.listAds(accessToken, account.externalId, { scope: 'deliverable', pageSize: client.limits.adsPageSizeMax, ...(cursor ? { cursor } : {}) });
        ads.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      const distinct = distinctAdsOf(loaded, ads);
      const { plans, writes } = await planAccountAds(deps, loaded, distinct, { autoTracking: true, workflowFirstSweep, now: new Date(), preview: true });
      const items = distinct.map((ad, i): PreviewedAd => {
        const plan = plans[i]!;
        const held = plan.reason?.code === 'ENGAGEMENT_CAP';
        const outcome = plan.writeKey ? 'add' : plan.trackingStatus === 'tracked' ? 'tracked' : held ? 'held' : 'skipped';
        return {
          adId: ad.adId,
          name: ad.name,
          campaign: ad.campaign,
          outcome,
          params: plan.appliedParams ?? {},
          backToReview: outcome === 'add' && ad.network === 'facebook',
          reason: plan.reason ? { code: plan.reason.code, message: plan.reason.message } : null,
        };
      });
      return { accountId: account._id, network: account.network, autoTracking: account.autoTracking, engagementCapApplies, writes: writes.length, items };
    });
  } catch (error) {
    throw networkProblem(error);
  }
}

function networkProblem(error: unknown): unknown {
  if (!(error instanceof ApplicationFailure)) return error;
  if (error.type === FailureType.NetworkAuth) return new ApiError(409, 'needs_reconnect', 'The network refused the account\'s token; reconnect the account, then preview again.');
  return new ApiError(502, 'network_unavailable', 'The network did not answer the ad listing; try the preview again in a moment.', { retryable: !error.nonRetryable });
}
