import { defineQuery } from '@temporalio/workflow';
import type { Network } from '../src/networks/types';

/**
 * One ads watcher per network and task queue (issue 12): it asks the network which connected accounts'
 * ads changed and wakes only those account workflows; the accounts sleep otherwise.
 */
export interface AdsWatcherInput {
  network: Network;
  /** The sweep interval: how soon a change at the network reaches its account (TRK-1). */
  intervalSeconds: number;
  carried?: AdsWatcherState;
}

export interface AdsWatcherState {
  network: Network;
  /** Workflow time the last check started at; the next check asks for changes since it (minus an overlap). */
  lastCheckStartedAt?: string;
  checks: number;
  /** Accounts looked at in the last check. */
  watching: number;
  /** Account wake-ups sent so far (all runs). */
  wakeups: number;
  lastError?: string;
  generation: number;
}

export const adsWatcherStateQuery = defineQuery<AdsWatcherState>('adsWatcherState');

/**
 * Per task queue: two deployments (or two test files) sharing a Temporal namespace keep their own
 * watcher. The account's input names the queue rather than `workflowInfo().taskQueue`, which a replay
 * does not reproduce; runs started before the watcher assume the default queue.
 */
export const adsWatcherWorkflowId = (taskQueue: string | undefined, network: Network) => `watch/${taskQueue ?? DEFAULT_TASK_QUEUE}/${network}`;

/** `TEMPORAL_TASK_QUEUE`'s default (src/config). */
const DEFAULT_TASK_QUEUE = 'adtrack';
