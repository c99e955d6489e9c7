/**
 * The shared fixture of the Google Ads contract files: one sandbox per file, reset and seeded before
 * every test, with a connected token. Bindings are live (re-assigned before each test).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startGoogleSandbox, type GoogleSandboxHarness } from '../../../src/sandboxes/google/harness';
import type { SeedSummary } from '../../../src/sandboxes/google/seed';

export let sb: GoogleSandboxHarness;
export let seed: SeedSummary;
export let token: string;
/** The first seeded customer id. */
export let cid: string;

/** Registers the file's hooks; `seedNumber` gives each file its own world. */
export function useGoogleContract(
  seedNumber: number,
  afterSeed?: () => void,
  seedOptions: { accounts?: number; landingBaseUrl?: string } = {},
): void {
  beforeAll(async () => {
    sb = await startGoogleSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await sb.control('POST', '/reset');
    seed = await sb.seed({ seed: seedNumber, accounts: 2, adsPerAccount: 12, ...seedOptions });
    token = (await sb.connect()).accessToken;
    cid = seed.accountIds[0] ?? '';
    afterSeed?.();
  });
}

/** For tests that act with another grant (e.g. a manager's token). */
export function useToken(value: string): void {
  token = value;
}
