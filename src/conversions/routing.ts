/**
 * Routes CRM activity (issue 5's `emitCrmActivity`: lifecycle changes and form submissions) to the
 * workflows of the enabled definitions it can trigger. Only references travel — contact id, stage,
 * form and submission ids, time — never personal data. `signalWithStart` keeps this working when a
 * definition's workflow is not running (it starts, reads its definition, and ends if deleted or
 * forwards to the replacement if replaced).
 */
import type { Client } from '@temporalio/client';
import { conversionWorkflow } from '../../workflows/conversions';
import { conversionActivitySignal, conversionWorkflowId, type ConversionActivityRef } from '../../workflows/conversions-definitions';
import type { ApiContext } from '../api/context';
import { registerCrmActivityListener, type CrmActivity } from '../contacts/activity-events';
import type { Models } from '../db/models';

let registered = false;

/** Subscribes the router once per process (listeners get the emitting request's context). */
export function registerConversionRouting(): void {
  if (registered) return;
  registered = true;
  registerCrmActivityListener(routeCrmActivity);
}

export function toActivityRef(activity: CrmActivity): ConversionActivityRef {
  const at = activity.at instanceof Date ? activity.at.toISOString() : new Date(activity.at).toISOString();
  return activity.kind === 'lifecycle_stage'
    ? { kind: 'lifecycle_stage', contactId: activity.contactId, stage: activity.stage, at }
    : { kind: 'form_submission', contactId: activity.contactId, formId: activity.formId, submissionId: activity.submissionId, at };
}

/** Ids of the active, enabled definitions the activity can trigger. */
export async function definitionsTriggeredBy(models: Pick<Models, 'ConversionDefinition'>, ref: ConversionActivityRef): Promise<string[]> {
  const filter =
    ref.kind === 'lifecycle_stage'
      ? { status: 'active', enabled: true, 'trigger.kind': 'lifecycle_stage', 'trigger.stages': ref.stage.trim().toLowerCase() }
      : { status: 'active', enabled: true, 'trigger.kind': 'form_submission', 'trigger.formId': ref.formId };
  const found = await models.ConversionDefinition.find(filter).select({ _id: 1 }).lean<{ _id: string }[]>();
  return found.map((d) => d._id);
}

export async function signalConversionActivity(temporal: Client, taskQueue: string, definitionId: string, refs: ConversionActivityRef[]): Promise<void> {
  await temporal.workflow.signalWithStart(conversionWorkflow, {
    workflowId: conversionWorkflowId(definitionId),
    taskQueue,
    args: [{ definitionId }],
    signal: conversionActivitySignal,
    signalArgs: [{ refs }],
  });
}

export async function routeCrmActivity(ctx: ApiContext, activity: CrmActivity): Promise<void> {
  const ref = toActivityRef(activity);
  const definitionIds = await definitionsTriggeredBy(ctx.db.models, ref);
  let failed: Error | undefined;
  for (const definitionId of definitionIds) {
    try {
      await signalConversionActivity(ctx.temporal, ctx.config.TEMPORAL_TASK_QUEUE, definitionId, [ref]);
    } catch (error) {
      // One unreachable workflow must not keep the activity from the others.
      failed = error instanceof Error ? error : new Error(String(error));
      ctx.logger.warn({ definitionId, kind: ref.kind, err: error instanceof Error ? error.message : String(error) }, 'could not signal conversion workflow');
    }
  }
  if (failed) throw failed;
  if (definitionIds.length > 0) ctx.logger.debug({ kind: ref.kind, contactId: ref.contactId, definitions: definitionIds.length }, 'crm activity routed to conversion events');
}
