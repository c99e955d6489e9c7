import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Activities throw this type when the network rejects the token (expired, revoked). */
export const AUTH_FAILURE_TYPE = 'NetworkAuthError';

export function isAuthFailure(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === AUTH_FAILURE_TYPE;
}

export function messageOf(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
