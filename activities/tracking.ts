import { heartbeat } from '@temporalio/activity';
import type { AnyBulkWriteOperation } from 'mongoose';
import { bulkWriteInChunks } from '../src/db/bulk';
import { deleteByIds } from '../src/db/by-ids';
import { adKeyOf, type AdDoc } from '../src/db/models/ad';
import type { AdAuditEntry } from '../src/db/models/ad-audit';
import type { AdWriteIntent } from '../src/db/models/ad-write-journal';
import { interruptedWrites, journalWrites } from './tracking-journal';
import { distinctAdsOf, planAccountAds } from './tracking-plan';
import type { Models } from '../src/db/models';
import { settleWriteResults, type AdTrackingPlan } from '../src/domain/tracking';
import type { LandingChecker } from '../src/landing/landing-checker';
import type { AdRecord, Network, TrackingWrite, WriteResult } from '../src/networks/types';
import { loadAccount, type AccountDeps } from './accounts';
import { withAccessToken, type TokenDeps } from './tokens';
import { adsSwept, networkRateLimited, sweepPages, trackingWrites } from '../src/metrics/registry';

export interface TrackingDeps extends TokenDeps, AccountDeps {
  models: Models;
  landing: LandingChecker;
  ownShortenerDomain?: string;
  linkedInCreativeToken: string;
  /** First retry delay after a transient write failure; doubles per attempt up to 6 h (TRK-11). */
  trackingRetryBaseMs?: number;
}

export interface SweepPageInput {
  accountKey: string;
  run: string;
  isFirstSweep: boolean;
  /** ACC-4 as the account workflow holds it; absent from runs that predate it (then the stored switch). */
  autoTracking?: boolean;
  cursor?: string;
  updatedSince?: string;
}

export interface SweepPageResult {
  nextCursor?: string;
  seen: number;
  writes: number;
  statuses: Record<string, number>;
}

const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 60 * 60 * 1000;

export function createTrackingActivities(deps: TrackingDeps) {
  return {
    /**
     * One page of the account's ads (one activity per page keeps the history proportional to pages);
     * runs that predate `Patches.sweepInFewActivities` still call it, newer ones call `sweepAds`.
     */
    async sweepAdsPage(input: SweepPageInput): Promise<SweepPageResult> {
      return sweepPage(deps, input, (details) => heartbeat(details));
    },

    /** The admin's "fix alert → yes, add tracking" (TRK-4): lifts the cap; the next sweep tags the ad. */
    async markEngagementCapOverride(input: { accountKey: string; adId: string; run: string }): Promise<void> {
      const account = await loadAccount(deps, input.accountKey);
      const adKey = adKeyOf(account.network, input.adId);
      await deps.models.Ad.updateOne({ _id: adKey }, { $set: { engagementCapOverride: true } });
      await deps.models.AdAudit.updateOne(
        { _id: `${adKey}:${input.run}:override` },
        {
          $setOnInsert: {
            adKey,
            accountKey: input.accountKey,
            at: new Date(),
            run: input.run,
            action: 'override',
            before: { engagementCapped: true },
            after: { engagementCapOverride: true },
            reason: null,
          },
        },
        { upsert: true },
      );
    },
  };
}

/**
 * One page of the account's ads: list → plan each ad with the pure rules → fold into the fewest
 * writes → apply in batches of the network's maximum → store every ad's outcome and an audit entry.
 * Safe to retry: planning only ever adds missing parameters, so a page replayed after a partial write
 * writes nothing twice. `beat` reports progress (the caller's activity heartbeat).
 */
