import type { BucType } from './graph-error';

export type AccessTier = 'development' | 'standard';

export interface ScoringRules {
  maxScore: number;
  decaySeconds: number;
  blockSeconds: number;
}

/** §9.4: read = 1 point, write = 3; the score decays over 300 s; past the max the account is blocked. */
const TIERS: Record<AccessTier, ScoringRules & { header: string }> = {
  development: { maxScore: 60, decaySeconds: 300, blockSeconds: 300, header: 'development_access' },
  standard: { maxScore: 9000, decaySeconds: 300, blockSeconds: 60, header: 'standard_access' },
};
const READ_POINTS = 1;
const WRITE_POINTS = 3;

interface AccountScore {
  score: number;
  /** Milliseconds: the score decays continuously, as Meta's does, not in whole-second steps. */
  at: number;
  blockedUntil: number;
  reads: number;
  writes: number;
  peak: number;
}

export interface UsageCharge {
  /** Seconds until the account may call again; 0 when the call is allowed. */
  blockedForSeconds: number;
  headers: Record<string, string>;
}

/** Per-account points counter behind the usage headers and real (non-injected) throttling. */
export class UsageMeter {
  tier: AccessTier = 'standard';
  /** A test's scaled-down tier (same formula, smaller numbers), so a scaled onboarding runs in seconds. */
  private scaled: ScoringRules | undefined;
  private readonly scores = new Map<string, AccountScore>();
  /** Calls answered with a BUC throttle, per account: what tests count a throttled account's retries by. */
  readonly refusals = new Map<string, number>();

  reset(): void {
    this.scores.clear();
    this.refusals.clear();
    this.tier = 'standard';
    this.scaled = undefined;
  }

  get rules(): ScoringRules {
    return this.scaled ?? this.tierRules();
  }

  tierRules(): ScoringRules {
    const { maxScore, decaySeconds, blockSeconds } = TIERS[this.tier];
    return { maxScore, decaySeconds, blockSeconds };
  }

  /** Overrides the tier's numbers until the next reset; `undefined` restores them. */
  scale(rules: ScoringRules | undefined): void {
    this.scaled = rules;
  }

  /** Blocks an account now, as Meta does when its score runs over (a test's way to throttle one account). */
  block(accountId: string, seconds: number, nowMs: number): void {
    const entry = this.decayed(accountId, nowMs);
    entry.blockedUntil = nowMs + seconds * 1000;
  }

  charge(accountId: string, isWrite: boolean, bucType: BucType, nowMs: number): UsageCharge {
    const rules = this.rules;
    const entry = this.decayed(accountId, nowMs);
    if (entry.blockedUntil > nowMs) {
      this.refusals.set(accountId, (this.refusals.get(accountId) ?? 0) + 1);
      return { blockedForSeconds: Math.ceil((entry.blockedUntil - nowMs) / 1000), headers: this.headers(accountId, bucType, entry, nowMs) };
    }
    if (isWrite) entry.writes += 1;
    else entry.reads += 1;
    entry.score += isWrite ? WRITE_POINTS : READ_POINTS;
    entry.peak = Math.max(entry.peak, entry.score);
    if (entry.score > rules.maxScore) entry.blockedUntil = nowMs + rules.blockSeconds * 1000;
    return { blockedForSeconds: 0, headers: this.headers(accountId, bucType, entry, nowMs) };
  }

  /** The scoring rules and, per account, the points charged (reads, writes), the peak score and refusals. */
  describe(): { rules: ScoringRules & { readPoints: number; writePoints: number }; accounts: Record<string, { reads: number; writes: number; peakScore: number; refusals: number }> } {
    const accounts = Object.fromEntries(
      [...this.scores].map(([id, e]) => [id, { reads: e.reads, writes: e.writes, peakScore: Math.round(e.peak), refusals: this.refusals.get(id) ?? 0 }]),
    );
    return { rules: { ...this.rules, readPoints: READ_POINTS, writePoints: WRITE_POINTS }, accounts };
  }

  private decayed(accountId: string, nowMs: number): AccountScore {
    const { maxScore, decaySeconds } = this.rules;
    const entry = this.scores.get(accountId) ?? { score: 0, at: nowMs, blockedUntil: 0, reads: 0, writes: 0, peak: 0 };
    // A sandbox clock moved back must not count as negative decay (that would add points).
    entry.score = Math.max(0, entry.score - (Math.max(0, nowMs - entry.at) * maxScore) / (decaySeconds * 1000));
    entry.at = nowMs;
    this.scores.set(accountId, entry);
    return entry;
  }

  /**
   * §9.3 from the score itself: `call_count` and `acc_id_util_pct` are the score as a share of the
   * max, `reset_time_duration` the seconds until it has decayed to nothing, and
   * `estimated_time_to_regain_access` the minutes a block has left.
   */
  private headers(accountId: string, bucType: BucType, entry: AccountScore, nowMs: number): Record<string, string> {
    const rules = this.rules;
    const tier = TIERS[this.tier];
    const share = Math.min(100, (entry.score / rules.maxScore) * 100);
    const pct = Math.round(share * 100) / 100;
    const resetSeconds = Math.ceil((entry.score * rules.decaySeconds) / rules.maxScore);
    const regainMinutes = entry.blockedUntil > nowMs ? Math.ceil((entry.blockedUntil - nowMs) / 60_000) : 0;
    const bucKey = accountId.replace(/^act_/, '');
    return {
      'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: pct, reset_time_duration: resetSeconds, ads_api_access_tier: tier.header }),
      'X-Business-Use-Case-Usage': JSON.stringify({
        [bucKey]: [
          {
            type: bucType,
            call_count: Math.round(share),
            total_cputime: Math.round(share / 2),
            total_time: Math.round(share / 2),
            estimated_time_to_regain_access: regainMinutes,
            ads_api_access_tier: tier.header,
          },
        ],
      }),
    };
  }
}
