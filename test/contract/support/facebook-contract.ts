/**
 * The shared fixture of the Facebook sandbox contract files: one sandbox per file, seeded with the
 * same world, faults cleared after each test. Bindings are live: `reseed()` replaces `seed`/`token`.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFacebookSandbox, type FacebookSandboxControl, type SeedSummary } from '../../../src/sandboxes/facebook';

export let fb: Awaited<ReturnType<typeof startFacebookSandbox>>;
export let control: FacebookSandboxControl;
export let seed: SeedSummary;
export let token: string;

export interface AdRow {
  id: string;
  name: string;
  effective_status: string;
  updated_time: string;
  creative?: { id: string; url_tags?: string; object_story_spec?: { link_data?: { link?: string; child_attachments?: unknown[] } }; asset_feed_spec?: unknown };
}

export const account = () => seed.accounts[0]!;
export const adOfKind = (kind: keyof SeedSummary['ads']['byKind']) => seed.ads.byKind[kind][0]!;

export async function reseed(): Promise<void> {
  seed = await control.seed({ seed: 42, accounts: 2, adsPerAccount: 12, landingBaseUrl: 'http://127.0.0.1:4567' });
  token = await control.loginAs(seed.user.handle);
}

/** Registers the file's hooks; call once at the top level of a contract test file. */
export function useFacebookContract(): void {
  beforeAll(async () => {
    fb = await startFacebookSandbox();
    control = fb.control;
    await reseed();
  });
  afterAll(async () => {
    await fb.server.close();
  });
  afterEach(async () => {
    await control.clearFaults();
  });
}
