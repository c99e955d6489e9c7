import * as wf from '@temporalio/workflow';
import type { createSmokeActivities } from '../activities/smoke';
import { AdNetworkKey, AdAccountIdKey } from './search-attributes';

/**
 * The pipeline check: proves API → workflow (with search attributes) → activity → database, then
 * query, signal and visibility, end to end. Kept as the first integration test and as a live
 * self-check an operator can start from the API.
 */
export interface SmokeInput {
  network: string;
  accountId: string;
  /** A value that must never appear in plain text in the history (proves the codec). */
  secret: string;
}

export interface SmokeState {
  step: 'started' | 'recorded' | 'pinged' | 'finished';
  pings: number;
  recordId?: string;
}

export const smokeStateQuery = wf.defineQuery<SmokeState>('smokeState');
export const smokePingSignal = wf.defineSignal<[{ message: string }]>('smokePing');
export const smokeFinishSignal = wf.defineSignal('smokeFinish');

const { recordSmokeRun, recordSmokePing } = wf.proxyActivities<ReturnType<typeof createSmokeActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumAttempts: 5 },
});

export async function smokeWorkflow(input: SmokeInput): Promise<SmokeState> {
  const state: SmokeState = { step: 'started', pings: 0 };
  const pending: string[] = [];
  let finished = false;
  wf.setHandler(smokeStateQuery, () => state);
  wf.setHandler(smokePingSignal, ({ message }) => void pending.push(message));
  wf.setHandler(smokeFinishSignal, () => void (finished = true));

  wf.upsertSearchAttributes([
    { key: AdNetworkKey, value: input.network },
    { key: AdAccountIdKey, value: input.accountId },
  ]);
  state.recordId = await recordSmokeRun({ workflowId: wf.workflowInfo().workflowId, secret: input.secret });
  state.step = 'recorded';

  while (!finished) {
    const woke = await wf.condition(() => pending.length > 0 || finished, '10 minutes');
    if (!woke) break;
    while (pending.length > 0) {
      const message = pending.shift()!;
      state.pings = await recordSmokePing({ recordId: state.recordId, message });
      state.step = 'pinged';
    }
  }
  state.step = 'finished';
  return state;
}
