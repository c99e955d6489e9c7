/**
 * Validation of a conversion-event definition (CONV-2 … CONV-6) and the stored form it becomes.
 * Pure: everything the rules depend on (the connected account, the forms of this system, the plan
 * and how many lifecycle events are in use) comes in as `DefinitionContext`.
 */
import { NETWORKS, type Network } from '../../networks/types';
import { isCurrencyCode } from './codes';
import { problem, type DefinitionProblem } from './definition-problems';
import { googleConversionActionResource, linkedInConversionUrn } from './destinations';
import { LIFECYCLE_EVENT_LIMITS, type PlanTier } from './plan-limits';
import { isMandatorySharedField, isSharedField, resolveSharedFields } from './shared-fields';
import { isLifecycleStage, UNSUPPORTED_TRIGGER_STAGES, type LifecycleStage } from './stages';
import type { ConversionAudience, ConversionEventDefinition, ConversionEventDraft, ConversionTrigger } from './types';

export interface DefinitionContext {
  /** The connected ad account the definition names; `undefined` when no such account is connected. */
  account?: {
    /** Lead sync switch of the account (LEAD-1); Facebook lifecycle events need it on (CONV-3). */
    leadSyncOn: boolean;
    /** Facebook Business Manager owning the account; `null`/absent when none (CONV-3). */
    businessId?: string | null;
    /** Pixel (dataset) configured on the account, used when the draft names none. */
    pixelId?: string;
  };
  /** Ids of the forms built in this system: only these are eligible (CONV-2). */
  knownFormIds: ReadonlySet<string>;
  plan: {
    tier: PlanTier;
    /** Lifecycle events already defined in the portal, not counting a definition being replaced. */
    lifecycleEventsInUse: number;
    /** Overrides the tier's limit (from config). */
    limit?: number;
  };
}

const AUDIENCES: readonly ConversionAudience[] = ['all', 'interacted_with_ads'];
// unconfirmed: Meta documents no length limit for custom event names; 100 characters keeps names readable.
const MAX_EVENT_NAME_LENGTH = 100;
/** Larger values are typos, and would be written in exponent notation in LinkedIn's amount string. */
const MAX_VALUE = 1e12;

function isNetwork(value: string): value is Network {
  return (NETWORKS as readonly string[]).includes(value);
}

function uniqueStages(stages: readonly string[]): string[] {
  return [...new Set(stages.map((s) => s.trim().toLowerCase()))];
}

function checkTrigger(draft: ConversionEventDraft, ctx: DefinitionContext): DefinitionProblem[] {
  const trigger = draft.trigger;
  if (trigger.kind === 'lifecycle_stage') {
    if (!Array.isArray(trigger.stages) || trigger.stages.length === 0) {
      return [problem('STAGES_REQUIRED', 'trigger.stages', 'Choose at least one lifecycle stage; each selected stage is one conversion event.')];
    }
    return uniqueStages(trigger.stages).flatMap((stage) => {
      if (!isLifecycleStage(stage)) return [problem('STAGE_UNKNOWN', 'trigger.stages', `"${stage}" is not a lifecycle stage.`)];
      if (UNSUPPORTED_TRIGGER_STAGES.includes(stage)) {
        return [problem('STAGE_NOT_SUPPORTED', 'trigger.stages', `The lifecycle stage "${stage}" cannot trigger a conversion event; choose a standard stage instead.`)];
      }
      return [];
    });
  }
  if (trigger.kind === 'form_submission') {
    const formId = typeof trigger.formId === 'string' ? trigger.formId.trim() : '';
    if (formId === '') return [problem('FORM_REQUIRED', 'trigger.formId', 'Choose the form whose submissions are sent.')];
    if (!ctx.knownFormIds.has(formId)) {
      return [problem('FORM_NOT_ELIGIBLE', 'trigger.formId', `Form "${formId}" is not a form of this system; only submissions of forms built here can be sent.`)];
    }
    return [];
  }
  return [problem('TRIGGER_INVALID', 'trigger.kind', 'The trigger must be "lifecycle_stage" or "form_submission".')];
}

