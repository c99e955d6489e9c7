import { describe, expect, it } from 'vitest';
import {
  BATCH_MAX,
  MAX_BATCH_WAIT_MS,
  NETWORK_WINDOW_MS,
  SEND_MARGIN_MS,
  nextBatch,
  type QueuedConversion,
} from '../../src/domain/conversions';

const NOW = Date.parse('2026-03-14T09:30:00.000Z');

function queue(count: number, enqueuedAt = NOW, idPrefix = 'e'): QueuedConversion<number>[] {
  return Array.from({ length: count }, (_, i) => ({ eventId: `${idPrefix}${i}`, occurredAt: enqueuedAt, enqueuedAt, payload: i }));
}

describe('batch sizes (facebook §8.5, google §4.2, linkedin §4.2)', () => {
  it('maxima: Facebook 1,000, Google 2,000, LinkedIn 5,000 per request', () => {
    expect(BATCH_MAX).toEqual({ facebook: 1_000, google: 2_000, linkedin: 5_000 });
  });

  for (const network of ['facebook', 'google', 'linkedin'] as const) {
    it(`${network}: a full batch flushes at once and never exceeds the maximum`, () => {
      const max = BATCH_MAX[network];
      const plan = nextBatch(network, queue(max + 5), NOW);
      expect(plan.reason).toBe('full');
      expect(plan.flush).toHaveLength(max);
      expect(plan.remaining).toHaveLength(5);
      expect(plan.wakeAt).toBe(NOW + MAX_BATCH_WAIT_MS);
    });
  }

  it('one event short of full waits', () => {
    const plan = nextBatch('facebook', queue(999), NOW);
    expect(plan.flush).toBeNull();
    expect(plan.remaining).toHaveLength(999);
    expect(plan.wakeAt).toBe(NOW + MAX_BATCH_WAIT_MS);
  });

  it('issue 6 acceptance: a burst of 10,000 Facebook events leaves in exactly 10 requests, each id once', () => {
    let pending = queue(10_000);
    const sent: string[] = [];
    let requests = 0;
    for (;;) {
      const plan = nextBatch('facebook', pending, NOW);
      if (!plan.flush) break;
      requests += 1;
      sent.push(...plan.flush.map((e) => e.eventId));
      pending = plan.remaining;
    }
    expect(requests).toBe(10);
    expect(new Set(sent).size).toBe(10_000);
  });

  it('maxSize can lower but never raise the network maximum', () => {
    expect(nextBatch('facebook', queue(30), NOW, { maxSize: 10 }).flush).toHaveLength(10);
    expect(nextBatch('facebook', queue(1_500), NOW, { maxSize: 5_000 }).flush).toHaveLength(1_000);
  });
});

describe('flush after at most 10 s', () => {
  it('a partial batch flushes exactly 10 s after its oldest event, not a millisecond earlier', () => {
    const q = [...queue(3, NOW - MAX_BATCH_WAIT_MS, 'old'), ...queue(2, NOW - 1_000, 'new')];
    expect(nextBatch('google', q, NOW - 1).flush).toBeNull();
    expect(nextBatch('google', q, NOW - 1).wakeAt).toBe(NOW);
    const plan = nextBatch('google', q, NOW);
    expect(plan.reason).toBe('deadline');
    expect(plan.flush?.map((e) => e.eventId)).toEqual(['old0', 'old1', 'old2', 'new0', 'new1']);
    expect(plan.remaining).toEqual([]);
    expect(plan.wakeAt).toBeNull();
  });

  it('the deadline follows the oldest event even when the queue is not in arrival order', () => {
    const q = [...queue(1, NOW - 2_000, 'b'), ...queue(1, NOW - 9_000, 'a')];
    expect(nextBatch('linkedin', q, NOW).wakeAt).toBe(NOW + 1_000);
  });

  it('an empty queue has nothing to do', () => {
    expect(nextBatch('facebook', [], NOW)).toEqual({ flush: null, reason: null, expired: [], duplicates: [], remaining: [], wakeAt: null });
  });
});

describe('CONV-7 dedupe by event id', () => {
  it('CONV-7 the same event id twice goes out once; the copy is reported as duplicate', () => {
    const q = [...queue(2, NOW - MAX_BATCH_WAIT_MS), { eventId: 'e0', occurredAt: NOW, enqueuedAt: NOW, payload: 99 }];
    const plan = nextBatch('facebook', q, NOW);
    expect(plan.flush?.map((e) => e.eventId)).toEqual(['e0', 'e1']);
    expect(plan.flush?.[0]?.payload).toBe(0);
    expect(plan.duplicates.map((e) => e.payload)).toEqual([99]);
  });

  it('CONV-7 duplicates do not count towards a full batch', () => {
    const q = [...queue(999), ...queue(1)];
    expect(nextBatch('facebook', q, NOW).flush).toBeNull();
  });
});

describe('network windows at flush time', () => {
  it('facebook §8.2: an event that aged out while queued is expired, never flushed with the others', () => {
    const stale = { eventId: 'stale', occurredAt: NOW - NETWORK_WINDOW_MS.facebook + SEND_MARGIN_MS - 1, enqueuedAt: NOW - 20_000, payload: -1 };
    const fresh = queue(2, NOW - 20_000);
    const plan = nextBatch('facebook', [stale, ...fresh], NOW);
    expect(plan.expired.map((e) => e.eventId)).toEqual(['stale']);
    expect(plan.flush?.map((e) => e.eventId)).toEqual(['e0', 'e1']);
  });

  it('the same age is still fine for Google and LinkedIn (90 days)', () => {
    const old = { eventId: 'old', occurredAt: NOW - 8 * 86_400_000, enqueuedAt: NOW - 20_000, payload: 0 };
    expect(nextBatch('google', [old], NOW).flush).toHaveLength(1);
    expect(nextBatch('linkedin', [old], NOW).flush).toHaveLength(1);
  });
});

describe('rate-limit back-off', () => {
  it('nothing flushes before blockedUntil; the wake-up is the later of deadline and back-off', () => {
    const q = queue(1_200, NOW - MAX_BATCH_WAIT_MS);
    const blocked = nextBatch('facebook', q, NOW, { blockedUntil: NOW + 30_000 });
    expect(blocked.flush).toBeNull();
    expect(blocked.remaining).toHaveLength(1_200);
    expect(blocked.wakeAt).toBe(NOW + 30_000);
    expect(nextBatch('facebook', q, NOW + 30_000, { blockedUntil: NOW + 30_000 }).flush).toHaveLength(1_000);
  });

  it('a back-off already over does not delay anything', () => {
    expect(nextBatch('facebook', queue(1_000), NOW, { blockedUntil: NOW - 1 }).reason).toBe('full');
  });
});