export async function sweepPage(deps: TrackingDeps, input: SweepPageInput, beat: (progress: Record<string, number>) => void): Promise<SweepPageResult> {
  const account = await loadAccount(deps, input.accountKey);
  return withAccessToken(deps, account.connectionId, async (accessToken, client) => {
    const page = await client.listAds(accessToken, account.externalId, {
      // Every ad, not only deliverable ones: paused, disapproved and "with issues" ads are listed and
      // named in reports with their state (issue 15 item 4), and their own URL keys still count for
      // the campaign template (campaign-keys.ts). planAdTracking never writes to them.
      scope: 'all',
      ...(input.cursor ? { cursor: input.cursor } : {}),
      ...(input.updatedSince ? { updatedSince: input.updatedSince } : {}),
      pageSize: client.limits.adsPageSizeMax,
    });
    beat({ listed: page.items.length });
    const ads = distinctAdsOf(account, page.items);
    const now = new Date();
    const autoTracking = input.autoTracking ?? account.autoTracking;
    const { plans, writes, storedById } = await planAccountAds(deps, account, ads, { autoTracking, workflowFirstSweep: input.isFirstSweep, now });
    beat({ planned: plans.length });
    const interrupted = await interruptedWrites(deps.models, account.network, ads, plans, storedById);
    const journaled = await journalWrites(deps.models, input, account.network, ads, plans, now);
    const results: WriteResult[] = [];
    for (let i = 0; i < writes.length; i += client.limits.writeBatchMax) {
      results.push(...(await client.applyTracking(accessToken, account.externalId, writes.slice(i, i + client.limits.writeBatchMax))));
      beat({ written: results.length });
    }
    const settled = settleWriteResults(plans, results);
    const writesByKey = new Map(writes.map((w) => [w.key, w]));
    await storeOutcomes(deps.models, input, account.network, ads, settled, storedById, writesByKey, results, interrupted, now, deps.trackingRetryBaseMs ?? RETRY_BASE_MS);
    const done = [...journaled, ...interrupted.keys()];
    await deleteByIds(deps.models.AdWriteJournal, done);

    const statuses: Record<string, number> = {};
    for (const plan of settled) statuses[plan.trackingStatus] = (statuses[plan.trackingStatus] ?? 0) + 1;
    countSweepPage(account.network, statuses, results);
    return { ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), seen: ads.length, writes: writes.length, statuses };
  });
}

/** Counted after the outcomes are stored: a page that fails before that is counted by its retry. */
function countSweepPage(network: Network, statuses: Record<string, number>, results: WriteResult[]): void {
  sweepPages.inc({ network });
  for (const [status, n] of Object.entries(statuses)) adsSwept.inc({ network, tracking_status: status }, n);
  for (const result of results) {
    trackingWrites.inc({ network, outcome: result.ok ? 'applied' : 'failed' });
    if (result.error?.kind === 'rate_limited') networkRateLimited.inc({ network });
  }
}

