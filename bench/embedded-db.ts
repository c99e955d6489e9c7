import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnyBulkWriteOperation } from 'mongoose';
import { bulkWriteInChunks, insertRows } from '../src/db/bulk';
import { findByIds } from '../src/db/by-ids';
import { connectDatabase, type Database } from '../src/db/connection';
import type { AdDoc } from '../src/db/models/ad';
import { startEmbeddedDatabase, type EmbeddedHandler } from '../src/dev/embedded-database';
import { freePort, installOrphanGuard } from '../src/dev/processes';
import { ensureTools } from '../src/dev/tools';

/**
 * The embedded database backends side by side (issue 12): FerretDB v1 on SQLite and on the embedded
 * PostgreSQL, same data, same queries — the ones a sweep page and its bookkeeping issue — at growing
 * numbers of stored ads, plus whether concurrent writes to one document keep every write.
 *
 *   node --import tsx bench/embedded-db.ts [--quick] [--sizes 2000,8000,20000] [--handlers sqlite,postgresql]
 *
 * Times are medians of a few runs on whatever else the machine is doing: compare the two columns of
 * one run, not runs with each other.
 */
export interface EmbeddedDbRow {
  handler: EmbeddedHandler;
  ads: number;
  /** Median milliseconds per operation. */
  ms: Record<Operation, number>;
  /** Stored ads per second while loading the data. */
  insertPerSecond: number;
}

export interface AtomicityRow {
  handler: EmbeddedHandler;
  /** Of 8 concurrent `$set`s of different fields on one document, per round: fields missing afterwards. */
  lostSets: number;
  /** Of 8 concurrent upserts of one new `_id`: failed calls, and fields missing afterwards. */
  failedUpserts: number;
  lostUpsertFields: number;
  rounds: number;
}

const OPERATIONS = ['countByStatus', 'updateById', 'pageReadIn', 'pageRead', 'pageWrite', 'sweepBookkeeping'] as const;
type Operation = (typeof OPERATIONS)[number];

const ACCOUNTS = 10;
/** One sweep page: Facebook's page of ads. */
const PAGE = 100;
const REPEAT = 5;

export async function runEmbeddedDbBench(options: { sizes: number[]; handlers: EmbeddedHandler[]; rounds: number; say?: (line: string) => void }): Promise<{ rows: EmbeddedDbRow[]; atomicity: AtomicityRow[] }> {
  const say = options.say ?? (() => undefined);
  const tools = await ensureTools(say, { temporal: false, ferretdb: true });
  const rows: EmbeddedDbRow[] = [];
  const atomicity: AtomicityRow[] = [];
  for (const handler of options.handlers) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `adtrack-bench-${handler}-`));
    fs.chmodSync(dir, 0o755);
    const started = await startEmbeddedDatabase({ ferretdbBinary: tools.ferretdb, handler, port: await freePort(), dataDir: dir, logDir: dir, throwaway: true });
    try {
      for (const size of options.sizes) {
        say(`${handler}: ${size} ads…`);
        const db = await connectDatabase(started.uri, { dbName: `bench_${size}` });
        try {
          rows.push({ handler, ads: size, ...(await measureAt(db, size)) });
        } finally {
          await db.connection.dropDatabase().catch(() => undefined);
          await db.close();
        }
      }
      const db = await connectDatabase(started.uri, { dbName: 'bench_atomicity' });
      try {
        atomicity.push({ handler, ...(await measureAtomicity(db, options.rounds)) });
      } finally {
        await db.close();
      }
    } finally {
      for (const proc of started.processes.reverse()) await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { rows, atomicity };
}

const accountKey = (i: number) => `facebook:act_${i}`;
const adKey = (account: number, i: number) => `facebook:${account}_${i}`;

function adDoc(account: number, i: number, now: Date): AdDoc {
  return {
    _id: adKey(account, i),
    accountKey: accountKey(account),
    network: 'facebook',
    adId: `${account}_${i}`,
    name: `Ad ${i}`,
    status: 'active',
    rawStatus: 'ACTIVE',
    campaign: { id: `c${account}`, name: 'Campaign' },
    adGroup: { id: `s${account}`, name: 'Ad set' },
    landingUrl: `https://shop.example/p/${i}`,
    format: 'link',
    trackingStatus: (['tracked', 'pending', 'error', 'excluded'] as const)[i % 4]!,
    reason: null,
    appliedParams: { utm_source: 'facebook' },
    engagementCapped: false,
    engagementCapOverride: false,
    attempts: 0,
    nextRetryAt: i % 4 === 2 ? new Date(now.getTime() + i * 1000) : null,
    networkUpdatedTime: now.toISOString(),
    firstSeenAt: now,
    lastCheckedAt: now,
    trackedSince: null,
  };
}

