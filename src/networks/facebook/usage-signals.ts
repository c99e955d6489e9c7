import { SLICES_PER_WINDOW, SLOW_DOWN_AT_PERCENT, type BudgetSignal } from '../budget/policy';
import { DEFAULT_ACCOUNT_WAIT_MS, type NetworkAnswer } from '../budget/signals';
import { parseJson } from './errors';

// §9.2: code 4 = application request limit, 341 = application limit reached.
const APP_LIMIT_CODES = new Set(['4', '341']);

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * An ad account's score share (percent) past which its calls slow to the score's decay rate. Meta
 * blocks the account once the score runs over its max (§9.4: 60 s at standard tier); the 3 % left
 * hold the dearest single call, a batch of 50 writes (150 points, 1.7 % of standard's 9,000), and
 * the headers' rounding.
 */
export const PACE_AT_PERCENT = 97;
/** §9.4: the score decays over 300 s on both tiers, for answers that do not say how fast. */
const DOCUMENTED_DECAY_MS = 300_000;

interface AccountUsage {
  pct: number;
  /** How long the whole max takes to decay, from `reset_time_duration` at `acc_id_util_pct`. */
  decayMs: number;
}

/** `X-Ad-Account-Usage` (§9.3): the call's own account, to two decimals, and how fast it recovers. */
function adAccountUsage(value: unknown): AccountUsage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { acc_id_util_pct: pct, reset_time_duration: reset } = value as Record<string, unknown>;
  if (num(pct) <= 0) return undefined;
  return { pct: num(pct), decayMs: num(reset) > 0 ? (num(reset) * 1000 * 100) / num(pct) : DOCUMENTED_DECAY_MS };
}

/**
 * The wait that lets an account's score fall back to PACE_AT_PERCENT before its next call: past
 * that share the account goes at its score's decay rate instead of running over and sitting out a
 * block.
 */
function paceMs(pct: number, decayMs: number): number {
  return pct > PACE_AT_PERCENT ? Math.ceil(((Math.min(pct, 100) - PACE_AT_PERCENT) / 100) * decayMs) : 0;
}

/**
 * What Meta's answer means for the rate budget (§9.3): `X-App-Usage` from 75 % pauses the app for
 * a share of a quarter window that grows with the usage (nothing at 75 %, the whole quarter at 100 %:
 * a fixed quarter-hour pause at the first 75 % would stall every account of the app, and the minute
 * promise with them, long before Meta would), at 100 % (or code 4) for a window; `X-Business-Use-Case-Usage` names the accounts
 * that must wait `estimated_time_to_regain_access` minutes, and with `X-Ad-Account-Usage` how full
 * each account's score is (paceMs); any other throttle holds back the call's own account.
 */
export function facebookSignals({ header, error, windowMs }: NetworkAnswer): BudgetSignal[] {
  const signals: BudgetSignal[] = [];
  const app = parseJson(header('x-app-usage')) as Record<string, unknown> | undefined;
  const appPct = app ? Math.max(num(app.call_count), num(app.total_cputime), num(app.total_time)) : 0;
  if ((error && APP_LIMIT_CODES.has(error.code)) || appPct >= 100) signals.push({ scope: 'app', waitMs: windowMs });
  else if (appPct > SLOW_DOWN_AT_PERCENT) {
    const share = (appPct - SLOW_DOWN_AT_PERCENT) / (100 - SLOW_DOWN_AT_PERCENT);
    signals.push({ scope: 'app', waitMs: Math.round((windowMs / SLICES_PER_WINDOW) * share) });
  }

  const own = adAccountUsage(parseJson(header('x-ad-account-usage')));
  const decayMs = own?.decayMs ?? DOCUMENTED_DECAY_MS;
  const buc = parseJson(header('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const [accountId, entries] of Object.entries(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      const usage = entries as Record<string, unknown>[];
      const minutes = Math.max(0, ...usage.map((e) => num(e.estimated_time_to_regain_access)));
      const pct = Math.max(0, ...usage.map((e) => Math.max(num(e.call_count), num(e.total_cputime), num(e.total_time))));
      const waitMs = minutes > 0 ? minutes * 60_000 : paceMs(pct, decayMs);
      if (waitMs > 0) signals.push({ scope: 'account', accountId, waitMs });
    }
  }
  // The call's own account (no id: the account in scope), to the hundredth of a percent the BUC rounds away.
  const ownWaitMs = own ? paceMs(own.pct, own.decayMs) : 0;
  if (ownWaitMs > 0) signals.push({ scope: 'account', waitMs: ownWaitMs });
  if (error?.kind === 'rate_limited' && signals.length === 0) signals.push({ scope: 'account', waitMs: error.retryAfterMs ?? DEFAULT_ACCOUNT_WAIT_MS });
  return signals;
}
