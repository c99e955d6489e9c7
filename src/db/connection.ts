import mongoose, { type Connection } from 'mongoose';
import { registerTraits, resolveFlavor, traitsOf, type DatabaseFlavorSetting, type DatabaseTraits } from './flavor';
import { createModels, type Models } from './models';

export interface Database {
  connection: Connection;
  models: Models;
  /** What the server is and which workarounds it gets (FerretDB or MongoDB). */
  traits: DatabaseTraits;
  close(): Promise<void>;
  ping(): Promise<boolean>;
}

/**
 * One connection per process. Works unchanged against FerretDB (the embedded default) and MongoDB:
 * no multi-document transactions, no change streams, deterministic `_id`s and upserts for idempotency.
 */
export async function connectDatabase(uri: string, options: { dbName?: string; flavor?: DatabaseFlavorSetting; failFast?: boolean; monitorCommands?: boolean } = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    // Tests and the benchmark count what crosses the wire (commandSucceeded events).
    ...(options.monitorCommands ? { monitorCommands: true } : {}),
    // failFast (the API): during an outage a request fails within seconds (503) instead of Mongoose
    // buffering it for 10 s while the caller waits; workers keep the patient defaults (Temporal retries).
    ...(options.failFast ? { bufferCommands: false, serverSelectionTimeoutMS: 2_000 } : { serverSelectionTimeoutMS: 10_000 }),
    autoIndex: false,
    autoCreate: true,
  });
  await connection.asPromise();
  const traits = traitsOf(await resolveFlavor(options.flavor ?? 'auto', () => connection.db!.admin().buildInfo()));
  registerTraits(connection, traits);
  const models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  return {
    connection,
    models,
    traits,
    close: () => connection.close(),
    async ping() {
      try {
        await connection.db!.command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
  };
}
