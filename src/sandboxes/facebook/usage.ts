import type { BucType } from './graph-error';

export type AccessTier = 'development' | 'standard';

/** §9.4: read = 1 point, write = 3; the score decays over 300 s; past the max the account is blocked. */
const TIERS: Record<AccessTier, { maxScore: number; decaySeconds: number; blockSeconds: number; header: string }> = {
  development: { maxScore: 60, decaySeconds: 300, blockSeconds: 300, header: 'development_access' },
  standard: { maxScore: 9000, decaySeconds: 300, blockSeconds: 60, header: 'standard_access' },
};

interface AccountScore {
  score: number;
  at: number;
  blockedUntil: number;
}

export interface UsageCharge {
  /** Seconds until the account may call again; 0 when the call is allowed. */
  blockedForSeconds: number;
  headers: Record<string, string>;
}

/** Per-account points counter behind the usage headers and real (non-injected) throttling. */
export class UsageMeter {
  tier: AccessTier = 'standard';
  private readonly scores = new Map<string, AccountScore>();
  /** Calls answered with a BUC throttle, per account: what tests count a throttled account's retries by. */
  readonly refusals = new Map<string, number>();

  reset(): void {
    this.scores.clear();
    this.refusals.clear();
    this.tier = 'standard';
  }

  /** Blocks an account now, as Meta does when its score runs over (a test's way to throttle one account). */
  block(accountId: string, seconds: number, now: number): void {
    const entry = this.decayed(accountId, now);
    entry.blockedUntil = now + seconds;
  }

  charge(accountId: string, isWrite: boolean, bucType: BucType, now: number): UsageCharge {
    const tier = TIERS[this.tier];
    const entry = this.decayed(accountId, now);
    if (entry.blockedUntil > now) {
      this.refusals.set(accountId, (this.refusals.get(accountId) ?? 0) + 1);
      return { blockedForSeconds: entry.blockedUntil - now, headers: this.headers(accountId, bucType, entry, now) };
    }
    entry.score += isWrite ? 3 : 1;
    if (entry.score > tier.maxScore) entry.blockedUntil = now + tier.blockSeconds;
    return { blockedForSeconds: 0, headers: this.headers(accountId, bucType, entry, now) };
  }

  private decayed(accountId: string, now: number): AccountScore {
    const tier = TIERS[this.tier];
    const entry = this.scores.get(accountId) ?? { score: 0, at: now, blockedUntil: 0 };
    // A sandbox clock moved back must not count as negative decay (that would add points).
    entry.score = Math.max(0, entry.score - (Math.max(0, now - entry.at) * tier.maxScore) / tier.decaySeconds);
    entry.at = now;
    this.scores.set(accountId, entry);
    return entry;
  }

  private headers(accountId: string, bucType: BucType, entry: AccountScore, now: number): Record<string, string> {
    const tier = TIERS[this.tier];
    const pct = Math.min(100, Math.round((entry.score / tier.maxScore) * 10_000) / 100);
    const resetSeconds = Math.ceil((entry.score * tier.decaySeconds) / tier.maxScore);
    const regainMinutes = entry.blockedUntil > now ? Math.ceil((entry.blockedUntil - now) / 60) : 0;
    const bucKey = accountId.replace(/^act_/, '');
    return {
      'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: pct, reset_time_duration: resetSeconds, ads_api_access_tier: tier.header }),
      'X-Business-Use-Case-Usage': JSON.stringify({
        [bucKey]: [
          {
            type: bucType,
            call_count: Math.round(pct),
            total_cputime: Math.round(pct / 2),
            total_time: Math.round(pct / 2),
            estimated_time_to_regain_access: regainMinutes,
            ads_api_access_tier: tier.header,
          },
        ],
      }),
    };
  }
}
