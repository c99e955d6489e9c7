/**
 * Conversion-event definitions as the admin API manages them (CONV-1 … CONV-8): validation against
 * the pure rules with the preconditions read from the database, the destination read back from the
 * network, storage and the workflow per definition. What GET shows is in definition-views.ts.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { conversionWorkflow } from '../../workflows/conversions';
import {
  conversionWorkflowId,
  deleteConversionSignal,
  handOverConversionSignal,
  setConversionEnabledSignal,
} from '../../workflows/conversions-definitions';
import { AdAccountIdKey, AdNetworkKey } from '../../workflows/search-attributes';
import type { Config } from '../config';
import { accountKeyOf, type AdAccountRecord } from '../db/models/ad-account';
import type { Models } from '../db/models';
import type { ConversionApi, ConversionDefinitionRecord } from '../db/models/conversion-definition';
import {
  httpStatusOf,
  LIFECYCLE_STAGE_LABELS,
  isLifecycleStage,
  lifecycleEventsUsed,
  toDefinition,
  validateDefinition,
  type ConversionEventDraft,
  type DefinitionContext,
  type DefinitionProblem,
} from '../domain/conversions';
import { NETWORKS, type Network } from '../networks/types';
import type { CheckDestination } from './destination-check';

export interface DefinitionsContext {
  config: Pick<Config, 'PLAN_TIER' | 'TEMPORAL_TASK_QUEUE'>;
  db: { models: Models };
  temporal: Client;
  checkDestination: CheckDestination;
}

/** A refusal the API renders as `{ error: { code, message, details } }`. */
export class DefinitionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface CreateDefinitionInput extends ConversionEventDraft {
  name?: string;
  /** `legacy` only for Facebook lifecycle events migrated from the old integration (CONV-8). */
  api?: ConversionApi;
}

/** What may change when a legacy lifecycle event is replaced; everything else is carried over. */
export interface ReplaceDefinitionInput {
  name?: string;
  trigger?: { kind: 'lifecycle_stage'; stages: string[] };
  audience?: string;
  eventName?: string;
  value?: number;
  currency?: string;
  sharedFields?: Record<string, boolean>;
  pixelId?: string;
}

function problemsError(problems: DefinitionProblem[]): DefinitionError {
  const status = httpStatusOf(problems);
  const first = problems.find((p) => p.httpStatus === status) ?? problems[0]!;
  return new DefinitionError(status, first.code.toLowerCase(), problems.map((p) => p.message).join(' '), {
    problems: problems.map((p) => ({ code: p.code, field: p.field, message: p.message })),
  });
}

