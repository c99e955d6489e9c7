import { Context, heartbeat } from '@temporalio/activity';
import { createAccountActivities } from './accounts';
import { sweepPage, type SweepPageInput, type TrackingDeps } from './tracking';

/**
 * How long one `sweepAds` call keeps paging before it hands the cursor back to the workflow: well
 * inside the 3-minute start-to-close timeout even when one more page is slow, and long enough that a
 * steady sweep (few changed ads) is a single activity.
 */
export const SWEEP_CALL_BUDGET_MS = 60_000;

export interface SweepAdsInput extends SweepPageInput {
  /** Passed on to the sweep's bookkeeping once the last page is done. */
  firstSweep: boolean;
}

export interface SweepAdsResult {
  /** Present while pages are left: the workflow calls again from here. */
  nextCursor?: string;
  pages: number;
  seen: number;
  writes: number;
  /** The sweep's bookkeeping, present once the last page is done. */
  recorded?: SweepRecord & { at: string };
}

type SweepRecord = Awaited<ReturnType<ReturnType<typeof createAccountActivities>['recordSweep']>>;

interface Progress {
  /** The cursor of the first page not yet stored: where a retried attempt resumes. */
  resumeAt?: string;
  pages: number;
  seen: number;
  writes: number;
}

/**
 * Issue 12 P4: a sweep's pages in as few activities as time allows, so its history grows with the
 * time it takes rather than with its pages (a steady sweep is one activity), and the sweep's
 * bookkeeping in the same call. Each stored page is heartbeated with the next cursor, so a retry
 * resumes after the last page it knows was stored; the page it redoes is idempotent (sweepPage).
 */
export function createSweepActivities(deps: TrackingDeps) {
  const bookkeeping = createAccountActivities(deps);
  return {
    async sweepAds(input: SweepAdsInput): Promise<SweepAdsResult> {
      const startedAt = Date.now();
      const resumed = Context.current().info.heartbeatDetails as Progress | undefined;
      const progress: Progress = resumed ?? { ...(input.cursor ? { resumeAt: input.cursor } : {}), pages: 0, seen: 0, writes: 0 };
      const { firstSweep, cursor: _from, ...pageInput } = input;
      let cursor = progress.resumeAt;
      // An attempt that stored the last page and failed before the bookkeeping has nothing left to page.
      const paged = resumed !== undefined && resumed.pages > 0 && resumed.resumeAt === undefined;
      while (!paged) {
        const page = await sweepPage(deps, { ...pageInput, ...(cursor ? { cursor } : {}) }, (step) => heartbeat({ ...progress, ...step }));
        cursor = page.nextCursor;
        progress.pages += 1;
        progress.seen += page.seen;
        progress.writes += page.writes;
        if (cursor) progress.resumeAt = cursor;
        else delete progress.resumeAt;
        heartbeat(progress);
        if (!cursor || Date.now() - startedAt >= SWEEP_CALL_BUDGET_MS) break;
        // A cancelled call (workflow cancelled, worker shutting down) stops after the page it stored:
        // the heartbeat above is where the next attempt resumes, so nothing is lost or written twice.
        const { cancellationSignal } = Context.current();
        if (cancellationSignal.aborted) throw cancellationSignal.reason;
      }
      const counted = { pages: progress.pages, seen: progress.seen, writes: progress.writes };
      if (cursor) return { nextCursor: cursor, ...counted };
      const at = new Date().toISOString();
      const recorded = await bookkeeping.recordSweep({ accountKey: input.accountKey, at, firstSweep });
      return { ...counted, recorded: { ...recorded, at } };
    },
  };
}
