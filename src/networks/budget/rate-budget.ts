import { setTimeout as sleep } from 'node:timers/promises';
import { budgetWaits, budgetBlocks } from '../../metrics/registry';
import { NetworkError } from '../errors';
import type { Network } from '../types';
import { sliceAt, type BudgetLimit, type BudgetSignal } from './policy';
import type { BudgetStore } from './store';

export interface RateBudgetOptions {
  windowMs: number;
  /** Calls per window per network app / developer token; 0 or absent = no ceiling (usage headers only). */
  appCallsPerWindow: Partial<Record<Network, number>>;
  /** Longer waits fail the call with a retryable rate_limited error carrying the wait. */
  maxWaitMs: number;
  /** How often a worker reads the other workers' blocks. */
  blockRefreshMs?: number;
  now?: () => number;
}

export interface BudgetRequest {
  network: Network;
  appKey: string;
  accountKey?: string;
  /** Calls this request counts as (a Facebook batch counts each operation). */
  cost: number;
}

interface LocalSlice {
  slice: number;
  remaining: number;
  nextLease: number;
}

const BLOCK_REFRESH_MS = 5_000;

/**
 * One rate budget per network app / developer token, shared by every worker through the database,
 * plus the waits the networks announce per app and per ad account. A call takes a token from this
 * worker's current lease (no round trip); a new lease is one insert. A blocked account holds back
 * only its own calls.
 */
export class RateBudget {
  private readonly slices = new Map<string, LocalSlice>();
  private readonly blocks = new Map<string, number>();
  private blocksReadAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly store: BudgetStore, private readonly options: RateBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }

  /** Resolves when the call may go; waits up to maxWaitMs, else throws a retryable rate_limited error. */
  async acquire(request: BudgetRequest): Promise<void> {
    let waited = 0;
    for (;;) {
      const waitMs = await this.waitFor(request);
      if (waitMs <= 0) return;
      if (waited + waitMs > this.options.maxWaitMs) {
        budgetWaits.inc({ network: request.network, outcome: 'deferred' });
        throw new NetworkError(request.network, {
          kind: 'rate_limited',
          code: 'rate_budget',
          message: `the ${request.network} rate budget is spent; retry in ${Math.ceil(waitMs / 1000)} s`,
          retryAfterMs: waitMs,
        });
      }
      budgetWaits.inc({ network: request.network, outcome: 'waited' });
      waited += waitMs;
      await sleep(waitMs);
    }
  }

  /** Records what a network's answer said about waiting; other workers read it within blockRefreshMs. */
  async observe(network: Network, keys: { appKey: string; accountKey: (accountId?: string) => string | undefined }, signals: BudgetSignal[]): Promise<void> {
    for (const signal of signals) {
      const key = signal.scope === 'app' ? keys.appKey : keys.accountKey(signal.accountId);
      if (!key || signal.waitMs <= 0) continue;
      const until = this.now() + signal.waitMs;
      if ((this.blocks.get(key) ?? 0) >= until) continue;
      this.blocks.set(key, until);
      budgetBlocks.inc({ network, scope: signal.scope });
      // This worker honours the wait already; a failed write only leaves the others to learn it from the network.
      await this.store.block(key, new Date(until)).catch(() => undefined);
    }
  }

  /** How long this worker knows `key` (an app or an account) must still wait; 0 when it may go. */
  blockedFor(key: string): number {
    return Math.max(0, (this.blocks.get(key) ?? 0) - this.now());
  }

  private async waitFor(request: BudgetRequest): Promise<number> {
    const now = this.now();
    const perWindow = this.options.appCallsPerWindow[request.network] ?? 0;
    // Only a network with a ceiling talks to the database on its calls' path; without one, a worker
    // learns a block from the network's own answer (one refused call), and pays no read for it.
    if (perWindow > 0) await this.refreshBlocks(now);
    const blockedUntil = Math.max(this.blocks.get(request.appKey) ?? 0, request.accountKey ? (this.blocks.get(request.accountKey) ?? 0) : 0);
    if (blockedUntil > now) return blockedUntil - now;
    if (perWindow <= 0) return 0;
    return this.take(request.appKey, { perWindow, windowMs: this.options.windowMs }, request.cost, now);
  }

  /** Takes `cost` tokens of the current slice, claiming leases as needed; else how long until the next slice. */
  private async take(key: string, limit: BudgetLimit, cost: number, now: number): Promise<number> {
    const slice = sliceAt(limit, now);
    // A request dearer than a whole slice can never fit; it goes alone in a fresh slice.
    const need = Math.min(cost, slice.tokens);
    let local = this.slices.get(key);
    if (local?.slice !== slice.index) {
      local = { slice: slice.index, remaining: 0, nextLease: 0 };
      this.slices.set(key, local);
    }
    while (local.remaining < need) {
      if (local.nextLease >= slice.leases) return slice.endsAt - now;
      const lease = local.nextLease++;
      if (await this.store.claimLease(key, slice.index, lease)) {
        local.remaining += slice.leaseSize;
        if (lease === 0) await this.store.dropLeasesBefore(key, slice.index - 1);
      }
    }
    local.remaining -= need;
    return 0;
  }

  private async refreshBlocks(now: number): Promise<void> {
    if (now - this.blocksReadAt < (this.options.blockRefreshMs ?? BLOCK_REFRESH_MS)) return;
    this.blocksReadAt = now;
    for (const block of await this.store.activeBlocks(new Date(now))) {
      this.blocks.set(block.key, Math.max(this.blocks.get(block.key) ?? 0, block.until.getTime()));
    }
    for (const [key, until] of this.blocks) if (until <= now) this.blocks.delete(key);
  }
}
