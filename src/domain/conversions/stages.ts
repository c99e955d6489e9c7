/**
 * CRM lifecycle stages a conversion event can be triggered by (CONV-2), with the label that becomes
 * the Facebook CRM event name (reference facebook §8.6: `event_name` is free-form, one event per
 * stage, e.g. "Marketing Qualified Lead").
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

/** CONV-2: "the stage 'other' is not supported as a trigger". */
export const UNSUPPORTED_TRIGGER_STAGES: readonly LifecycleStage[] = ['other'];

export const LIFECYCLE_STAGE_LABELS: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing Qualified Lead',
  salesqualifiedlead: 'Sales Qualified Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

export function isLifecycleStage(value: string): value is LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value);
}
