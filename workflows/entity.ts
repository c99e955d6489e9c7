import { WorkflowExecutionAlreadyStartedError, type SearchAttributeUpdatePair } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { Network } from '../src/networks/types';
import { AccountStatusKey, AdAccountIdKey, AdNetworkKey } from './search-attributes';

/**
 * The skeleton the long-running per-entity workflows share (account, lead sync, conversions):
 * bounded histories through continue-as-new, the search attributes operators filter on (OPS-1),
 * and parking while the network refuses the account's token.
 */

/** Past this many events a run continues as new even when the server has not suggested it yet. */
export const HISTORY_SOFT_LIMIT = 5_000;

export function continueAsNewSuggested(): boolean {
  return wf.workflowInfo().continueAsNewSuggested;
}

export function historyTooLong(): boolean {
  return wf.workflowInfo().historyLength > HISTORY_SOFT_LIMIT;
}

/**
 * Continues as new once every running signal and update handler has finished (nothing accepted is
 * lost in between), counting the generation for operators; the input is built after the handlers
 * finished, so it carries what they changed.
 */
export async function continueAsNewAfterHandlers<F extends wf.Workflow>(state: { generation: number }, input: () => Parameters<F>): Promise<never> {
  await wf.condition(wf.allHandlersFinished);
  state.generation += 1;
  return wf.continueAsNew<F>(...input());
}

/** Search attributes naming the ad account a workflow works for; only ids and states (they are not encrypted). */
export function publishAccountAttributes(account: { network: Network; externalId: string; status?: string }, extra: SearchAttributeUpdatePair[] = []): void {
  wf.upsertSearchAttributes([
    { key: AdNetworkKey, value: account.network },
    { key: AdAccountIdKey, value: account.externalId },
    ...extra,
    ...(account.status !== undefined ? [{ key: AccountStatusKey, value: account.status }] : []),
  ]);
}

/** What lead sync and the account show while the network refuses the token. */
export const RECONNECT_MESSAGE = 'The network no longer accepts the token: reconnect the account.';

/**
 * Starts a child that outlives the run starting it (ABANDON: a continue-as-new closes the parent run),
 * or leaves the one already running under that id: every run may call it.
 */
export async function startChildOnce<A extends unknown[]>(workflow: (...args: A) => Promise<unknown>, options: { workflowId: string; args: A }): Promise<void> {
  try {
    await wf.startChild(workflow.name, { workflowId: options.workflowId, args: options.args, parentClosePolicy: 'ABANDON' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
