import type { NetworkError } from '../errors';
import type { BudgetSignal } from './policy';

/** Reads a response header by (case-insensitive) name. */
export type HeaderLookup = (name: string) => string | undefined;

/** What a network answered, as the budget reads it. */
export interface NetworkAnswer {
  header: HeaderLookup;
  error?: NetworkError;
  windowMs: number;
}

/** LinkedIn documents no Retry-After (§6); Google and Meta usually say how long. */
export const DEFAULT_ACCOUNT_WAIT_MS = 60_000;

/**
 * Google (§7.1): RESOURCE_EXHAUSTED is the developer token's daily operations — every account of the
 * token waits; any other quota error (per-customer rate, with `retryDelay`) holds back that customer.
 */
export function googleSignals({ error, windowMs }: NetworkAnswer): BudgetSignal[] {
  if (error?.kind !== 'rate_limited') return [];
  if (error.code === 'RESOURCE_EXHAUSTED') return [{ scope: 'app', waitMs: error.retryAfterMs ?? windowMs }];
  return [{ scope: 'account', waitMs: error.retryAfterMs ?? DEFAULT_ACCOUNT_WAIT_MS }];
}

/** LinkedIn (§6): a 429 names no scope and no wait; the account backs off, the others go on. */
export function linkedinSignals({ error }: NetworkAnswer): BudgetSignal[] {
  if (error?.kind !== 'rate_limited') return [];
  return [{ scope: 'account', waitMs: error.retryAfterMs ?? DEFAULT_ACCOUNT_WAIT_MS }];
}
