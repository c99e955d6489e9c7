import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { afterAll } from 'vitest';
import { workflowBundleOptions } from '../../src/temporal/worker';
import type { TestStack } from './stack';

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** The workflow bundle of a released version frozen under test/fixtures/workflow-versions/<version>/. */
export function releasedBundle(version: string): ReturnType<typeof bundleWorkflowCode> {
  const workflowsPath = path.join(__dirname, '..', 'fixtures', 'workflow-versions', version, 'index.ts');
  return bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath, logger: quiet });
}

/** The id a `patched()` marker records (core writes it as JSON, outside the payload codec). */
export function patchIdOf(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id : undefined;
}

/**
 * The deploy in an upgrade test: the worker on today's code that takes over the task queue from the
 * released one. It runs until the file ends; useStack's own worker, stopped for the released one, is
 * not shut down again.
 */
export function useUpgradedWorker(stack: TestStack): { start(worker: Worker): void } {
  let upgraded: { worker: Worker; run: Promise<void> } | undefined;
  afterAll(async () => {
    if (!upgraded) return;
    upgraded.worker.shutdown();
    await upgraded.run;
    (stack as { worker: unknown }).worker = undefined;
  });
  return {
    start(worker) {
      upgraded = { worker, run: worker.run() };
    },
  };
}
