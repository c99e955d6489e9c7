/**
 * P7: CPU per process while N connected accounts sit idle (no changes on the network), from /proc
 * ticks, with RSS; across sizes a least-squares line gives the cost per idle account. Beside CPU
 * (noisy on a shared box) the window's counts per sweep interval: network requests, history events,
 * database transactions, rows written and scans. Also how long connecting the N accounts took
 * (issue 12: onboarding many small accounts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../../src/config';
import { accountWorkflowId } from '../../workflows/account-definitions';
import { adsWatcherWorkflowId } from '../../workflows/ads-watcher-definitions';
import { connectFacebookAccounts, stopAllWorkflows, waitForFirstSweeps, waitUntilIdle } from '../accounts';
import { countWork, perInterval } from '../counts';
import { cpuShare, sample } from '../cpu';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

export const p7: Scenario = {
  id: 'P7',
  title: 'idle CPU per process',
  sizes: { full: [10, 100, 1000], quick: [1, 3] },
  async run(stack: BenchStack, accounts: number, { quick, seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const size = `${accounts} accounts`;
    const { accountKeys, externalIds, seedSeconds, connectSeconds } = await connectFacebookAccounts(stack, { seed, accounts, adsPerAccount: 3 });
    const sweepsStarted = Date.now();
    await waitForFirstSweeps(stack, accountKeys, 120_000 + accounts * 5_000);
    const firstSweepsSeconds = (Date.now() - sweepsStarted) / 1000;
    const interval = loadConfig(stack.env).SWEEP_INTERVAL_SECONDS;
    await waitUntilIdle(stack, accountKeys, interval);

    // The measured window IS the scenario (idle cost over time), not synchronisation.
    const seconds = quick ? 10 : 120;
    const workflows = [adsWatcherWorkflowId(stack.taskQueue, 'facebook'), ...externalIds.map((id) => accountWorkflowId('facebook', id))];
    const countsBefore = await countWork(stack, workflows);
    const before = sample(stack.processes);
    await delay(seconds * 1000);
    const shares = cpuShare(before, sample(stack.processes), seconds);
    const counts = perInterval(countsBefore, await countWork(stack, workflows), seconds / interval);
    await stopAllWorkflows(stack);

    const total = shares.reduce((sum, s) => sum + s.coreShare, 0);
    const perSweepInterval = `per ${interval} s sweep interval, ${seconds} s window`;
    const rows: BenchRow[] = [
      { scenario: 'P7', what: 'seed + add ads (sandbox)', size, value: seedSeconds, unit: 's', note: `${accounts * 3} ads` },
      { scenario: 'P7', what: 'connect accounts (POST /api/accounts)', size, value: connectSeconds, unit: 's', note: `${((connectSeconds * 1000) / accounts).toFixed(0)} ms per account, 8 in flight` },
      { scenario: 'P7', what: 'first sweeps done after connecting', size, value: firstSweepsSeconds, unit: 's' },
      ...shares.map((s) => ({ scenario: 'P7', what: `idle CPU ${s.name}`, size, value: s.coreShare * 100, unit: '% core', note: `RSS ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB` })),
      { scenario: 'P7', what: 'idle CPU total', size, value: total * 100, unit: '% core', note: `${seconds} s window` },
      { scenario: 'P7', what: 'idle network requests', size, value: counts.requests, unit: 'requests', note: perSweepInterval },
      { scenario: 'P7', what: 'idle history events (accounts + watcher)', size, value: counts.historyEvents, unit: 'events', note: perSweepInterval },
    ];
    if (counts.db) {
      rows.push(
        { scenario: 'P7', what: 'idle db transactions (all processes)', size, value: counts.db.transactions, unit: 'transactions', note: perSweepInterval },
        { scenario: 'P7', what: 'idle db rows written', size, value: counts.db.rowsWritten, unit: 'rows', note: perSweepInterval },
        { scenario: 'P7', what: 'idle db scans (sequential / index)', size, value: counts.db.seqScans, unit: 'seq scans', note: `${counts.db.indexScans.toFixed(1)} index scans, ${perSweepInterval}` },
      );
    }
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
      { scenario: 'P7', what: 'fitted idle CPU at 1,000 accounts', size: 'fitted', value: at1000, unit: '% core', reference: { value: 10, label: 'acceptance: ≤ 10 % of a core' } },
    ];
  },
};
