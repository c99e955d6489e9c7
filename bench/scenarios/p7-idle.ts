/**
 * P7: CPU per process while N connected accounts sit idle (no changes on the network), from /proc
 * ticks, with RSS; across sizes a least-squares line gives the cost per idle account.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { connectFacebookAccounts, stopAllWorkflows, waitForFirstSweeps } from '../accounts';
import { cpuShare, sample } from '../cpu';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

/** The sandbox world holds at most 50 accounts per seed. */
export const MAX_IDLE_ACCOUNTS = 50;

export const p7: Scenario = {
  id: 'P7',
  title: 'idle CPU per process',
  sizes: { full: [10, 25, 50], quick: [1, 3] },
  async run(stack: BenchStack, size: number, { quick, seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const accounts = Math.min(size, MAX_IDLE_ACCOUNTS);
    const { accountKeys } = await connectFacebookAccounts(stack, { seed, accounts, adsPerAccount: 3 });
    await waitForFirstSweeps(stack, accountKeys, 120_000 + accounts * 5_000);
    // The measured window IS the scenario (idle cost over time), not synchronisation.
    const seconds = quick ? 10 : 120;
    const before = sample(stack.processes);
    await delay(seconds * 1000);
    const shares = cpuShare(before, sample(stack.processes), seconds);
    await stopAllWorkflows(stack);
    const total = shares.reduce((sum, s) => sum + s.coreShare, 0);
    const rows: BenchRow[] = shares.map((s) => ({
      scenario: 'P7',
      what: `idle CPU ${s.name}`,
      size: `${accounts} accounts`,
      value: s.coreShare * 100,
      unit: '% core',
      note: `RSS ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB`,
    }));
    rows.push({ scenario: 'P7', what: 'idle CPU total', size: `${accounts} accounts`, value: total * 100, unit: '% core', note: `${seconds} s window` });
    return rows;
  },
  summarise(rows: BenchRow[]): BenchRow[] {
    const points = rows.filter((r) => r.what === 'idle CPU total').map((r) => ({ x: Number.parseInt(r.size, 10), y: r.value }));
    if (points.length < 2) return [];
    const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
    const my = points.reduce((s, p) => s + p.y, 0) / points.length;
    const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    const at1000 = my + slope * (1000 - mx);
    return [
      { scenario: 'P7', what: 'fitted idle cost per account', size: `fit over ${points.map((p) => p.x).join('/')}`, value: slope, unit: '% core' },
      { scenario: 'P7', what: 'fitted idle CPU at 1,000 accounts', size: 'extrapolated', value: at1000, unit: '% core', reference: { value: 10, label: 'acceptance: ≤ 10 % of a core' } },
    ];
  },
};