/** The network must know where the events go (CONV-1); nothing is stored when it does not or cannot say. */
async function requireDestination(ctx: DefinitionsContext, record: ConversionDefinitionRecord): Promise<void> {
  const refusal = await ctx.checkDestination(record);
  if (!refusal) return;
  const { status, code, field, message, retryAfterSeconds } = refusal;
  throw new DefinitionError(status, code, message, {
    problems: [{ code: code.toUpperCase(), field, message }],
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

function isNetwork(value: string): value is Network {
  return (NETWORKS as readonly string[]).includes(value);
}

/** The preconditions of CONV-2 … CONV-6, read from the database. */
async function definitionContext(ctx: DefinitionsContext, draft: ConversionEventDraft, excludeId?: string): Promise<DefinitionContext> {
  const { models } = ctx.db;
  let account: DefinitionContext['account'];
  if (isNetwork(draft.network) && typeof draft.adAccountId === 'string' && draft.adAccountId.trim() !== '') {
    const key = accountKeyOf(draft.network, draft.adAccountId.trim());
    const record = await models.AdAccount.findById(key).lean<AdAccountRecord>();
    if (record && record.status !== 'disconnected') {
      const leadSync = await models.LeadSyncAccount.findById(key).lean();
      account = { leadSyncOn: leadSync?.enabled === true, businessId: record.businessId };
    }
  }
  const formId = draft.trigger?.kind === 'form_submission' && typeof draft.trigger.formId === 'string' ? draft.trigger.formId.trim() : '';
  const knownFormIds = new Set<string>();
  if (formId && (await models.Form.exists({ _id: formId }))) knownFormIds.add(formId);
  const active = await models.ConversionDefinition.find({ status: 'active', ...(excludeId ? { _id: { $ne: excludeId } } : {}) })
    .select({ trigger: 1 })
    .lean<Pick<ConversionDefinitionRecord, 'trigger'>[]>();
  return { account, knownFormIds, plan: { tier: ctx.config.PLAN_TIER, lifecycleEventsInUse: lifecycleEventsUsed(active) } };
}

function defaultName(record: Pick<ConversionDefinitionRecord, 'network' | 'trigger' | 'eventName'>): string {
  if (record.trigger.kind === 'form_submission') return `${record.eventName ?? 'Lead'} — form ${record.trigger.formId}`;
  const stages = record.trigger.stages.map((s) => (isLifecycleStage(s) ? LIFECYCLE_STAGE_LABELS[s] : s));
  return `Lifecycle: ${stages.join(', ')}`;
}

function toRecord(
  draft: ConversionEventDraft,
  meta: { id: string; now: Date; activeFrom: Date; eventIdNamespace: string; api: ConversionApi; name?: string; replaces?: string; enabled?: boolean },
): ConversionDefinitionRecord {
  const d = toDefinition(draft, { id: meta.id, createdAt: meta.activeFrom.toISOString(), eventIdNamespace: meta.eventIdNamespace });
  const base = {
    network: d.network,
    trigger: d.trigger,
    eventName: d.eventName ?? null,
  };
  return {
    _id: d.id,
    ...base,
    adAccountId: d.adAccountId,
    accountKey: accountKeyOf(d.network, d.adAccountId),
    name: meta.name?.trim() || defaultName(base),
    audience: d.audience,
    value: d.value ?? null,
    currency: d.currency ?? null,
    predictiveLeadScore: d.predictiveLeadScore,
    consent: d.consent ?? null,
    sharedFields: d.sharedFields,
    pixelId: d.pixelId ?? null,
    conversionAction: d.conversionAction ?? null,
    conversionRule: d.conversionRule ?? null,
    api: meta.api,
    enabled: meta.enabled ?? true,
    status: 'active',
    eventIdNamespace: meta.eventIdNamespace,
    activeFrom: meta.activeFrom,
    replaces: meta.replaces ?? null,
    replacedBy: null,
    deletedAt: null,
    lastError: null,
    lastSentAt: null,
    createdAt: meta.now,
    updatedAt: meta.now,
  };
}

async function startWorkflow(ctx: DefinitionsContext, record: ConversionDefinitionRecord): Promise<void> {
  await ctx.temporal.workflow.start(conversionWorkflow, {
    workflowId: conversionWorkflowId(record._id),
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ definitionId: record._id }],
    typedSearchAttributes: [
      { key: AdNetworkKey, value: record.network },
      { key: AdAccountIdKey, value: record.adAccountId },
    ],
  });
}

export async function createDefinition(ctx: DefinitionsContext, input: CreateDefinitionInput): Promise<ConversionDefinitionRecord> {
  const { name, api = 'enhanced', ...draft } = input;
  const problems = validateDefinition(draft, await definitionContext(ctx, draft));
  if (problems.length > 0) throw problemsError(problems);
  if (api === 'legacy' && !(draft.network === 'facebook' && draft.trigger.kind === 'lifecycle_stage')) {
    throw new DefinitionError(422, 'api_not_supported', 'Only Facebook lifecycle-stage events exist on the legacy API; new events use the enhanced Conversions API.');
  }
  const now = new Date();
  const id = randomUUID();
  const record = toRecord(draft, { id, now, activeFrom: now, eventIdNamespace: id, api, ...(name ? { name } : {}) });
  await requireDestination(ctx, record);
  await ctx.db.models.ConversionDefinition.create(record);
  try {
    await startWorkflow(ctx, record);
  } catch (error) {
    await ctx.db.models.ConversionDefinition.updateOne({ _id: id }, { $set: { status: 'deleted', enabled: false, deletedAt: new Date() } });
    throw error;
  }
  return record;
}

/** Visible definitions: deleted ones answer 404. */
export async function findDefinition(ctx: DefinitionsContext, id: string): Promise<ConversionDefinitionRecord> {
  const record = await ctx.db.models.ConversionDefinition.findById(id).lean<ConversionDefinitionRecord>();
  if (!record || record.status === 'deleted') throw new DefinitionError(404, 'not_found', 'The conversion event was not found');
  return record;
}

export async function listDefinitions(ctx: DefinitionsContext): Promise<ConversionDefinitionRecord[]> {
  return ctx.db.models.ConversionDefinition.find({ status: { $ne: 'deleted' } })
    .sort({ createdAt: 1, _id: 1 })
    .lean<ConversionDefinitionRecord[]>();
}

export async function setEnabled(ctx: DefinitionsContext, id: string, enabled: boolean): Promise<ConversionDefinitionRecord> {
  const record = await findDefinition(ctx, id);
  if (record.status === 'replaced') throw new DefinitionError(409, 'replaced', 'This conversion event was replaced; switch its replacement instead.', { replacedBy: record.replacedBy });
  await ctx.db.models.ConversionDefinition.updateOne({ _id: id }, { $set: { enabled }, $push: { enabledHistory: { enabled, at: new Date() } } });
  await ctx.temporal.workflow.signalWithStart(conversionWorkflow, {
    workflowId: conversionWorkflowId(id),
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    args: [{ definitionId: id }],
    signal: setConversionEnabledSignal,
    signalArgs: [{ enabled }],
  });
  return { ...record, enabled };
}

async function signalIfRunning(ctx: DefinitionsContext, id: string, send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>): Promise<void> {
  try {
    await send(ctx.temporal.workflow.getHandle(conversionWorkflowId(id)));
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Queued events are marked skipped and the workflow ends; the ledger stays. */
export async function deleteDefinition(ctx: DefinitionsContext, id: string): Promise<ConversionDefinitionRecord> {
  const record = await findDefinition(ctx, id);
  const deletedAt = new Date();
  await ctx.db.models.ConversionDefinition.updateOne({ _id: id }, { $set: { status: 'deleted', enabled: false, deletedAt } });
  await signalIfRunning(ctx, id, (handle) => handle.signal(deleteConversionSignal));
  return { ...record, status: 'deleted', enabled: false, deletedAt };
}

/**
 * CONV-8: a legacy Facebook lifecycle event becomes one on the enhanced Conversions API. The
 * replacement keeps the old event's event-id namespace and activity start, so an activity either
 * of them handles is the same event (sent once, by the ledger), and nothing between the two is
 * lost: the replacement runs before the old one stops taking activity, and the old workflow sends
 * what it has queued, forwards what reaches it later, then ends.
 */
export async function replaceDefinition(
  ctx: DefinitionsContext,
  id: string,
  input: ReplaceDefinitionInput,
): Promise<{ replaced: ConversionDefinitionRecord; replacement: ConversionDefinitionRecord }> {
  const old = await findDefinition(ctx, id);
  if (old.status !== 'active' || old.api !== 'legacy' || old.network !== 'facebook' || old.trigger.kind !== 'lifecycle_stage') {
    throw new DefinitionError(
      409,
      'not_replaceable',
      old.status === 'replaced'
        ? 'This conversion event was already replaced.'
        : 'Only legacy Facebook lifecycle-stage events are replaced; this one already syncs on the enhanced Conversions API.',
    );
  }
  const draft: ConversionEventDraft = {
    network: old.network,
    adAccountId: old.adAccountId,
    trigger: input.trigger ?? { kind: 'lifecycle_stage', stages: old.trigger.stages },
    audience: input.audience ?? old.audience,
    ...(input.eventName !== undefined ? { eventName: input.eventName } : old.eventName ? { eventName: old.eventName } : {}),
    ...(input.value !== undefined || input.currency !== undefined
      ? { ...(input.value !== undefined ? { value: input.value } : {}), ...(input.currency !== undefined ? { currency: input.currency } : {}) }
      : old.value !== null && old.currency
        ? { value: old.value, currency: old.currency }
        : {}),
    ...(old.consent ? { consent: old.consent } : {}),
    sharedFields: { ...old.sharedFields, ...(input.sharedFields ?? {}) },
    ...((input.pixelId ?? old.pixelId) ? { pixelId: input.pixelId ?? old.pixelId ?? '' } : {}),
  };
  const problems = validateDefinition(draft, await definitionContext(ctx, draft, old._id));
  if (problems.length > 0) throw problemsError(problems);

  const now = new Date();
  const replacement = toRecord(draft, {
    id: randomUUID(),
    now,
    activeFrom: old.activeFrom,
    eventIdNamespace: old.eventIdNamespace,
    api: 'enhanced',
    name: input.name ?? old.name,
    replaces: old._id,
    enabled: old.enabled,
  });
  await requireDestination(ctx, replacement);
  await ctx.db.models.ConversionDefinition.create(replacement);
  await startWorkflow(ctx, replacement);
  // From here on the router sends new activity to the replacement only.
  await ctx.db.models.ConversionDefinition.updateOne({ _id: old._id }, { $set: { status: 'replaced', replacedBy: replacement._id } });
  await signalIfRunning(ctx, old._id, (handle) => handle.signal(handOverConversionSignal, { to: replacement._id }));
  return { replaced: { ...old, status: 'replaced', replacedBy: replacement._id }, replacement };
}
