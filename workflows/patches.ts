/**
 * Every `patched()` id in the workflow code, with the change it gates (README "Changing a workflow").
 * An id is never reused or renamed: recorded histories carry it as a marker. Once no run older than a
 * patch can still be open (the longest-lived runs continue as new, so: after every account's run has
 * continued as new past the release), `patched(id)` becomes `deprecatePatch(id)` with the old branch
 * deleted, and one release later the call goes too.
 */
export const Patches = {
  /**
   * Released after 9070651: the account workflow owns its lead sync (starts it as a child, stops it on
   * disconnect, resumes it on reconnect); runs started before keep their recorded commands.
   */
  accountOwnsLeadSync: 'account-owns-lead-sync',
  /** Same release: lead sync publishes the account's search attributes and parks on a refused token. */
  leadSyncOwnedByAccount: 'lead-sync-owned-by-account',
  /**
   * Issue 12: an account whose idle interval is longer than its sweep interval sleeps between sweeps
   * (until a retry, metrics or the idle safety net is due) and is woken by its network's ads watcher,
   * which it starts as a child; runs started before keep sweeping on every interval.
   */
  adsWatcher: 'ads-watcher-wakes-account',
  /**
   * Issue 12 P4: a sweep pages in `sweepAds` calls of up to a minute each, the last one recording the
   * sweep (a steady sweep is one activity instead of one per page plus `recordSweep`), and the wait
   * between sweeps keeps a timer that rings no later than needed instead of cancelling and starting
   * one per sweep; runs started before keep `sweepAdsPage` per page, `recordSweep` and their timers.
   */
  sweepInFewActivities: 'sweep-in-few-activities',
  /**
   * Issue 12 (lead backfill): a first poll that read every form from the start (no cursor) stored
   * everything at the network, so the periodic reconciliation is next due one interval later instead
   * of re-reading every lead right after it; runs started before reconcile at once as recorded.
   */
  firstFullPollCountsAsReconcile: 'first-full-poll-counts-as-reconcile',
} as const;
