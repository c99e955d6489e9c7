import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { createDataConverter } from './data-converter';
import type { EncryptionKey } from './codec';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  encryptionKeys: EncryptionKey[];
  /** gRPC attempts per call while the frontend is unreachable (SDK default 10, ≈20 s); the API uses fewer, then answers 503. */
  grpcAttempts?: number;
}

/** The one way the API, the launcher and tests get a Temporal client: always with the codec. */
export async function createTemporalClient(options: TemporalClientOptions): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address: options.address,
    ...(options.grpcAttempts ? { interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: options.grpcAttempts }))] } : {}),
  });
  const client = new Client({
    connection,
    namespace: options.namespace,
    dataConverter: await createDataConverter(options.encryptionKeys),
  });
  return { client, connection };
}

/** True when the frontend answers its health check (1 = SERVING). */
export async function temporalIsServing(connection: Connection): Promise<boolean> {
  try {
    const response = await connection.healthService.check({});
    // 1 = SERVING (grpc.health.v1.HealthCheckResponse.ServingStatus)
    return Number(response.status) === 1;
  } catch {
    return false;
  }
}
