/**
 * P2: a new ad appears on the network → tagged (stored as tracked), with N accounts connected;
 * the promise is a minute.
 */
import { loadConfig } from '../../src/config';
import { addFacebookAds, connectFacebookAccounts, percentile, stopAllWorkflows, until, waitForFirstSweeps, waitUntilIdle } from '../accounts';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

const PROBES = 20;
const PROMISE_SECONDS = 60;

export const p2: Scenario = {
  id: 'P2',
  title: 'new ad → tagged',
  sizes: { full: [10, 100, 1000], quick: [2] },
  async run(stack: BenchStack, size: number, { seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const { accountKeys, externalIds } = await connectFacebookAccounts(stack, { seed, accounts: size, adsPerAccount: 2 });
    await waitForFirstSweeps(stack, accountKeys, 120_000 + size * 5_000);
    // Steady state: the wave of wake-ups the first sweeps' own tagging causes is over.
    await waitUntilIdle(stack, accountKeys, loadConfig(stack.env).SWEEP_INTERVAL_SECONDS);
    const probes = externalIds.slice(0, PROBES);
    const created = await Promise.all(probes.map(async (accountId) => ({ adId: (await addFacebookAds(stack, accountId, 1, 'Probe'))[0]!, at: Date.now() })));
    const latencies = new Map<string, number>();
    const waitedMs = PROMISE_SECONDS * 5_000;
    // A probe still untagged after five promises counts as that wait (a lower bound) and is named in the note.
    await until(
      'every probe ad tagged',
      async () => {
        const tracked = await Promise.all(created.filter((c) => !latencies.has(c.adId)).map(async (c) => ({ c, ad: await stack.db.models.Ad.findById(`facebook:${c.adId}`, { trackingStatus: 1 }).lean() })));
        for (const { c, ad } of tracked) if (ad?.trackingStatus === 'tracked') latencies.set(c.adId, (Date.now() - c.at) / 1000);
        return latencies.size === created.length;
      },
      waitedMs,
      500,
    ).catch(() => undefined);
    await stopAllWorkflows(stack);
    const untagged = created.length - latencies.size;
    const values = [...latencies.values(), ...Array.from({ length: untagged }, () => waitedMs / 1000)];
    const rowSize = `${size} accounts, ${created.length} new ads`;
    const note = untagged > 0 ? `${untagged} not tagged within ${waitedMs / 1000} s` : undefined;
    return [
      { scenario: 'P2', what: 'new ad → tagged p50', size: rowSize, value: percentile(values, 50), unit: 's', reference: { value: PROMISE_SECONDS, label: 'promise' }, note },
      { scenario: 'P2', what: 'new ad → tagged p95', size: rowSize, value: percentile(values, 95), unit: 's', reference: { value: PROMISE_SECONDS, label: 'acceptance: ≤ 60 s' }, note },
    ];
  },
};