function checkOptions(draft: ConversionEventDraft, network: Network): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const lifecycle = draft.trigger.kind === 'lifecycle_stage';
  if (draft.audience !== undefined) {
    if (!(AUDIENCES as readonly string[]).includes(draft.audience)) {
      problems.push(problem('AUDIENCE_INVALID', 'audience', 'The audience must be "all" or "interacted_with_ads".'));
    } else if (!lifecycle && draft.audience !== 'all') {
      problems.push(problem('OPTION_NOT_FOR_TRIGGER', 'audience', 'The audience option applies to lifecycle-stage events only.'));
    }
  }
  if (draft.eventName !== undefined) {
    const name = draft.eventName.trim();
    if (name === '' || name.length > MAX_EVENT_NAME_LENGTH) {
      problems.push(problem('EVENT_NAME_INVALID', 'eventName', `The event name must be 1–${MAX_EVENT_NAME_LENGTH} characters.`));
    }
  }
  if (draft.predictiveLeadScore === true) {
    if (network !== 'facebook') problems.push(problem('OPTION_NOT_FOR_NETWORK', 'predictiveLeadScore', 'The predictive lead score can only be sent to Facebook.'));
    else if (lifecycle) problems.push(problem('OPTION_NOT_FOR_TRIGGER', 'predictiveLeadScore', 'The predictive lead score is sent with form-submission events only.'));
  }
  problems.push(...checkValue(draft));
  if (draft.consent !== undefined && (!draft.consent.property?.trim() || !draft.consent.value?.trim())) {
    problems.push(problem('CONSENT_INCOMPLETE', 'consent', 'Consent needs both the contact property and the value that means consent was given.'));
  }
  for (const [name, on] of Object.entries(draft.sharedFields ?? {})) {
    if (!isSharedField(name)) problems.push(problem('SHARED_FIELD_UNKNOWN', `sharedFields.${name}`, `"${name}" is not a data-sharing field.`));
    else if (isMandatorySharedField(name) && !on) {
      problems.push(problem('MANDATORY_FIELD_REMOVED', `sharedFields.${name}`, 'User agent, action source and event source URL are always shared and cannot be removed.'));
    }
  }
  return problems;
}

function checkValue(draft: ConversionEventDraft): DefinitionProblem[] {
  const hasValue = draft.value !== undefined;
  const hasCurrency = draft.currency !== undefined && draft.currency.trim() !== '';
  const problems: DefinitionProblem[] = [];
  if (hasValue && (!Number.isFinite(draft.value) || (draft.value ?? 0) < 0 || (draft.value ?? 0) > MAX_VALUE)) {
    problems.push(problem('VALUE_INVALID', 'value', `The value must be a number from 0 to ${MAX_VALUE}.`));
  }
  if (hasValue && !hasCurrency) problems.push(problem('VALUE_WITHOUT_CURRENCY', 'currency', 'A monetary value needs its ISO 4217 currency (e.g. USD).'));
  if (!hasValue && hasCurrency) problems.push(problem('CURRENCY_WITHOUT_VALUE', 'value', 'A currency was given without a value.'));
  if (hasCurrency && !isCurrencyCode((draft.currency ?? '').trim().toUpperCase())) {
    problems.push(problem('CURRENCY_INVALID', 'currency', `"${draft.currency ?? ''}" is not an ISO 4217 currency code.`));
  }
  return problems;
}

function checkDestination(draft: ConversionEventDraft, network: Network, ctx: DefinitionContext): DefinitionProblem[] {
  const account = ctx.account;
  const problems: DefinitionProblem[] = [];
  if (network === 'facebook') {
    if (account && draft.trigger.kind === 'lifecycle_stage' && !account.leadSyncOn) {
      problems.push(problem('LEAD_SYNC_OFF', 'adAccountId', 'Turn on lead sync for this ad account first: Facebook lifecycle events can only match contacts that carry a Facebook lead id.'));
    }
    if (!(draft.pixelId?.trim() || account?.pixelId)) {
      problems.push(problem('PIXEL_REQUIRED', 'pixelId', 'Facebook conversion events need a pixel (dataset); configure one for this account.'));
    }
    if (account && !account.businessId) {
      problems.push(problem('NO_BUSINESS_MANAGER', 'adAccountId', 'The Facebook ad account must belong to a Business Manager; add it to one in Facebook Business settings.'));
    }
  } else if (network === 'google') {
    const action = draft.conversionActionId?.trim();
    if (!action) problems.push(problem('CONVERSION_ACTION_REQUIRED', 'conversionActionId', 'Choose the Google Ads conversion action (type UPLOAD_CLICKS) the events are uploaded to.'));
    else if (!googleConversionActionResource(draft.adAccountId, action)) {
      problems.push(problem('CONVERSION_ACTION_INVALID', 'conversionActionId', `"${action}" is not a conversion action of customer ${draft.adAccountId}.`));
    }
  } else {
    const rule = draft.conversionRuleId?.trim();
    if (!rule) problems.push(problem('CONVERSION_RULE_REQUIRED', 'conversionRuleId', 'Choose the LinkedIn conversion rule the events are sent to.'));
    else if (!linkedInConversionUrn(rule)) problems.push(problem('CONVERSION_RULE_INVALID', 'conversionRuleId', `"${rule}" is not a LinkedIn conversion rule id or URN.`));
  }
  return problems;
}