async function storeOutcomes(
  models: Models,
  input: SweepPageInput,
  network: Network,
  ads: AdRecord[],
  plans: AdTrackingPlan[],
  storedById: Map<string, AdDoc>,
  writesByKey: Map<string, TrackingWrite>,
  results: WriteResult[],
  interrupted: Map<string, AdWriteIntent>,
  now: Date,
  retryBaseMs: number,
): Promise<void> {
  const resultByKey = new Map(results.map((r) => [r.key, r]));
  const adOps: AnyBulkWriteOperation<AdDoc>[] = [];
  const auditOps: AnyBulkWriteOperation<AdAuditEntry>[] = [];
  ads.forEach((ad, index) => {
    const plan = plans[index]!;
    const adKey = adKeyOf(network, ad.adId);
    const before = storedById.get(ad.adId);
    const wrote = plan.writeKey !== undefined && resultByKey.get(plan.writeKey)?.ok === true;
    // Tagged at the network by a write of ours whose outcome a stopped worker never stored.
    const intent = interrupted.get(adKey);
    const recovered = !wrote && intent !== undefined && plan.trackingStatus === 'tracked' && before?.trackingStatus !== 'tracked' ? intent : undefined;
    const appliedNow = wrote ? (plan.appliedParams ?? {}) : recovered?.params;
    // Waiting for its retry: the backoff already stored stays as it is (TRK-11).
    const attempts = plan.waitingForRetry ? (before?.attempts ?? 0) : plan.reason?.retryable ? (before?.attempts ?? 0) + 1 : 0;
    const retryDelay = plan.reason?.retryable && !plan.waitingForRetry
      ? Math.max(plan.reason.networkError?.retryAfterMs ?? 0, Math.min(RETRY_MAX_MS, retryBaseMs * 2 ** Math.min(attempts - 1, 10)))
      : 0;
    const nextRetryAt = plan.waitingForRetry ? (before?.nextRetryAt ?? null) : retryDelay ? new Date(now.getTime() + retryDelay) : null;
    adOps.push({
      updateOne: {
        filter: { _id: adKey },
        update: {
          $set: {
            accountKey: input.accountKey,
            network,
            adId: ad.adId,
            name: ad.name,
            status: ad.status,
            rawStatus: ad.rawStatus,
            campaign: ad.campaign,
            adGroup: ad.adGroup,
            landingUrl: ad.landingUrl,
            format: 'format' in ad.tracking ? ad.tracking.format : ad.tracking.channelType,
            placements: ad.tracking.network === 'facebook' ? (ad.tracking.placements ?? []) : [],
            trackingStatus: plan.trackingStatus,
            reason: plan.reason ? { code: plan.reason.code, message: plan.reason.message, retryable: plan.reason.retryable } : null,
            engagementCapped: plan.nextState.engagementCapped,
            attempts,
            nextRetryAt,
            networkUpdatedTime: ad.updatedTime,
            // The backoff counts from the last real attempt, which a waiting ad did not get.
            lastCheckedAt: plan.waitingForRetry && before ? before.lastCheckedAt : now,
            ...(appliedNow ? { appliedParams: { ...(before?.appliedParams ?? {}), ...appliedNow } } : {}),
            ...(plan.trackingStatus === 'tracked' && !before?.trackedSince ? { trackedSince: now } : {}),
          },
          $setOnInsert: { firstSeenAt: plan.nextState.firstSeenAt ? new Date(plan.nextState.firstSeenAt) : now, engagementCapOverride: false },
        },
        upsert: true,
      },
    });
    const changed = wrote || before?.trackingStatus !== plan.trackingStatus || before?.reason?.code !== plan.reason?.code;
    if (!changed) return;
    const action: AdAuditEntry['action'] = appliedNow ? 'applied' : plan.trackingStatus === 'error' ? 'error' : plan.trackingStatus === 'excluded' ? 'excluded' : 'skipped';
    const write = plan.writeKey ? writesByKey.get(plan.writeKey) : undefined;
    auditOps.push({
      updateOne: {
        filter: { _id: `${adKey}:${input.run}:${action}` },
        update: {
          $setOnInsert: {
            adKey,
            accountKey: input.accountKey,
            at: now,
            run: input.run,
            action,
            before: { trackingStatus: before?.trackingStatus ?? null, params: before?.appliedParams ?? {}, ...trackingSnapshot(ad) },
            after: {
              trackingStatus: plan.trackingStatus,
              params: appliedNow ?? plan.appliedParams ?? {},
              ...(wrote && write ? { write: describeWrite(write) } : {}),
              ...(recovered ? { recoveredFrom: recovered.run } : {}),
            },
            reason: plan.reason ? { code: plan.reason.code, message: plan.reason.message } : null,
          },
        },
        upsert: true,
      },
    });
  });
  // The audit trail first: an ad never shows a new status without the entry that explains it (TRK-12).
  await bulkWriteInChunks(models.AdAudit, auditOps, { ordered: false });
  await bulkWriteInChunks(models.Ad, adOps, { ordered: false });
}

function trackingSnapshot(ad: AdRecord): Record<string, unknown> {
  const t = ad.tracking;
  if (t.network === 'facebook') return { urlTags: t.urlTags };
  if (t.network === 'google') return { campaignTrackingUrlTemplate: t.campaignTrackingUrlTemplate, campaignCustomParameters: t.campaignCustomParameters };
  return { campaignUrlParameters: t.campaignUrlParameters };
}

function describeWrite(write: TrackingWrite): Record<string, unknown> {
  if (write.network === 'facebook') return { urlTags: write.urlTags };
  if (write.network === 'google') return { trackingUrlTemplate: write.trackingUrlTemplate, urlCustomParameters: write.urlCustomParameters };
  return { urlParameters: write.urlParameters };
}
