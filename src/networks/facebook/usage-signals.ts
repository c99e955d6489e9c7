import { SLICES_PER_WINDOW, SLOW_DOWN_AT_PERCENT, type BudgetSignal } from '../budget/policy';
import { DEFAULT_ACCOUNT_WAIT_MS, type NetworkAnswer } from '../budget/signals';
import { parseJson } from './errors';

// §9.2: code 4 = application request limit, 341 = application limit reached.
const APP_LIMIT_CODES = new Set(['4', '341']);

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * What Meta's answer means for the rate budget (§9.3): `X-App-Usage` from 75 % pauses the app for
 * a share of a quarter window that grows with the usage (nothing at 75 %, the whole quarter at 100 %:
 * a fixed quarter-hour pause at the first 75 % would stall every account of the app, and the minute
 * promise with them, long before Meta would), at 100 % (or code 4) for a window; `X-Business-Use-Case-Usage` names the accounts
 * that must wait `estimated_time_to_regain_access` minutes; any other throttle holds back the call's
 * own account.
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

  const buc = parseJson(header('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const [accountId, entries] of Object.entries(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      const minutes = Math.max(0, ...entries.map((e: { estimated_time_to_regain_access?: unknown }) => num(e.estimated_time_to_regain_access)));
      if (minutes > 0) signals.push({ scope: 'account', accountId, waitMs: minutes * 60_000 });
    }
  }
  if (error?.kind === 'rate_limited' && signals.length === 0) signals.push({ scope: 'account', waitMs: error.retryAfterMs ?? DEFAULT_ACCOUNT_WAIT_MS });
  return signals;
}
