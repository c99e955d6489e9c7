import { GraphError } from './graph-error';

export interface AppLimit {
  /** Calls the app may make in any rolling window (every batch operation counts, §5). */
  calls: number;
  windowSeconds: number;
}

/**
 * Meta's app-level rate limit (§9.3): calls of all the app's users and accounts count over a rolling
 * window; each answer carries `X-App-Usage` percentages, and past 100 % the app gets code 4. Off until
 * a test sets a limit (PUT /_sandbox/app-limit), so nothing else changes for other tests.
 */
export class AppUsageMeter {
  limit: AppLimit | null = null;
  private calls: number[] = [];
  /** What tests compare against the limit: answered calls, code-4 refusals, the busiest rolling window. */
  counted = 0;
  refused = 0;
  peak = 0;

  reset(): void {
    this.limit = null;
    this.calls = [];
    this.counted = 0;
    this.refused = 0;
    this.peak = 0;
  }

  /** Counts one call at `nowMs`; throws code 4 when the app is over its limit. */
  charge(nowMs: number): Record<string, string> {
    const limit = this.limit;
    if (!limit) return {};
    const since = nowMs - limit.windowSeconds * 1000;
    while (this.calls.length > 0 && this.calls[0]! <= since) this.calls.shift();
    if (this.calls.length >= limit.calls) {
      this.refused += 1;
      throw appLimitReached(this.header(limit));
    }
    this.calls.push(nowMs);
    this.counted += 1;
    this.peak = Math.max(this.peak, this.calls.length);
    return this.header(limit);
  }

  describe() {
    return { limit: this.limit, counted: this.counted, refused: this.refused, peak: this.peak };
  }

  private header(limit: AppLimit): Record<string, string> {
    const pct = Math.min(100, Math.round((this.calls.length / limit.calls) * 100));
    return { 'X-App-Usage': JSON.stringify({ call_count: pct, total_cputime: Math.round(pct / 2), total_time: Math.round(pct / 2) }) };
  }
}

function appLimitReached(headers: Record<string, string>): GraphError {
  return new GraphError(400, { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true }, headers);
}
