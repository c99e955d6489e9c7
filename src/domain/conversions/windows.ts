/**
 * How old an event may be when it reaches each network. Events outside the window are not sent and
 * are marked so (issue 6): Facebook rejects the WHOLE request when one event is too old, so a stale
 * event must never get into a batch.
 */
import type { Network } from '../../networks/types';

const DAY_MS = 86_400_000;

export const NETWORK_WINDOW_MS: Readonly<Record<Network, number>> = {
  // facebook §8.2: `event_time` may be up to 7 days in the past (§8.6: the same for CRM events).
  facebook: 7 * DAY_MS,
  // google §4.2/§7.2: the click must be inside the action's click-through window, at most 90 days.
  // A conversion happens after its click, so one older than 90 days can only fail with EXPIRED_EVENT.
  google: 90 * DAY_MS,
  // linkedin §4.2: `conversionHappenedAt` not older than 90 days.
  linkedin: 90 * DAY_MS,
};

/**
 * Head-room kept before the network's limit: an event accepted here still has to wait for its
 * batch (≤ 10 s) and travel, and the network's clock may run ahead of ours. The check is repeated
 * whenever a batch is cut, so retries late in the window are covered too.
 */
export const SEND_MARGIN_MS = 5 * 60_000;

/** Latest `now` at which an event that happened at `occurredAtMs` may still be sent. */
export function sendDeadline(network: Network, occurredAtMs: number): number {
  return occurredAtMs + NETWORK_WINDOW_MS[network] - SEND_MARGIN_MS;
}

export function isWithinNetworkWindow(network: Network, occurredAtMs: number, nowMs: number): boolean {
  return nowMs <= sendDeadline(network, occurredAtMs);
}