function checkPlanLimit(draft: ConversionEventDraft, ctx: DefinitionContext): DefinitionProblem[] {
  if (draft.trigger.kind !== 'lifecycle_stage' || !Array.isArray(draft.trigger.stages)) return [];
  const limit = ctx.plan.limit ?? LIFECYCLE_EVENT_LIMITS[ctx.plan.tier];
  const requested = uniqueStages(draft.trigger.stages).length;
  const available = Math.max(0, limit - ctx.plan.lifecycleEventsInUse);
  if (requested <= available) return [];
  return [
    problem(
      'PLAN_LIMIT_REACHED',
      'trigger.stages',
      `The ${ctx.plan.tier} plan allows ${limit} lifecycle-stage events (each selected stage counts as one); ` +
        `${ctx.plan.lifecycleEventsInUse} are in use and this definition needs ${requested}.`,
    ),
  ];
}

/** Every problem with the draft; empty means it can be stored with `toDefinition`. */
export function validateDefinition(draft: ConversionEventDraft, ctx: DefinitionContext): DefinitionProblem[] {
  if (!isNetwork(draft.network)) return [problem('NETWORK_UNSUPPORTED', 'network', 'The network must be facebook, google or linkedin.')];
  const network = draft.network;
  const problems: DefinitionProblem[] = [];
  if (!draft.adAccountId?.trim()) problems.push(problem('AD_ACCOUNT_REQUIRED', 'adAccountId', 'Choose the ad account the events are sent to.'));
  else if (!ctx.account) problems.push(problem('AD_ACCOUNT_NOT_CONNECTED', 'adAccountId', `Ad account ${draft.adAccountId} is not connected; connect it first.`));
  problems.push(...checkTrigger(draft, ctx), ...checkOptions(draft, network), ...checkDestination(draft, network, ctx), ...checkPlanLimit(draft, ctx));
  return problems;
}

export interface DefinitionMeta {
  id: string;
  /** ISO time of creation: the start of the activity that is sent (CONV-7). */
  createdAt: string;
  /** Pixel configured on the account, when the draft names none. */
  accountPixelId?: string;
  /** For a replacement (CONV-8): the namespace of the definition it replaces. */
  eventIdNamespace?: string;
}

/** The stored definition of a draft that `validateDefinition` accepted. Throws on a draft it would refuse. */
export function toDefinition(draft: ConversionEventDraft, meta: DefinitionMeta): ConversionEventDefinition {
  if (!isNetwork(draft.network)) throw new Error(`toDefinition: unsupported network ${draft.network}`);
  const trigger: ConversionTrigger =
    draft.trigger.kind === 'lifecycle_stage'
      ? { kind: 'lifecycle_stage', stages: uniqueStages(draft.trigger.stages).filter((s): s is LifecycleStage => isLifecycleStage(s)) }
      : { kind: 'form_submission', formId: draft.trigger.formId.trim() };
  const sharedFields = resolveSharedFields(Object.fromEntries(Object.entries(draft.sharedFields ?? {}).filter(([name]) => isSharedField(name))));
  const pixelId = draft.pixelId?.trim() || meta.accountPixelId;
  const action = draft.conversionActionId ? googleConversionActionResource(draft.adAccountId, draft.conversionActionId) : undefined;
  const rule = draft.conversionRuleId ? linkedInConversionUrn(draft.conversionRuleId) : undefined;
  return {
    id: meta.id,
    network: draft.network,
    adAccountId: draft.adAccountId.trim(),
    trigger,
    audience: draft.audience === 'interacted_with_ads' ? 'interacted_with_ads' : 'all',
    ...(draft.eventName?.trim() ? { eventName: draft.eventName.trim() } : {}),
    ...(draft.value !== undefined && draft.currency ? { value: draft.value, currency: draft.currency.trim().toUpperCase() } : {}),
    predictiveLeadScore: draft.predictiveLeadScore === true,
    ...(draft.consent ? { consent: { property: draft.consent.property.trim(), value: draft.consent.value.trim() } } : {}),
    sharedFields,
    ...(draft.network === 'facebook' && pixelId ? { pixelId } : {}),
    ...(draft.network === 'google' && action ? { conversionAction: action } : {}),
    ...(draft.network === 'linkedin' && rule ? { conversionRule: rule } : {}),
    enabled: true,
    createdAt: meta.createdAt,
    ...(meta.eventIdNamespace ? { eventIdNamespace: meta.eventIdNamespace } : {}),
  };
}
