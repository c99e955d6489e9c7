/**
 * Which refused site origins to log: a site missing from CORS_SITE_ORIGINS sends every page view, so
 * each origin is logged at most once per interval, and only so many origins are remembered (the
 * Origin header is the caller's to choose; an attacker cycling values must not grow memory).
 */
export class RefusedOriginLog {
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly options: { intervalMs: number; maxOrigins: number }) {}

  /** True when this origin's refusal should be logged now (and records it). */
  shouldLog(origin: string, nowMs: number): boolean {
    const last = this.lastLogged.get(origin);
    if (last !== undefined && nowMs - last < this.options.intervalMs) return false;
    this.lastLogged.delete(origin);
    if (this.lastLogged.size >= this.options.maxOrigins) {
      // Maps iterate in insertion order: the first key is the origin logged longest ago.
      const oldest = this.lastLogged.keys().next().value;
      if (oldest !== undefined) this.lastLogged.delete(oldest);
    }
    this.lastLogged.set(origin, nowMs);
    return true;
  }
}
