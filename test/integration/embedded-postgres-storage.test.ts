import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../src/dev/embedded-database';
import { freePort, type Supervised } from '../../src/dev/processes';
import { ensureTools } from '../../src/dev/tools';

/**
 * Issue 12 acceptance 0 (lead backfill ≥ 2,000 leads/s): PostgreSQL under the embedded FerretDB keeps
 * rows up to a page uncompressed (FerretDB stores a contact as about 4 KB of JSON; pglz compressing
 * every one cost a quarter of PostgreSQL's CPU in a backfill), on the tables of a new data folder and
 * on those of a data folder made before the setting. Against its own embedded database (the run's
 * may be MongoDB), read through PostgreSQL's catalog.
 */
describe.skipIf(Boolean(process.env.MONGODB_URI) || process.env.ADTRACK_EMBEDDED_DB === 'sqlite')('Embedded PostgreSQL storage of FerretDB tables (issue 12 item 0)', () => {
  let dir: string;
  let ferretdbBinary: string;
  let processes: Supervised[] = [];

  const start = async () => {
    const started = await startEmbeddedDatabase({ ferretdbBinary, handler: 'postgresql', port: await freePort(), dataDir: dir, logDir: dir, throwaway: true });
    processes = started.processes;
    return { mongo: (await mongoose.createConnection(`${started.uri}storage`).asPromise()).getClient(), postgresUrl: started.postgresUrl! };
  };
  const stop = async () => {
    for (const proc of [...processes].reverse()) await proc.stop();
    processes = [];
  };
  const sql = async <T extends object>(url: string, text: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };
  /** The FerretDB table behind a collection of the `storage` database, as a quoted name. */
  const tableOf = async (url: string, collection: string) => {
    const [row] = await sql<{ name: string }>(url, `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'storage' AND tablename LIKE '${collection}\\_%'`);
    return row!.name;
  };
  const settingOf = async (url: string, table: string) =>
    (await sql<{ options: string[] | null }>(url, `SELECT reloptions AS options FROM pg_class WHERE oid = '${table}'::regclass`))[0]!.options ?? [];
  /** Rows of the table stored compressed (inline or in its TOAST table). */
  const compressed = async (url: string, table: string) =>
    Number((await sql<{ n: string }>(url, `SELECT count(pg_column_compression(_jsonb))::text AS n FROM ${table}`))[0]!.n);
  /** A document of about 4 KB as FerretDB stores it (like a lead-ad contact), or far beyond a page. */
  const doc = (id: string, fields: number) => ({ _id: id, ...Object.fromEntries(Array.from({ length: fields }, (_, i) => [`field${i}`, `value ${i} of ${id}`])) });

  beforeAll(async () => {
    ferretdbBinary = (await ensureTools(() => undefined, { temporal: false, ferretdb: true })).ferretdb;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-pg-storage-'));
    fs.chmodSync(dir, 0o755);
  }, 300_000);
  afterAll(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issue 12 item 0: a new collection keeps rows up to a page uncompressed; larger rows are still compressed', async () => {
    const { mongo, postgresUrl } = await start();
    try {
      const contacts = mongo.db('storage').collection<{ _id: string }>('contacts');
      await contacts.insertMany([doc('small-1', 40), doc('small-2', 40)]);
      await contacts.insertOne(doc('large', 600));
      const table = await tableOf(postgresUrl, 'contacts');
      expect(await settingOf(postgresUrl, table)).toContain('toast_tuple_target=8160');
      const sizes = await sql<{ id: string; bytes: number; packed: string | null }>(
        postgresUrl,
        `SELECT _jsonb->>'_id' AS id, octet_length(_jsonb::text) AS bytes, pg_column_compression(_jsonb) AS packed FROM ${table} ORDER BY 1`,
      );
      expect(sizes.map((s) => [s.id, s.packed])).toEqual([['large', 'pglz'], ['small-1', null], ['small-2', null]]);
      // Beyond PostgreSQL's 2 KB default (which compressed them before) and within a page.
      for (const small of sizes.filter((s) => s.id !== 'large')) {
        expect(small.bytes).toBeGreaterThan(2_100);
        expect(small.bytes).toBeLessThan(8_000);
      }
    } finally {
      await mongo.close();
      await stop();
    }
  }, 120_000);

  it('issue 12 item 0: a data folder made before the setting gets it at the next start, for its existing tables', async () => {
    // Make the folder look older: the table loses the setting and the marker of the installed SQL goes.
    {
      const { mongo, postgresUrl } = await start();
      const table = await tableOf(postgresUrl, 'contacts');
      await sql(postgresUrl, `ALTER TABLE ${table} RESET (toast_tuple_target)`);
      await mongo.db('storage').collection<{ _id: string }>('contacts').insertOne(doc('before-upgrade', 40));
      expect(await settingOf(postgresUrl, table)).not.toContain('toast_tuple_target=8160');
      await mongo.close();
      await stop();
      fs.rmSync(path.join(dir, 'postgres', 'adtrack-tables.sql.sha256'));
    }
    const { mongo, postgresUrl } = await start();
    try {
      const table = await tableOf(postgresUrl, 'contacts');
      expect(await settingOf(postgresUrl, table)).toContain('toast_tuple_target=8160');
      expect(fs.existsSync(path.join(dir, 'postgres', 'adtrack-tables.sql.sha256'))).toBe(true);
      const before = await compressed(postgresUrl, table);
      await mongo.db('storage').collection<{ _id: string }>('contacts').insertOne(doc('after-upgrade', 40));
      // The row written before stays as it was stored; the new one is not compressed.
      expect(await compressed(postgresUrl, table)).toBe(before);
      expect(before).toBeGreaterThanOrEqual(2);
    } finally {
      await mongo.close();
    }
  }, 120_000);
});
