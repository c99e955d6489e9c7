/**
 * Contact lifecycle stages in their funnel order. "other" closes the list but is not a step of the
 * funnel (it is also not a valid conversion trigger, CONV-2).
 */

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const LIFECYCLE_STAGE_LABELS: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing qualified lead',
  salesqualifiedlead: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

export function isLifecycleStage(value: unknown): value is LifecycleStage {
  return typeof value === 'string' && (LIFECYCLE_STAGES as readonly string[]).includes(value);
}

/** 0 for subscriber … 7 for other. */
export function lifecycleStageRank(stage: LifecycleStage): number {
  return LIFECYCLE_STAGES.indexOf(stage);
}

/** Negative when `a` comes before `b` in the funnel; usable with Array.prototype.sort. */
export function compareLifecycleStages(a: LifecycleStage, b: LifecycleStage): number {
  return lifecycleStageRank(a) - lifecycleStageRank(b);
}

/** True when moving from `from` to `to` goes further down the funnel ("other" is never a step forward). */
export function isForwardMove(from: LifecycleStage | undefined, to: LifecycleStage): boolean {
  if (to === 'other') return false;
  if (from === undefined || from === 'other') return true;
  return compareLifecycleStages(to, from) > 0;
}
