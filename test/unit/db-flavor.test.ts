import { describe, expect, it, vi } from 'vitest';
import { bulkWriteInChunks } from '../../src/db/bulk';
import { flavorFromBuildInfo, registerTraits, resolveFlavor, traitsOf } from '../../src/db/flavor';
import type { Connection } from 'mongoose';

/** What the servers answer to `buildInfo` (abridged): FerretDB v1.24.2 adds its own fields (recorded from the pinned binary). */
const FERRETDB_BUILD_INFO = { version: '7.0.42', versionArray: [7, 0, 42, 0], modules: [], ferretdbVersion: 'v1.24.2', ferretdbFeatures: { aggregationStages: ['$match'] }, ok: 1 };
const MONGODB_BUILD_INFO = { version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188', versionArray: [7, 0, 14, 0], modules: [], ok: 1 };

function fakeModel(connection: Connection) {
  const calls: number[] = [];
  return {
    calls,
    db: connection,
    bulkWrite: vi.fn(async (ops: unknown[]) => {
      calls.push(ops.length);
      return { upsertedCount: ops.length, modifiedCount: 0, matchedCount: ops.length };
    }),
  };
}

describe('database flavor (issue 10 §4): development-database workarounds only where the database needs them', () => {
  it('recognises FerretDB by its buildInfo fields, MongoDB by their absence', () => {
    expect(flavorFromBuildInfo(FERRETDB_BUILD_INFO)).toBe('ferretdb');
    expect(flavorFromBuildInfo(MONGODB_BUILD_INFO)).toBe('mongodb');
  });

  it('an explicit setting wins without asking the server; auto asks', async () => {
    const buildInfo = vi.fn(async () => FERRETDB_BUILD_INFO);
    await expect(resolveFlavor('mongodb', buildInfo)).resolves.toBe('mongodb');
    await expect(resolveFlavor('ferretdb', buildInfo)).resolves.toBe('ferretdb');
    expect(buildInfo).not.toHaveBeenCalled();
    await expect(resolveFlavor('auto', buildInfo)).resolves.toBe('ferretdb');
    await expect(resolveFlavor('auto', async () => MONGODB_BUILD_INFO)).resolves.toBe('mongodb');
  });

  it('FerretDB: small bulk chunks and serial webhook writes; MongoDB: neither', () => {
    expect(traitsOf('ferretdb')).toEqual({ flavor: 'ferretdb', bulkChunk: 25, serialWebhookWrites: true });
    expect(traitsOf('mongodb')).toEqual({ flavor: 'mongodb', bulkChunk: null, serialWebhookWrites: false });
  });

  it('bulk writes go in chunks of 25 on FerretDB and in one call on MongoDB, in order, counting every upsert and match', async () => {
    const ops = Array.from({ length: 60 }, (_, i) => ({ i }));
    const ferret = {} as Connection;
    const mongo = {} as Connection;
    registerTraits(ferret, traitsOf('ferretdb'));
    registerTraits(mongo, traitsOf('mongodb'));
    const onFerret = fakeModel(ferret);
    await expect(bulkWriteInChunks(onFerret, ops, { ordered: true })).resolves.toEqual({ upsertedCount: 60, matchedCount: 60 });
    expect(onFerret.calls).toEqual([25, 25, 10]);
    expect(onFerret.bulkWrite.mock.calls.flatMap(([chunk]) => chunk)).toEqual(ops);
    const onMongo = fakeModel(mongo);
    await expect(bulkWriteInChunks(onMongo, ops, { ordered: true })).resolves.toEqual({ upsertedCount: 60, matchedCount: 60 });
    expect(onMongo.calls).toEqual([60]);
    // An unregistered connection keeps today's (FerretDB) behaviour.
    const unknown = fakeModel({} as Connection);
    await bulkWriteInChunks(unknown, ops, { ordered: false });
    expect(unknown.calls).toEqual([25, 25, 10]);
  });
});
