import type { Request } from 'express';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { ConversionDefinitionRecord } from '../../db/models/conversion-definition';
import type { FormDoc } from '../../db/models/form';
import { LIFECYCLE_STAGE_LABELS, LIFECYCLE_STAGES } from '../../domain/conversions';
import { UNSUPPORTED_TRIGGER_STAGES } from '../../domain/conversions/stages';
import { DEFAULT_SHARED_FIELDS, isMandatorySharedField, SHARED_FIELD_NAMES } from '../../domain/conversions/shared-fields';
import { html, page, type SafeHtml } from '../html';
import { NETWORK_NAMES } from '../pages';
import { fieldError, formValues, invalidAttrs, optionalText, problemSummary, type FormProblems } from './form-problems';

/**
 * The create and replace forms of conversion events (CONV-2 … CONV-5, CONV-8): every option the API
 * takes, as labelled native controls. Empty fields are left out, so the API's defaults apply.
 */

/** The create form's field keys, as the API's refusals name them (see `formProblems`). */
export const CREATE_FIELDS = [
  'name', 'account', 'trigger.kind', 'trigger.stages', 'trigger.formId', 'audience', 'eventName', 'value', 'currency',
  'predictiveLeadScore', 'consent', 'sharedFields', 'pixelId', 'conversionActionId', 'conversionRuleId', 'api',
] as const;
/** Both name the ad account the form's one select chooses. */
export const CREATE_ALIASES = { network: 'account', adAccountId: 'account' };
export const REPLACE_FIELDS = ['name', 'trigger.stages', 'audience', 'eventName', 'value', 'currency', 'pixelId'] as const;

const STAGES = LIFECYCLE_STAGES.filter((s) => !UNSUPPORTED_TRIGGER_STAGES.includes(s));
const OPTIONAL_SHARED = SHARED_FIELD_NAMES.filter((f) => !isMandatorySharedField(f));
const SHARED_LABELS: Record<string, string> = {
  email: 'Email', phone: 'Phone', firstName: 'First name', lastName: 'Last name', city: 'City', state: 'State', zip: 'ZIP / postal code',
  country: 'Country', gender: 'Gender', dateOfBirth: 'Date of birth', externalId: 'External id', ipAddress: 'IP address',
  userAgent: 'User agent', actionSource: 'Action source', eventSourceUrl: 'Event source URL',
};

/** What the admin typed, to show again after a refusal. */
export type Sticky = Record<string, string[]>;

export function stickyOf(req: Request): Sticky {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(body).filter((k) => k !== '_csrf').map((k) => [k, formValues(req, k)]));
}

const one = (sticky: Sticky | undefined, name: string) => sticky?.[name]?.[0] ?? '';
const has = (sticky: Sticky | undefined, name: string, value: string) => sticky?.[name]?.includes(value) ?? false;

function numberOrText(raw: string | undefined): number | undefined {
  // A non-number goes through as NaN, so the API's own check names the field.
  return raw === undefined ? undefined : Number(raw);
}

function sharedFieldsOf(req: Request, sticky: boolean): Record<string, boolean> | undefined {
  if (!sticky) return undefined;
  const on = new Set(formValues(req, 'sharedFields'));
  return Object.fromEntries(OPTIONAL_SHARED.map((f) => [f, on.has(f)]));
}

