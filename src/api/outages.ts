import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** gRPC status codes that mean "the Temporal frontend is not reachable right now" (grpc.status). */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** The MongoDB driver's and Mongoose's names for "no server to talk to". */
const MONGO_OUTAGE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'DatabaseUnavailableError',
]);

export type Dependency = 'database' | 'temporal';

/**
 * Which dependency an error says is down, if any: walks the `cause` chain, since the Temporal client
 * wraps gRPC errors and Mongoose wraps driver errors. Anything else is not an outage.
 */
export function outageOf(error: unknown): Dependency | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth += 1) {
    if (MONGO_OUTAGE_NAMES.has(current.name)) return 'database';
    // Mongoose's own "Operation `x.find()` buffering timed out" (the connection is down) carries no driver error.
    if (current.name === 'MongooseError' && /buffering timed out|before initial connection|Connection was force closed/i.test(current.message)) return 'database';
    if (isGrpcServiceError(current) && [GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED].includes(Number(current.code))) return 'temporal';
    if (current instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (current.name === 'ServiceError' && /Failed to connect/i.test(current.message)) return 'temporal';
  }
  return undefined;
}
