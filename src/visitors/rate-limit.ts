/**
 * In-memory token buckets for the public tracking endpoints (per visitor token and per IP).
 *
 * Why in memory: the limit protects the database from a runaway or hostile page, not a quota that
 * must be exact. Checking it must cost nothing on the hot path (no database round trip per beacon),
 * and losing the counters on restart is harmless. With several API instances each enforces its own
 * buckets (a proxy in front can add a global limit if ever needed).
 */
export interface TokenBucketOptions {
  /** Tokens added per minute. */
  ratePerMinute: number;
  /** Bucket size (the burst allowed after a quiet period). */
  burst: number;
  /** Buckets kept at most; the least recently used half is dropped beyond it. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxKeys: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.perMs = options.ratePerMinute / 60_000;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Takes one token for `key`; false when the bucket is empty (the caller answers 429). */
  take(key: string, now = Date.now()): boolean {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.options.burst, updatedAt: now };
    } else {
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
      bucket.updatedAt = now;
      // Re-insert so the Map's order stays least-recently-used first.
      this.buckets.delete(key);
    }
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict();
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Milliseconds until `key` has a token again (for Retry-After). */
  retryAfterMs(key: string): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  private evict(): void {
    let drop = Math.floor(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
