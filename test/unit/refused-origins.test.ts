import { describe, expect, it } from 'vitest';
import { RefusedOriginLog } from '../../src/visitors/refused-origins';

describe('issue 15 item 8b: log lines of refused site origins are rate-limited', () => {
  it('logs an origin once per interval, again after it', () => {
    const log = new RefusedOriginLog({ intervalMs: 600_000, maxOrigins: 10 });
    expect(log.shouldLog('https://shop.example', 0)).toBe(true);
    expect(log.shouldLog('https://shop.example', 599_999)).toBe(false);
    expect(log.shouldLog('https://other.example', 1)).toBe(true);
    expect(log.shouldLog('https://shop.example', 600_000)).toBe(true);
  });

  it('remembers at most maxOrigins origins (a caller cycling Origin values cannot grow memory), forgetting the oldest', () => {
    const log = new RefusedOriginLog({ intervalMs: 600_000, maxOrigins: 3 });
    for (const n of [1, 2, 3, 4]) expect(log.shouldLog(`https://o${n}.example`, n)).toBe(true);
    // o1 was forgotten to make room for o4, so it is logged again; o4 is still remembered.
    expect(log.shouldLog('https://o1.example', 10)).toBe(true);
    expect(log.shouldLog('https://o4.example', 10)).toBe(false);
  });
});