/** The create form's body in the API's request shape (then parsed by the API's own schema). */
export function createInputOf(req: Request): unknown {
  const [network = '', ...rest] = (optionalText(req, 'account') ?? '').split(':');
  const kind = optionalText(req, 'triggerKind') ?? '';
  const consentProperty = optionalText(req, 'consentProperty');
  const consentValue = optionalText(req, 'consentValue');
  const input: Record<string, unknown> = {
    name: optionalText(req, 'name'),
    network,
    adAccountId: rest.join(':'),
    trigger: kind === 'form_submission' ? { kind, formId: optionalText(req, 'formId') ?? '' } : { kind, stages: formValues(req, 'stages') },
    audience: optionalText(req, 'audience'),
    eventName: optionalText(req, 'eventName'),
    value: numberOrText(optionalText(req, 'value')),
    currency: optionalText(req, 'currency'),
    predictiveLeadScore: formValues(req, 'predictiveLeadScore').includes('true') || undefined,
    consent: consentProperty || consentValue ? { property: consentProperty ?? '', value: consentValue ?? '' } : undefined,
    sharedFields: sharedFieldsOf(req, formValues(req, 'sharedFieldsShown').includes('true')),
    pixelId: optionalText(req, 'pixelId'),
    conversionActionId: optionalText(req, 'conversionActionId'),
    conversionRuleId: optionalText(req, 'conversionRuleId'),
    api: optionalText(req, 'api'),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

export function replaceInputOf(req: Request): unknown {
  const stages = formValues(req, 'stages');
  const input: Record<string, unknown> = {
    name: optionalText(req, 'name'),
    trigger: stages.length ? { kind: 'lifecycle_stage', stages } : undefined,
    audience: optionalText(req, 'audience'),
    eventName: optionalText(req, 'eventName'),
    value: numberOrText(optionalText(req, 'value')),
    currency: optionalText(req, 'currency'),
    pixelId: optionalText(req, 'pixelId'),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

interface FieldOptions {
  key: string;
  id: string;
  label: string;
  hint?: string;
  problems: FormProblems | undefined;
}

function textField(o: FieldOptions & { name: string; value: string; inputmode?: string }): SafeHtml {
  return html`<div class="field">
    <label for="${o.id}">${o.label}</label>
    ${o.hint ? html`<small class="hint">${o.hint}</small>` : ''}
    <input type="text" id="${o.id}" name="${o.name}" value="${o.value}" ${o.inputmode ? html`inputmode="${o.inputmode}"` : ''} ${invalidAttrs(o.problems, o.key)}>
    ${fieldError(o.problems, o.key)}
  </div>`;
}

function stagesField(problems: FormProblems | undefined, sticky: Sticky | undefined, legend: string): SafeHtml {
  return html`<fieldset class="field" ${invalidAttrs(problems, 'trigger.stages')}>
    <legend>${legend}</legend>
    <ul class="plain columns">${STAGES.map(
      (s) => html`<li class="check"><input type="checkbox" id="stage-${s}" name="stages" value="${s}" ${has(sticky, 'stages', s) ? html`checked` : ''}>
        <label for="stage-${s}">${LIFECYCLE_STAGE_LABELS[s]}</label></li>`,
    )}</ul>
    ${fieldError(problems, 'trigger.stages')}
  </fieldset>`;
}

function audienceField(problems: FormProblems | undefined, sticky: Sticky | undefined): SafeHtml {
  const v = one(sticky, 'audience');
  return html`<div class="field">
    <label for="audience">Audience (lifecycle-stage events)</label>
    <select id="audience" name="audience" ${invalidAttrs(problems, 'audience')}>
      <option value="" ${v === '' ? html`selected` : ''}>Default: every contact</option>
      <option value="all" ${v === 'all' ? html`selected` : ''}>Every contact that reaches the stage</option>
      <option value="interacted_with_ads" ${v === 'interacted_with_ads' ? html`selected` : ''}>Only contacts who interacted with the ads</option>
    </select>
    ${fieldError(problems, 'audience')}
  </div>`;
}

function sharedFieldsField(problems: FormProblems | undefined, sticky: Sticky | undefined): SafeHtml {
  const checked = (f: string) => (sticky?.sharedFieldsShown ? has(sticky, 'sharedFields', f) : DEFAULT_SHARED_FIELDS[f as keyof typeof DEFAULT_SHARED_FIELDS]);
  return html`<fieldset class="field" ${invalidAttrs(problems, 'sharedFields')}>
    <legend>Data shared with the network (CONV-5)</legend>
    <input type="hidden" name="sharedFieldsShown" value="true">
    <ul class="plain columns">${SHARED_FIELD_NAMES.map((f) =>
      isMandatorySharedField(f)
        ? html`<li class="check"><input type="checkbox" id="share-${f}" checked disabled><label for="share-${f}">${SHARED_LABELS[f]} (always shared)</label></li>`
        : html`<li class="check"><input type="checkbox" id="share-${f}" name="sharedFields" value="${f}" ${checked(f) ? html`checked` : ''}><label for="share-${f}">${SHARED_LABELS[f]}</label></li>`,
    )}</ul>
    ${fieldError(problems, 'sharedFields')}
  </fieldset>`;
}

function valueFields(problems: FormProblems | undefined, sticky: Sticky | undefined): SafeHtml {
  return html`<div class="row">
    ${textField({ key: 'value', id: 'value', name: 'value', label: 'Value (optional)', value: one(sticky, 'value'), inputmode: 'decimal', problems })}
    ${textField({ key: 'currency', id: 'currency', name: 'currency', label: 'Currency (ISO 4217, with a value)', value: one(sticky, 'currency'), problems })}
  </div>`;
}

export interface CreateFormOptions {
  csrfToken: string;
  accounts: AdAccountRecord[];
  forms: FormDoc[];
  problems?: FormProblems;
  sticky?: Sticky;
}

export function createFormPage(o: CreateFormOptions): string {
  const { problems, sticky } = o;
  const account = one(sticky, 'account');
  const kind = one(sticky, 'triggerKind') || 'lifecycle_stage';
  const formId = one(sticky, 'formId');
  const api = one(sticky, 'api');
  return page({
    title: 'New conversion event',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      ${problemSummary(problems)}
      <form method="post" action="/admin/conversions" class="stacked" novalidate>
        <input type="hidden" name="_csrf" value="${o.csrfToken}">
        ${textField({ key: 'name', id: 'name', name: 'name', label: 'Name (optional)', value: one(sticky, 'name'), problems })}
        <div class="field">
          <label for="account">Ad account</label>
          <select id="account" name="account" ${invalidAttrs(problems, 'account')}>
            <option value="">Choose an ad account</option>
            ${o.accounts.map((a) => html`<option value="${a._id}" ${account === a._id ? html`selected` : ''}>${NETWORK_NAMES[a.network]} — ${a.name} (${a.externalId})</option>`)}
          </select>
          ${fieldError(problems, 'account')}
        </div>
        <fieldset class="field" ${invalidAttrs(problems, 'trigger.kind')}>
          <legend>Trigger</legend>
          <div class="check"><input type="radio" id="kind-lifecycle" name="triggerKind" value="lifecycle_stage" ${kind === 'lifecycle_stage' ? html`checked` : ''}>
            <label for="kind-lifecycle">A contact reaches a lifecycle stage</label></div>
          <div class="check"><input type="radio" id="kind-form" name="triggerKind" value="form_submission" ${kind === 'form_submission' ? html`checked` : ''}>
            <label for="kind-form">A form of this system is submitted</label></div>
          ${fieldError(problems, 'trigger.kind')}
        </fieldset>
        ${stagesField(problems, sticky, 'Lifecycle stages (lifecycle-stage trigger; each stage is one event)')}
        <div class="field">
          <label for="formId">Form (form-submission trigger)</label>
          <select id="formId" name="formId" ${invalidAttrs(problems, 'trigger.formId')}>
            <option value="">Choose a form</option>
            ${o.forms.map((f) => html`<option value="${f._id}" ${formId === f._id ? html`selected` : ''}>${f.name}</option>`)}
          </select>
          ${fieldError(problems, 'trigger.formId')}
        </div>
        ${audienceField(problems, sticky)}
        ${textField({ key: 'eventName', id: 'eventName', name: 'eventName', label: 'Event name (optional)', value: one(sticky, 'eventName'), problems })}
        ${valueFields(problems, sticky)}
        <div class="field check">
          <input type="checkbox" id="predictiveLeadScore" name="predictiveLeadScore" value="true" ${has(sticky, 'predictiveLeadScore', 'true') ? html`checked` : ''} ${invalidAttrs(problems, 'predictiveLeadScore')}>
          <label for="predictiveLeadScore">Send the predictive lead score (Facebook form-submission events)</label>
          ${fieldError(problems, 'predictiveLeadScore')}
        </div>
        <fieldset class="field" ${invalidAttrs(problems, 'consent')}>
          <legend>Consent (optional): only contacts whose property has this value are sent</legend>
          <div class="row">
            <div><label for="consentProperty">Contact property</label><input type="text" id="consentProperty" name="consentProperty" value="${one(sticky, 'consentProperty')}"></div>
            <div><label for="consentValue">Value meaning consent</label><input type="text" id="consentValue" name="consentValue" value="${one(sticky, 'consentValue')}"></div>
          </div>
          ${fieldError(problems, 'consent')}
        </fieldset>
        ${sharedFieldsField(problems, sticky)}
        ${textField({ key: 'pixelId', id: 'pixelId', name: 'pixelId', label: 'Facebook pixel (dataset) id', value: one(sticky, 'pixelId'), problems })}
        ${textField({ key: 'conversionActionId', id: 'conversionActionId', name: 'conversionActionId', label: 'Google Ads conversion action id', value: one(sticky, 'conversionActionId'), problems })}
        ${textField({ key: 'conversionRuleId', id: 'conversionRuleId', name: 'conversionRuleId', label: 'LinkedIn conversion rule id', value: one(sticky, 'conversionRuleId'), problems })}
        <div class="field">
          <label for="api">Facebook API</label>
          <select id="api" name="api" ${invalidAttrs(problems, 'api')}>
            <option value="" ${api === '' ? html`selected` : ''}>Enhanced Conversions API (default)</option>
            <option value="legacy" ${api === 'legacy' ? html`selected` : ''}>Legacy (lifecycle events migrated from the old integration)</option>
          </select>
          ${fieldError(problems, 'api')}
        </div>
        <p class="actions"><button type="submit" class="primary">Create conversion event</button> <a class="button" href="/admin/conversions">Cancel</a></p>
      </form>`,
  });
}

export function replaceFormPage(o: { csrfToken: string; definition: ConversionDefinitionRecord; problems?: FormProblems; sticky?: Sticky }): string {
  const d = o.definition;
  const sticky: Sticky = o.sticky ?? {
    name: [d.name],
    stages: d.trigger.kind === 'lifecycle_stage' ? d.trigger.stages : [],
    audience: [d.audience],
    eventName: d.eventName ? [d.eventName] : [],
    value: d.value !== null ? [String(d.value)] : [],
    currency: d.currency ? [d.currency] : [],
    pixelId: d.pixelId ? [d.pixelId] : [],
  };
  const { problems } = o;
  return page({
    title: 'Replace with the enhanced Conversions API',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      <p>The replacement keeps the event ids of <strong>${d.name}</strong>: what either sends is the same event, sent once, and nothing between the two is lost (CONV-8).</p>
      ${problemSummary(problems)}
      <form method="post" action="/admin/conversions/${d._id}/replace" class="stacked" novalidate>
        <input type="hidden" name="_csrf" value="${o.csrfToken}">
        ${textField({ key: 'name', id: 'name', name: 'name', label: 'Name', value: one(sticky, 'name'), problems })}
        ${stagesField(problems, sticky, 'Lifecycle stages')}
        ${audienceField(problems, sticky)}
        ${textField({ key: 'eventName', id: 'eventName', name: 'eventName', label: 'Event name (optional)', value: one(sticky, 'eventName'), problems })}
        ${valueFields(problems, sticky)}
        ${textField({ key: 'pixelId', id: 'pixelId', name: 'pixelId', label: 'Facebook pixel (dataset) id', value: one(sticky, 'pixelId'), problems })}
        <p class="actions"><button type="submit" class="primary">Replace</button> <a class="button" href="/admin/conversions">Cancel</a></p>
      </form>`,
  });
}
