import http from 'node:http';
import { loadConfigOrExit } from '../config';
import { connectDatabase } from '../db/connection';
import { startCrmActivityRelay, relayDepsOf } from '../conversions/crm-relay';
import { createLogger } from '../logging';
import { EncryptionCodec } from '../temporal/codec';
import { createTemporalClient, temporalIsServing } from '../temporal/client';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createApp, drainApp } from './app';

/** The API process: Express in front of Temporal and the database. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'adtrack-api' });
  const db = await connectDatabase(config.MONGODB_URI, { flavor: config.DATABASE_FLAVOR, failFast: true });
  const { client, connection } = await createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    encryptionKeys: config.ENCRYPTION_KEYS,
    grpcAttempts: 4,
  });
  const added = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  if (added.length) logger.info({ added }, 'registered search attributes');
  const ctx = {
    config,
    logger,
    db,
    temporal: client,
    codec: await EncryptionCodec.create(config.ENCRYPTION_KEYS),
    temporalReady: () => temporalIsServing(connection),
  };
  const app = createApp(ctx);
  // CRM activity Temporal has not acknowledged yet (an outage, lead sync in the worker) → conversion workflows.
  const relay = startCrmActivityRelay(relayDepsOf(ctx), config.CRM_OUTBOX_RELAY_SECONDS * 1000);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
  logger.info({ port: config.PORT, database: db.traits.flavor }, 'api listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await drainApp(app);
    await relay.stop();
    await connection.close();
    await db.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));
}

main().catch((error: unknown) => {
  createLogger({ name: 'adtrack-api' }).fatal({ err: error }, 'api failed to start');
  process.exit(1);
});
