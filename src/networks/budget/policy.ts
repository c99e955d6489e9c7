/**
 * The pure arithmetic of the rate budget. A budget key (network app, developer token) gets
 * `perWindow` calls per `windowMs`. The networks count over rolling windows, so the budget hands out
 * fixed slices of a quarter window: any rolling window overlaps at most SLICES + 1 slices, so giving
 * each slice 1 / (SLICES + 1) of the limit keeps every rolling window within it. A slice's tokens are
 * claimed in leases (one database insert each), so a worker pays a round trip per lease, not per call.
 */
export const SLICES_PER_WINDOW = 4;
/** At most this many leases (inserts) per slice and key, whatever the limit. */
const LEASES_PER_SLICE = 10;

export interface BudgetLimit {
  perWindow: number;
  windowMs: number;
}

export interface Slice {
  index: number;
  endsAt: number;
  tokens: number;
  leaseSize: number;
  leases: number;
}

export function sliceAt(limit: BudgetLimit, now: number): Slice {
  const sliceMs = limit.windowMs / SLICES_PER_WINDOW;
  const index = Math.floor(now / sliceMs);
  const tokens = Math.max(1, Math.floor(limit.perWindow / (SLICES_PER_WINDOW + 1)));
  const leaseSize = Math.max(1, Math.floor(tokens / LEASES_PER_SLICE));
  return { index, endsAt: (index + 1) * sliceMs, tokens, leaseSize, leases: Math.floor(tokens / leaseSize) };
}

/** Utilisation (percent) at which a network's usage header makes the budget pause until the next slice. */
export const SLOW_DOWN_AT_PERCENT = 75;

/** Who a network's answer says must wait, and how long. */
export interface BudgetSignal {
  scope: 'app' | 'account';
  /** The network's account id (`act_…` on Facebook) when scope is `account`. */
  accountId?: string;
  waitMs: number;
}
