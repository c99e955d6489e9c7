/**
 * Mapping between what the database stores and what the pure conversion rules take: definitions,
 * contacts (issue 5's Contact model) and form-submission context.
 */
import type { ContactDoc } from '../db/models/contact';
import type { ConversionDefinitionRecord } from '../db/models/conversion-definition';
import type { FormSubmissionDoc } from '../db/models/form-submission';
import type { ContactSnapshot, ConversionEventDefinition, CrmActivity } from '../domain/conversions';
import type { ConversionActivityRef } from '../../workflows/conversions-definitions';

export function toDomainDefinition(record: ConversionDefinitionRecord): ConversionEventDefinition {
  return {
    id: record._id,
    network: record.network,
    adAccountId: record.adAccountId,
    trigger: record.trigger,
    audience: record.audience,
    ...(record.eventName ? { eventName: record.eventName } : {}),
    ...(record.value !== null && record.currency ? { value: record.value, currency: record.currency } : {}),
    predictiveLeadScore: record.predictiveLeadScore,
    ...(record.consent ? { consent: record.consent } : {}),
    sharedFields: record.sharedFields,
    ...(record.pixelId ? { pixelId: record.pixelId } : {}),
    ...(record.conversionAction ? { conversionAction: record.conversionAction } : {}),
    ...(record.conversionRule ? { conversionRule: record.conversionRule } : {}),
    enabled: record.enabled && record.status !== 'deleted',
    createdAt: record.activeFrom.toISOString(),
    eventIdNamespace: record.eventIdNamespace,
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function numeric(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The contact as the payload builders want it. Address, gender and birth date are not first-class
 * contact fields: they are read from properties of the same name (`city`, `state`, `zip`, `country`,
 * `gender`, `date_of_birth`) when present. The predictive lead score is `properties.predictive_lead_score`.
 */
export function toContactSnapshot(contact: ContactDoc): ContactSnapshot {
  const props = contact.properties ?? {};
  const properties: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(props)) properties[key] = text(value);
  const snapshot: ContactSnapshot = {
    id: contact._id,
    lifecycleStage: contact.lifecycleStage,
    properties,
    interactedWithAds: contact.interactedWithAds === true,
  };
  const strings: [keyof ContactSnapshot, string | null | undefined][] = [
    ['email', contact.email],
    ['phone', contact.phone],
    ['firstName', contact.firstName],
    ['lastName', contact.lastName],
    ['city', text(props.city)],
    ['state', text(props.state)],
    ['zip', text(props.zip)],
    ['country', text(props.country)],
    ['gender', text(props.gender)],
    ['dateOfBirth', text(props.date_of_birth)],
    ['company', contact.company],
    ['jobTitle', contact.jobTitle],
    ['facebookLeadId', contact.fbLeadId],
    ['gclid', contact.clickIds?.gclid],
    ['liFatId', contact.clickIds?.li_fat_id],
  ];
  for (const [key, value] of strings) if (typeof value === 'string' && value.trim() !== '') (snapshot as unknown as Record<string, string>)[key] = value;
  const score = numeric(props.predictive_lead_score);
  if (score !== undefined) snapshot.predictiveLeadScore = score;
  return snapshot;
}

export type SubmissionContext = Pick<FormSubmissionDoc, 'pageUrl' | 'userAgent' | 'ip' | 'fbc' | 'fbp'>;

/**
 * The activity the rules evaluate, from a reference. A form submission's page URL, user agent, IP
 * address and Facebook browser ids come from its stored submission (or the contact's last
 * submission when that is the same one): they never travel through the workflow.
 */
export function toCrmActivity(ref: ConversionActivityRef, context: SubmissionContext | undefined): CrmActivity {
  if (ref.kind === 'lifecycle_stage') return { kind: 'lifecycle_stage', contactId: ref.contactId, stage: ref.stage, at: ref.at };
  return {
    kind: 'form_submission',
    contactId: ref.contactId,
    formId: ref.formId,
    submissionId: ref.submissionId,
    at: ref.at,
    ...(context?.pageUrl ? { pageUrl: context.pageUrl } : {}),
    ...(context?.userAgent ? { userAgent: context.userAgent } : {}),
    ...(context?.ip ? { ip: context.ip } : {}),
    ...(context?.fbc ? { fbc: context.fbc } : {}),
    ...(context?.fbp ? { fbp: context.fbp } : {}),
  };
}
