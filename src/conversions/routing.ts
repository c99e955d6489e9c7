/**
 * Which conversion workflows a CRM activity goes to, and the signal that carries it there. Only
 * references travel — contact id, stage, form and submission ids, time — never personal data.
 * `signalWithStart` keeps this working when a definition's workflow is not running (it starts,
 * reads its definition, and ends if deleted or forwards to the replacement if replaced).
 */
import type { Client } from '@temporalio/client';
import { conversionWorkflow } from '../../workflows/conversions';
import { conversionActivitySignal, conversionWorkflowId, type ConversionActivityRef } from '../../workflows/conversions-definitions';
import type { CrmActivityDoc } from '../db/models/crm-activity';
import type { ConversionTrigger } from '../domain/conversions';

export function toActivityRef(activity: Pick<CrmActivityDoc, 'kind' | 'contactId' | 'stage' | 'formId' | 'submissionId' | 'at'>): ConversionActivityRef {
  const at = new Date(activity.at).toISOString();
  return activity.kind === 'lifecycle_stage'
    ? { kind: 'lifecycle_stage', contactId: activity.contactId, stage: activity.stage ?? '', at }
    : { kind: 'form_submission', contactId: activity.contactId, formId: activity.formId ?? '', submissionId: activity.submissionId ?? '', at };
}

/** True when a definition with this trigger listens to the activity (active and enabled is the caller's filter). */
export function triggers(trigger: ConversionTrigger, ref: ConversionActivityRef): boolean {
  if (ref.kind === 'lifecycle_stage') return trigger.kind === 'lifecycle_stage' && (trigger.stages as string[]).includes(ref.stage.trim().toLowerCase());
  return trigger.kind === 'form_submission' && trigger.formId === ref.formId;
}

/**
 * CONV-8: whether the definition was switched on when the activity happened — the relay may deliver
 * it after a later switch, and activity while off is neither sent nor queued. Definitions start on.
 */
export function enabledAt(definition: { enabled: boolean; enabledHistory?: { enabled: boolean; at: Date | string }[] }, at: string): boolean {
  const history = definition.enabledHistory ?? [];
  if (history.length === 0) return definition.enabled;
  const time = new Date(at).getTime();
  let state = true;
  for (const change of history) {
    if (new Date(change.at).getTime() > time) break;
    state = change.enabled;
  }
  return state;
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
