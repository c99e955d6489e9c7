/**
 * When to send queued conversion events, and which (issue 6: "batched up to each network's maximum,
 * flushed on size or after at most 10 s"). Pure: the caller passes the queue and its clock and gets
 * back the batch to send now (if any), the events to mark instead of sending, and when to look again.
 */
import type { Network } from '../../networks/types';
import { isWithinNetworkWindow } from './windows';

/** Events per request: facebook §8.5 (1,000), google §4.2 (2,000), linkedin §4.2 BATCH_CREATE (5,000). */
export const BATCH_MAX: Readonly<Record<Network, number>> = {
  facebook: 1_000,
  google: 2_000,
  linkedin: 5_000,
};

/** An event waits at most this long for its batch to fill. */
export const MAX_BATCH_WAIT_MS = 10_000;

export interface QueuedConversion<T = unknown> {
  eventId: string;
  /** Epoch ms of the activity (the network's time window is measured from it). */
  occurredAt: number;
  /** Epoch ms the event joined the queue (the 10 s wait is measured from it). */
  enqueuedAt: number;
  payload: T;
}

export interface BatchPlan<T> {
  /** Send these now, in one request; `null` = nothing to send yet. */
  flush: QueuedConversion<T>[] | null;
  reason: 'full' | 'deadline' | null;
  /** Too old for the network by now: mark OUTSIDE_NETWORK_WINDOW, never send (one stale event can sink a Facebook request). */
  expired: QueuedConversion<T>[];
  /** Later copies of an event id already queued: drop (the first copy is the one sent). */
  duplicates: QueuedConversion<T>[];
  /** Still waiting, in queue order. */
  remaining: QueuedConversion<T>[];
  /** When to call again for `remaining` (epoch ms); `null` when nothing waits. */
  wakeAt: number | null;
}

export interface BatchOptions {
  /** Rate-limit back-off: send nothing before this time (epoch ms), e.g. from a Retry-After hint. */
  blockedUntil?: number;
  /** Override of the network maximum (never above it). */
  maxSize?: number;
}

function dueAt(pending: readonly QueuedConversion<unknown>[], max: number, now: number): number | null {
  if (pending.length === 0) return null;
  if (pending.length >= max) return now;
  return pending.reduce((oldest, e) => Math.min(oldest, e.enqueuedAt), Infinity) + MAX_BATCH_WAIT_MS;
}

export function nextBatch<T>(network: Network, queue: readonly QueuedConversion<T>[], now: number, options: BatchOptions = {}): BatchPlan<T> {
  const max = Math.max(1, Math.min(options.maxSize ?? BATCH_MAX[network], BATCH_MAX[network]));
  const seen = new Set<string>();
  const duplicates: QueuedConversion<T>[] = [];
  const expired: QueuedConversion<T>[] = [];
  const pending: QueuedConversion<T>[] = [];
  for (const event of queue) {
    if (seen.has(event.eventId)) duplicates.push(event);
    else {
      seen.add(event.eventId);
      if (isWithinNetworkWindow(network, event.occurredAt, now)) pending.push(event);
      else expired.push(event);
    }
  }

  const blocked = options.blockedUntil !== undefined && now < options.blockedUntil;
  const due = dueAt(pending, max, now);
  if (blocked || due === null || now < due) {
    const wakeAt = due === null ? null : blocked ? Math.max(due, options.blockedUntil ?? due) : due;
    return { flush: null, reason: null, expired, duplicates, remaining: pending, wakeAt };
  }
  const flush = pending.slice(0, max);
  const remaining = pending.slice(max);
  return {
    flush,
    reason: flush.length === max ? 'full' : 'deadline',
    expired,
    duplicates,
    remaining,
    wakeAt: dueAt(remaining, max, now),
  };
}
