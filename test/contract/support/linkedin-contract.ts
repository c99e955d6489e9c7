/**
 * The shared fixture of the LinkedIn sandbox contract files: one sandbox per file; before every test
 * the faults and request log are cleared and the same world is seeded with a fresh member token.
 * Bindings are live (re-assigned before each test).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLinkedInSandbox, type RestCallOptions, type RunningLinkedInSandbox } from '../../../src/sandboxes/linkedin/harness';
import type { SeedSummary } from '../../../src/sandboxes/linkedin/seed';

export let li: RunningLinkedInSandbox;
export let seed: SeedSummary;
export let token: string;

/** The Rest.li API with the current member's token unless the test says otherwise. */
export const api = (method: string, path: string, options: RestCallOptions = {}) => li.rest(method, path, { token, ...options });
export const firstAccount = () => seed.accounts[0]!;

export function useLinkedInContract(): void {
  beforeAll(async () => {
    li = await startLinkedInSandbox();
  });
  afterAll(async () => {
    await li.close();
  });
  beforeEach(async () => {
    await li.control('DELETE', '/_sandbox/faults');
    seed = await li.seed({ seed: 7, accounts: 2, adsPerAccount: 16 });
    token = (await li.authorize()).access_token;
    await li.control('DELETE', '/_sandbox/requests');
  });
}
