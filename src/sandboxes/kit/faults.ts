import { z } from 'zod';
import { seededRandom } from './rng';

/** Stress behaviour a sandbox can be switched into at run time. All off by default. */
export const faultConfigSchema = z
  .object({
    /** Added delay for every API request, in milliseconds. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Share (0..1) of API requests answered with the network's rate-limit error. */
    rateLimitRate: z.number().min(0).max(1).default(0),
    /** Seconds the network tells the caller to wait after a rate-limit error. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    /** Share (0..1) of API requests answered with a transient 5xx. */
    transientErrorRate: z.number().min(0).max(1).default(0),
    /** Share (0..1) of API requests that hang until the client gives up (the socket is held open). */
    timeoutRate: z.number().min(0).max(1).default(0),
    /** How long a "timeout" request is held before the sandbox drops it, in milliseconds. */
    timeoutHoldMs: z.number().int().min(0).max(120_000).default(30_000),
    /** When true every access token is treated as expired (token expiry mid-run). */
    expireAllTokens: z.boolean().default(false),
    /** Share (0..1) of items inside a batch request that fail with a per-item transient error. */
    batchItemFailureRate: z.number().min(0).max(1).default(0),
    /** Seed for the fault dice, so a faulty run can be reproduced. */
    seed: z.number().int().default(1),
  })
  .strict();

export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type FaultKind = 'rate_limit' | 'transient' | 'timeout';

export class Faults {
  private config: FaultConfig = faultConfigSchema.parse({});
  private random = seededRandom(1);

  get current(): FaultConfig {
    return this.config;
  }

  set(partial: unknown): FaultConfig {
    this.config = faultConfigSchema.parse({ ...this.config, ...(partial as object) });
    this.random = seededRandom(this.config.seed);
    return this.config;
  }

  reset(): void {
    this.set(faultConfigSchema.parse({}));
  }

  /** Rolls the dice for one request; returns the fault to inject, if any. */
  roll(): FaultKind | undefined {
    const { rateLimitRate, transientErrorRate, timeoutRate } = this.config;
    if (rateLimitRate > 0 && this.random() < rateLimitRate) return 'rate_limit';
    if (transientErrorRate > 0 && this.random() < transientErrorRate) return 'transient';
    if (timeoutRate > 0 && this.random() < timeoutRate) return 'timeout';
    return undefined;
  }

  /** Rolls the dice for one item of a batch. */
  itemFails(): boolean {
    return this.config.batchItemFailureRate > 0 && this.random() < this.config.batchItemFailureRate;
  }
}
