/**
 * TRK-4 measures engagements "when the account is first connected": during the first sweep that
 * applies tracking. For an account connected with auto-tracking on that is the workflow's first
 * sweep. For one connected with it off to preview first (issue 13) that sweep changed nothing, so
 * the measure moves, per ad, to the first time an ad that existed before tracking was switched on
 * is planned with it on. An ad first seen after the switch is never capped, as for any account.
 */
export interface CapMeasureInput {
  /** The workflow's own first sweep (nothing swept before). */
  workflowFirstSweep: boolean;
  /**
   * ISO time auto-tracking was first switched on after a connection with it off; the preview, asked
   * before the switch, passes the current time. Null for an account connected with it on.
   */
  trackingStartedAt: string | null;
  /** ISO time the ad was first stored; undefined when no sweep has stored it yet. */
  adFirstSeenAt: string | undefined;
  /** No sweep has planned the ad with auto-tracking on yet (stored only as AUTO_TRACKING_OFF, or not at all). */
  adNeverPlannedOn: boolean;
}

export function engagementCapMeasuresNow(input: CapMeasureInput): boolean {
  if (input.workflowFirstSweep) return true;
  if (input.trackingStartedAt === null || !input.adNeverPlannedOn || input.adFirstSeenAt === undefined) return false;
  return Date.parse(input.adFirstSeenAt) <= Date.parse(input.trackingStartedAt);
}
