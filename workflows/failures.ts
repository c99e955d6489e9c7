import { ActivityFailure, ApplicationFailure, type RetryPolicy } from '@temporalio/workflow';
import { FailureType } from '../src/domain/failures';

export { FailureType };

export function isAuthFailure(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === FailureType.NetworkAuth;
}

export function messageOf(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Retry presets, built from the failure types instead of retyped per proxy. What never gets better by
 * retrying depends on what the activity does:
 * - `database`: only bookkeeping in our own database; bad input is final;
 * - `network`: calls a network with the account's token; a refused token is final too (the workflow parks);
 * - `send`: delivers data the network may refuse for good (that row is settled as failed, not retried).
 */
const NON_RETRYABLE = {
  database: [FailureType.InvalidInput],
  network: [FailureType.NetworkAuth, FailureType.InvalidInput],
  send: [FailureType.NetworkAuth, FailureType.InvalidInput, FailureType.NetworkRejected],
} as const;

export function retryPolicy(
  kind: keyof typeof NON_RETRYABLE,
  limits: { initialInterval: RetryPolicy['initialInterval']; maximumInterval: RetryPolicy['maximumInterval']; maximumAttempts: number },
): RetryPolicy {
  return { ...limits, backoffCoefficient: 2, nonRetryableErrorTypes: [...NON_RETRYABLE[kind]] };
}
