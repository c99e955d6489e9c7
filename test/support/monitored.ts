import mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { registerTraits } from '../../src/db/flavor';
import { createModels, type Models } from '../../src/db/models';
import type { TestStack } from './stack';

export interface MonitoredDatabase {
  /** A second connection to the stack's database, with the stack's database traits (set before the file's own hooks run). */
  connection: mongoose.Connection;
  models: Models;
  /** Its driver, whose command events (`commandStarted`, `commandSucceeded`, `commandFailed`) the file listens to. */
  client: ReturnType<mongoose.Connection['getClient']>;
}

/**
 * A connection of the file's own whose commands the tests count (the driver's command monitoring),
 * so the stack's worker and API traffic is not counted with them. Call after `useStack`: it opens
 * after the stack and closes before it.
 */
export function useMonitoredDatabase(stack: TestStack): MonitoredDatabase {
  const monitored = {} as MonitoredDatabase;
  beforeAll(async () => {
    const connection = mongoose.createConnection(stack.config.MONGODB_URI, { dbName: stack.db.connection.name, monitorCommands: true, autoIndex: false });
    await connection.asPromise();
    registerTraits(connection, stack.db.traits);
    Object.assign(monitored, { connection, models: createModels(connection), client: connection.getClient() });
  });
  afterAll(async () => {
    await monitored.connection?.close();
  });
  return monitored;
}
