/**
 * Decides whether one CRM activity becomes a conversion event for a definition (CONV-4, CONV-5,
 * CONV-7): `send` with the stable event id, or `skip` with the reason. Free of I/O, clock and
 * `node:crypto`, so the per-definition workflow can run it directly.
 */
import { conversionEventId } from './event-id';
import { matchKeys, isFacebookLeadId, type MatchKeyOptions } from './match-keys';
import { skipReasons, type SkipReason } from './skip-reasons';
import type { ContactSnapshot, ConversionEventDefinition, CrmActivity } from './types';
import { isWithinNetworkWindow } from './windows';

export type ConversionDecision =
  | { action: 'send'; eventId: string; /** Epoch ms of the activity: the event's time at the network. */ occurredAt: number }
  | { action: 'skip'; eventId: string; reason: SkipReason };

/** The event id every activity gets, sent or not, so the ledger records each activity once. */
export function eventIdFor(definition: ConversionEventDefinition, activity: CrmActivity): string {
  return conversionEventId(definition.eventIdNamespace ?? definition.id, activity);
}

function triggerSkip(definition: ConversionEventDefinition, activity: CrmActivity): SkipReason | undefined {
  const trigger = definition.trigger;
  if (trigger.kind !== activity.kind) {
    return skipReasons.triggerMismatch(trigger.kind === 'lifecycle_stage' ? 'lifecycle-stage changes' : 'form submissions');
  }
  if (activity.kind === 'lifecycle_stage' && trigger.kind === 'lifecycle_stage') {
    const stage = activity.stage.trim().toLowerCase();
    return (trigger.stages as readonly string[]).includes(stage) ? undefined : skipReasons.stageNotSelected(activity.stage);
  }
  if (activity.kind === 'form_submission' && trigger.kind === 'form_submission') {
    return activity.formId === trigger.formId ? undefined : skipReasons.formNotSelected(activity.formId);
  }
  return undefined;
}

function contactSkip(definition: ConversionEventDefinition, activity: CrmActivity, contact: ContactSnapshot): SkipReason | undefined {
  const consent = definition.consent;
  if (consent && contact.properties?.[consent.property]?.trim() !== consent.value) return skipReasons.noConsent(consent.property);
  if (activity.kind === 'lifecycle_stage') {
    if (definition.audience === 'interacted_with_ads' && !contact.interactedWithAds) return skipReasons.audienceNotInteracted();
    // CONV-4: Facebook matches lifecycle (CRM) events on the lead id; an invalid one rejects the whole request (§8.6).
    if (definition.network === 'facebook' && !isFacebookLeadId(contact.facebookLeadId)) return skipReasons.noFacebookLeadId();
  }
  return undefined;
}

function websiteContextSkip(definition: ConversionEventDefinition, activity: CrmActivity): SkipReason | undefined {
  if (definition.network !== 'facebook' || activity.kind !== 'form_submission') return undefined;
  // facebook §8.2: website events need event_source_url and client_user_agent; one event without them rejects the batch.
  const missing = [
    ...(activity.pageUrl?.trim() ? [] : ['page URL']),
    ...(activity.userAgent?.trim() ? [] : ['user agent']),
  ];
  return missing.length > 0 ? skipReasons.missingWebsiteContext(missing) : undefined;
}

/**
 * `nowMs` is the caller's clock (workflow time): an activity that is already too old for the
 * network is skipped as OUTSIDE_NETWORK_WINDOW. Checks run from the definition outwards, so the
 * reason names the first thing that rules the activity out.
 */
export function decideConversion(
  definition: ConversionEventDefinition,
  activity: CrmActivity,
  contact: ContactSnapshot,
  nowMs: number,
  options: MatchKeyOptions = {},
): ConversionDecision {
  const eventId = eventIdFor(definition, activity);
  const skip = (reason: SkipReason): ConversionDecision => ({ action: 'skip', eventId, reason });
  const occurredAt = Date.parse(activity.at);
  const createdAt = Date.parse(definition.createdAt);
  if (Number.isNaN(occurredAt)) return skip(skipReasons.invalidActivity(`time "${activity.at}" is not an ISO date`));
  if (!definition.enabled) return skip(skipReasons.disabled());
  const notTriggered = triggerSkip(definition, activity);
  if (notTriggered) return skip(notTriggered);
  if (occurredAt < createdAt) return skip(skipReasons.beforeDefinition());
  const ineligible = contactSkip(definition, activity, contact) ?? websiteContextSkip(definition, activity);
  if (ineligible) return skip(ineligible);
  if (matchKeys(definition, activity, contact, options).length === 0) return skip(skipReasons.noMatchKeys(definition.network));
  if (!isWithinNetworkWindow(definition.network, occurredAt, nowMs)) return skip(skipReasons.outsideNetworkWindow(definition.network));
  return { action: 'send', eventId, occurredAt };
}
