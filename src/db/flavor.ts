import type { Connection } from 'mongoose';

/**
 * The MongoDB-wire server behind MONGODB_URI, and the workarounds it needs. FerretDB v1 on SQLite
 * (the embedded default) stops answering an `update` carrying more than about 32 statements and can
 * deadlock on concurrent upserts into one collection; MongoDB needs neither workaround.
 */
export type DatabaseFlavor = 'ferretdb' | 'mongodb';
export type DatabaseFlavorSetting = DatabaseFlavor | 'auto';

export interface DatabaseTraits {
  flavor: DatabaseFlavor;
  /** Largest bulk write sent in one command; `null`: the whole batch at once (the driver splits it). */
  bulkChunk: number | null;
  /** Webhook-burst writes go one at a time per process. */
  serialWebhookWrites: boolean;
}

const FERRETDB_BULK_CHUNK = 25;

export function traitsOf(flavor: DatabaseFlavor): DatabaseTraits {
  return flavor === 'ferretdb'
    ? { flavor, bulkChunk: FERRETDB_BULK_CHUNK, serialWebhookWrites: true }
    : { flavor, bulkChunk: null, serialWebhookWrites: false };
}

/** FerretDB names itself in `buildInfo` with its own fields (`ferretdbVersion`, `ferretdbFeatures`); MongoDB has none. */
export function flavorFromBuildInfo(buildInfo: Record<string, unknown>): DatabaseFlavor {
  return Object.keys(buildInfo).some((key) => key.toLowerCase().startsWith('ferretdb')) ? 'ferretdb' : 'mongodb';
}

/** The setting wins; `auto` asks the server. */
export async function resolveFlavor(setting: DatabaseFlavorSetting, buildInfo: () => Promise<Record<string, unknown>>): Promise<DatabaseFlavor> {
  return setting === 'auto' ? flavorFromBuildInfo(await buildInfo()) : setting;
}

/**
 * Traits per connection, so helpers that are handed a model (its `db` is the connection) apply the
 * right workaround without every caller passing the flavor along. Unknown connections get FerretDB's
 * traits: the conservative choice, and the embedded default.
 */
const traitsByConnection = new WeakMap<Connection, DatabaseTraits>();

export function registerTraits(connection: Connection, traits: DatabaseTraits): void {
  traitsByConnection.set(connection, traits);
}

export function traitsOfConnection(connection: Connection | undefined): DatabaseTraits {
  return (connection && traitsByConnection.get(connection)) ?? traitsOf('ferretdb');
}
