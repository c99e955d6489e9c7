/** CONV-6: lifecycle-stage conversion events per portal, by plan. Each selected stage is one event. */
import type { ConversionTrigger } from './types';

export const PLAN_TIERS = ['professional', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export const LIFECYCLE_EVENT_LIMITS: Readonly<Record<PlanTier, number>> = {
  professional: 50,
  enterprise: 100,
};

/** How many lifecycle events existing definitions use (every selected stage counts once). */
export function lifecycleEventsUsed(definitions: readonly { trigger: ConversionTrigger }[]): number {
  return definitions.reduce((sum, d) => sum + (d.trigger.kind === 'lifecycle_stage' ? new Set(d.trigger.stages).size : 0), 0);
}
