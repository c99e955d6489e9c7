/**
 * The failure types activities throw (`ApplicationFailure.type`) and workflows match on: one
 * spelling for both sides. Pure constants, so workflow code may import them.
 */
export const FailureType = {
  /** The network refused the token (expired, revoked, permission gone): park until a reconnect. */
  NetworkAuth: 'NetworkAuthError',
  /** Input that can never succeed (unknown account, malformed definition): retrying cannot help. */
  InvalidInput: 'InvalidInput',
  /** The network refused the request for good (validation, policy). */
  NetworkRejected: 'NetworkRejected',
  /** The network asked us to slow down; the failure carries its hint as `nextRetryDelay`. */
  NetworkRateLimited: 'NetworkRateLimited',
  /** A timeout or 5xx at the network: retry with backoff. */
  NetworkTransient: 'NetworkTransient',
  /** A single-use authorization code may have been consumed without an answer: never sent again, the admin starts over. */
  AuthorizationCodeSpent: 'AuthorizationCodeSpent',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];
