/**
 * CRM lifecycle stages a conversion event can be triggered by (CONV-2), with the label that becomes
 * the Facebook CRM event name (reference facebook §8.6: `event_name` is free-form, one event per
 * stage, e.g. "Marketing Qualified Lead").
 */
import { isLifecycleStage, LIFECYCLE_STAGES, type LifecycleStage } from '../contacts/lifecycle';

// One list of stages for the whole product: the contacts domain owns it.
export { isLifecycleStage, LIFECYCLE_STAGES, type LifecycleStage };

/** CONV-2: "the stage 'other' is not supported as a trigger". */
export const UNSUPPORTED_TRIGGER_STAGES: readonly LifecycleStage[] = ['other'];

/** Names the stages carry as Facebook CRM events (title case, as the network shows them). */
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
