/**
 * Counts of the work a window cost, beside CPU (issue 12: the machine is shared, counts are not
 * noisy): requests the sandboxes answered, history events of the benchmark's workflows, and the
 * database's own statistics (PostgreSQL under FerretDB: transactions, rows written, scans), which
 * count every process's database work, not only the benchmark's.
 */
import { Client } from 'pg';
import type { BenchStack } from './harness';

export interface WorkCounts {
  requests: number;
  historyEvents: number;
  /** Absent when the backend is not the embedded PostgreSQL. */
  db?: { transactions: number; rowsWritten: number; seqScans: number; indexScans: number };
}

export async function countWork(stack: BenchStack, workflowIds: readonly string[]): Promise<WorkCounts> {
  const requests = (['facebook', 'google', 'linkedin'] as const).reduce((sum, network) => sum + stack.sandboxes[network].sandbox.log.list().length, 0);
  let historyEvents = 0;
  for (const id of workflowIds) historyEvents += (await stack.temporal.workflow.getHandle(id).describe().catch(() => undefined))?.historyLength ?? 0;
  return { requests, historyEvents, ...(stack.postgresUrl ? { db: await databaseCounts(stack.postgresUrl) } : {}) };
}

/** One short-lived client on the PostgreSQL under FerretDB, for reading its statistics. */
export async function withPostgres<T>(url: string, read: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await read(client);
  } finally {
    await client.end();
  }
}

function databaseCounts(url: string): Promise<NonNullable<WorkCounts['db']>> {
  return withPostgres(url, async (client) => {
    // Statistics reach the views when a backend flushes them (about once a second): fine for windows of minutes.
    const { rows: [database] } = await client.query<{ transactions: string }>('SELECT sum(xact_commit)::text AS transactions FROM pg_stat_database');
    const { rows: [tables] } = await client.query<{ written: string; seq: string; idx: string }>(
      'SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS written, coalesce(sum(seq_scan), 0)::text AS seq, coalesce(sum(idx_scan), 0)::text AS idx FROM pg_stat_user_tables',
    );
    return { transactions: Number(database?.transactions ?? 0), rowsWritten: Number(tables?.written ?? 0), seqScans: Number(tables?.seq ?? 0), indexScans: Number(tables?.idx ?? 0) };
  });
}

/** `after − before`, per interval of `intervals`. */
export function perInterval(before: WorkCounts, after: WorkCounts, intervals: number): WorkCounts {
  const per = (a: number, b: number) => (a - b) / intervals;
  return {
    requests: per(after.requests, before.requests),
    historyEvents: per(after.historyEvents, before.historyEvents),
    ...(before.db && after.db
      ? { db: { transactions: per(after.db.transactions, before.db.transactions), rowsWritten: per(after.db.rowsWritten, before.db.rowsWritten), seqScans: per(after.db.seqScans, before.db.seqScans), indexScans: per(after.db.indexScans, before.db.indexScans) } }
      : {}),
  };
}