async function measureAt(db: Database, size: number): Promise<Pick<EmbeddedDbRow, 'ms' | 'insertPerSecond'>> {
  const { Ad } = db.models;
  const now = new Date();
  const perAccount = Math.ceil(size / ACCOUNTS);
  const docs = Array.from({ length: size }, (_, n) => adDoc(n % ACCOUNTS, Math.floor(n / ACCOUNTS), now));
  const loadStart = performance.now();
  await insertRows(Ad, docs);
  const insertPerSecond = Math.round(size / ((performance.now() - loadStart) / 1000));

  const target = 0;
  const page = (offset: number) => Array.from({ length: PAGE }, (_, i) => adKey(target, (offset + i) % perAccount));
  let round = 0;
  const ms = {} as Record<Operation, number>;
  const ops: Record<Operation, () => Promise<unknown>> = {
    countByStatus: () => Ad.countDocuments({ accountKey: accountKey(target), trackingStatus: 'tracked' }),
    updateById: () => Ad.updateOne({ _id: adKey(target, round % perAccount) }, { $set: { lastCheckedAt: new Date() } }),
    // A page of stored ads as one `$in`, and as the sweep reads it (src/db/by-ids.ts).
    pageReadIn: () => Ad.find({ _id: { $in: page(round * PAGE) } }).lean(),
    pageRead: () => findByIds(Ad, page(round * PAGE)),
    pageWrite: () => {
      const writes: AnyBulkWriteOperation<AdDoc>[] = page(round * PAGE).map((id) => ({
        updateOne: { filter: { _id: id }, update: { $set: { lastCheckedAt: new Date(), trackingStatus: 'tracked' } }, upsert: true },
      }));
      return bulkWriteInChunks(Ad, writes, { ordered: false });
    },
    // activities/accounts.ts recordSweep as it is today: a count per status and the next retry due.
    sweepBookkeeping: async () => {
      for (const status of ['tracked', 'pending', 'error', 'excluded']) await Ad.countDocuments({ accountKey: accountKey(target), trackingStatus: status });
      await Ad.findOne({ accountKey: accountKey(target), trackingStatus: 'error', nextRetryAt: { $ne: null } }, { nextRetryAt: 1 }).sort({ nextRetryAt: 1 }).lean();
    },
  };
  for (const name of OPERATIONS) {
    const times: number[] = [];
    for (round = 0; round < REPEAT; round += 1) {
      const start = performance.now();
      await ops[name]();
      times.push(performance.now() - start);
    }
    ms[name] = median(times);
  }
  return { ms, insertPerSecond };
}

async function measureAtomicity(db: Database, rounds: number): Promise<Omit<AtomicityRow, 'handler'>> {
  const collection = db.connection.collection<{ _id: string } & Record<string, unknown>>('atomicity');
  const fields = Array.from({ length: 8 }, (_, i) => `f${i}`);
  let lostSets = 0;
  let failedUpserts = 0;
  let lostUpsertFields = 0;
  for (let round = 0; round < rounds; round += 1) {
    const setId = `set-${round}`;
    await collection.insertOne({ _id: setId });
    await Promise.all(fields.map((field) => collection.updateOne({ _id: setId }, { $set: { [field]: round } })));
    const afterSets = await collection.findOne({ _id: setId });
    lostSets += fields.filter((field) => afterSets?.[field] !== round).length;

    const upsertId = `upsert-${round}`;
    const results = await Promise.allSettled(fields.map((field) => collection.updateOne({ _id: upsertId }, { $set: { [field]: round } }, { upsert: true })));
    failedUpserts += results.filter((r) => r.status === 'rejected').length;
    const afterUpserts = await collection.findOne({ _id: upsertId });
    lostUpsertFields += fields.filter((field, i) => results[i]!.status === 'fulfilled' && afterUpserts?.[field] !== round).length;
  }
  return { lostSets, failedUpserts, lostUpsertFields, rounds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

export function embeddedDbMarkdown(result: { rows: EmbeddedDbRow[]; atomicity: AtomicityRow[] }): string {
  const lines = [
    `| handler | ads stored | insert ads/s | ${OPERATIONS.map((op) => `${op} ms`).join(' | ')} |`,
    `|---|---:|---:|${OPERATIONS.map(() => '---:').join('|')}|`,
    ...result.rows.map((row) => `| ${row.handler} | ${row.ads} | ${row.insertPerSecond} | ${OPERATIONS.map((op) => row.ms[op]).join(' | ')} |`),
    '',
    '| handler | rounds | 8 concurrent $set on one doc: fields lost | 8 concurrent upserts of one _id: calls failed | fields lost |',
    '|---|---:|---:|---:|---:|',
    ...result.atomicity.map((row) => `| ${row.handler} | ${row.rounds} | ${row.lostSets} | ${row.failedUpserts} | ${row.lostUpsertFields} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  installOrphanGuard();
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const sizes = (value('--sizes') ?? (quick ? '500' : '2000,8000,20000')).split(',').map(Number);
  const handlers = (value('--handlers') ?? 'sqlite,postgresql').split(',') as EmbeddedHandler[];
  const result = await runEmbeddedDbBench({ sizes, handlers, rounds: quick ? 3 : 20, say: (line) => console.error(line) });
  const table = embeddedDbMarkdown(result);
  console.log(table);
  if (!quick) {
    const dir = path.join(__dirname, 'results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `embedded-db-${new Date().toISOString().slice(0, 16).replace(/:/g, '')}.md`), `# Embedded database, ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}\n\n${table}\n`);
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
