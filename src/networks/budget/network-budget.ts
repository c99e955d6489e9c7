import { isNetworkError } from '../errors';
import type { Network } from '../types';
import type { RateBudget } from './rate-budget';
import { currentAccount, inAccountScope } from './scope';
import type { BudgetSignal } from './policy';
import type { HeaderLookup, NetworkAnswer } from './signals';

/**
 * A transport's view of the budget: the network's app key, its ad accounts' keys, and how to read
 * its answers. `before` may wait or throw a retryable rate_limited error; `after` records the waits
 * the answer announced.
 */
export class NetworkBudget {
  constructor(
    private readonly budget: RateBudget,
    readonly network: Network,
    private readonly appKey: string,
    private readonly interpret: (answer: NetworkAnswer) => BudgetSignal[],
  ) {}

  async before(cost = 1): Promise<void> {
    const accountKey = this.accountKey(currentAccount());
    await this.budget.acquire({ network: this.network, appKey: this.appKey, cost, ...(accountKey ? { accountKey } : {}) });
  }

  async after(header: HeaderLookup, error?: unknown): Promise<void> {
    const signals = this.interpret({ header, windowMs: this.budget.windowMs, ...(isNetworkError(error) ? { error } : {}) });
    if (signals.length > 0) await this.budget.observe(this.network, { appKey: this.appKey, accountKey: (id) => this.accountKey(id ?? currentAccount()) }, signals);
  }

  /** How long an account's own calls must still wait (an announced block this worker knows of); 0 = go. */
  accountBlockedFor(accountId: string): number {
    return this.budget.blockedFor(this.accountKey(accountId)!);
  }

  /**
   * One operation of a batch answered for an account: its refusal blocks that account, as a whole
   * request's would. The batch's own answer only speaks for the app.
   */
  async afterOperation(accountId: string, error: unknown): Promise<void> {
    await inAccountScope(accountId, () => this.after(() => undefined, error));
  }

  /** Facebook's BUC header names accounts without the `act_` prefix its paths use. */
  private accountKey(accountId: string | undefined): string | undefined {
    return accountId ? `${this.network}:account:${accountId.replace(/^act_/, '')}` : undefined;
  }
}

/** Looks up headers of an axios-style response (lower-cased keys). */
export function headerLookup(headers: Record<string, unknown> | undefined): HeaderLookup {
  return (name) => {
    const value = headers?.[name.toLowerCase()];
    return typeof value === 'string' ? value : undefined;
  };
}
