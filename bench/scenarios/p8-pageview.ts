/**
 * P8: the public page-view and form-submission endpoints' throughput and p99 against a bare Express
 * route measured in the same run, and proof that everything accepted was stored (stored ÷ accepted).
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { freePort, waitFor } from '../../src/dev/processes';
import { sample, type WatchedProcess } from '../cpu';
import { countWork, perInterval, withPostgres } from '../counts';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

const CONNECTIONS = 20;
const VISITORS = 500;

interface Beacon {
  /** How the server names what it stored (known before the answer for a page view, read from it for a submission). */
  id: string;
  body: string;
}

interface Loaded {
  result: autocannon.Result;
  accepted: string[];
  /** CPU milliseconds per request of the serving processes (their children included), by process. */
  cpuMsPerRequest: Map<string, number>;
}

/**
 * Load for `seconds`; returns autocannon's result, the ids of what was answered 202 and the CPU the
 * serving processes spent per request — a figure other load on the machine changes far less than
 * req/s, since a process's CPU time does not grow while it waits for a core.
 */
async function load(url: string, seconds: number, serving: readonly WatchedProcess[], beacon: () => Beacon, idFromAnswer?: (body: string) => string): Promise<Loaded> {
  const accepted: string[] = [];
  const before = sample(serving);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // One request at a time per connection: the connection's context names the beacon in flight.
        setupRequest: (req, context: { id?: string }) => {
          const next = beacon();
          context.id = next.id;
          return { ...req, body: next.body };
        },
        onResponse: (status, body, context: { id?: string }) => {
          if (status === 202) accepted.push(idFromAnswer ? idFromAnswer(body) : String(context.id));
        },
      },
    ],
  });
  const after = sample(serving);
  const requests = Math.max(1, result.requests.total);
  const cpuMsPerRequest = new Map(after.map((a, i) => [a.name, ((a.cpuSeconds - before[i]!.cpuSeconds) * 1000) / requests]));
  return { result, accepted, cpuMsPerRequest };
}

/** By `_id`, in small groups: FerretDB v1 serves `_id` equality from its key but scans for `$in`. */
async function storedOf(ids: readonly string[], exists: (id: string) => Promise<unknown>): Promise<number> {
  let stored = 0;
  for (let i = 0; i < ids.length; i += 20) {
    const found = await Promise.all(ids.slice(i, i + 20).map(exists));
    stored += found.filter(Boolean).length;
  }
  return stored;
}

/** Sequential scans so far per PostgreSQL table (FerretDB names a collection's table after it) and the table's rows. */
function seqScansByTable(url: string): Promise<Map<string, { scans: number; rows: number }>> {
  return withPostgres(url, async (client) => {
    const { rows } = await client.query<{ name: string; scans: string; live: string }>('SELECT relname AS name, seq_scan::text AS scans, n_live_tup::text AS live FROM pg_stat_user_tables');
    return new Map(rows.map((row) => [row.name, { scans: Number(row.scans), rows: Number(row.live) }]));
  });
}

/** The tables scanned during a window, most scanned first: whether a scan read a big table or a handful of rows. */
function scannedTables(before: Map<string, { scans: number }>, after: Map<string, { scans: number; rows: number }>, requests: number): string {
  return [...after]
    .map(([name, now]) => ({ name, rows: now.rows, perRequest: (now.scans - (before.get(name)?.scans ?? 0)) / Math.max(1, requests) }))
    .filter((table) => table.perRequest >= 0.05)
    .sort((a, b) => b.perRequest - a.perRequest)
    .map((table) => `${table.name} ${table.perRequest.toFixed(2)} (${table.rows})`)
    .join(', ');
}

const sum = (cpu: Map<string, number>) => [...cpu.values()].reduce((a, b) => a + b, 0);

/** The rows of one endpoint: req/s, p99 and CPU per request next to the bare route's, and stored ÷ accepted. */
function rowsOf(what: string, size: string, measured: Loaded, baseline: Loaded, stored: number, unit: string): BenchRow[] {
  const reference = (value: number) => ({ value, label: 'bare Express, same run' });
  const byProcess = [...measured.cpuMsPerRequest].map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ');
  return [
    { scenario: 'P8', what: `${what} req/s`, size, value: measured.result.requests.average, unit: 'req/s', reference: reference(baseline.result.requests.average), note: what === 'page views' ? 'acceptance: ≥ 0.50×' : '' },
    { scenario: 'P8', what: `${what} p99`, size, value: measured.result.latency.p99, unit: 'ms', reference: reference(baseline.result.latency.p99) },
    { scenario: 'P8', what: `${what} CPU per request`, size, value: sum(measured.cpuMsPerRequest), unit: 'ms', reference: reference(sum(baseline.cpuMsPerRequest)), note: byProcess },
    { scenario: 'P8', what: `accepted ${what} stored`, size, value: stored, unit, reference: { value: measured.accepted.length, label: 'answered 202' }, note: `${measured.result.non2xx} non-2xx, ${measured.result.errors} errors` },
  ];
}

export const p8: Scenario = {
  id: 'P8',
  title: 'public page-view and form-submission endpoints vs a bare Express route',
  sizes: { full: [30], quick: [3] },
  async run(stack: BenchStack, seconds: number): Promise<BenchRow[]> {
    const port = await freePort();
    const bare = stack.node('bare-express', 'bench/bare-server.ts', { PORT: String(port) });
    try {
      await waitFor('bare Express', async () => (await fetch(`http://127.0.0.1:${port}/t/pageview`, { method: 'POST' }).catch(() => undefined)) !== undefined, { timeoutMs: 60_000, exited: bare.exited });
      const visitors = Array.from({ length: VISITORS }, () => randomBytes(16).toString('hex'));
      const run = randomBytes(4).toString('hex');
      let n = 0;
      const pageView = (): Beacon => {
        n += 1;
        const id = `bench-${run}-${n}`;
        const visitorToken = visitors[n % VISITORS]!;
        return { id: `${visitorToken}:${id}`, body: JSON.stringify({ visitorToken, url: `https://shop.example.com/p/${n % 50}?utm_source=bench`, title: 'Bench', pageViewId: id }) };
      };
      const submission = (): Beacon => {
        n += 1;
        const body = { email: `bench-${run}-${n}@example.com`, fields: { firstname: 'Bench', company: 'Example' }, pageUrl: `https://shop.example.com/contact?utm_source=bench`, visitorToken: visitors[n % VISITORS]!, submissionId: `bench-${run}-${n}` };
        return { id: body.submissionId, body: JSON.stringify(body) };
      };
      const size = `${seconds} s, ${CONNECTIONS} connections, ${VISITORS} visitors`;
      const bareProcess = [{ name: 'bare', pid: bare.child.pid! }];
      // A page view touches the API and the database; a submission also relays to Temporal and the worker.
      const viewProcesses = stack.processes.filter((p) => p.name !== 'worker' && p.name !== 'temporal');

      const bareViews = await load(`http://127.0.0.1:${port}/t/pageview`, seconds, bareProcess, pageView);
      const views = await load(`${stack.apiUrl}/t/pageview`, seconds, viewProcesses, pageView);
      const viewsStored = await storedOf(views.accepted, (id) => stack.db.models.PageView.exists({ _id: id }));

      const form = (await stack.request('POST', '/api/forms', { name: `Bench ${run}` })).body as { id: string };
      const formPath = `/t/forms/${form.id}/submissions`;
      const submissionId = (body: string) => (JSON.parse(body) as { submissionId: string }).submissionId;
      const bareSubmissions = await load(`http://127.0.0.1:${port}${formPath}`, seconds, bareProcess, submission);
      const workBefore = await countWork(stack, []);
      const scansBefore = stack.postgresUrl ? await seqScansByTable(stack.postgresUrl) : undefined;
      const submissions = await load(`${stack.apiUrl}${formPath}`, seconds, stack.processes, submission, submissionId);
      const work = perInterval(workBefore, await countWork(stack, []), Math.max(1, submissions.result.requests.total)).db;
      const scanned = scansBefore && stack.postgresUrl ? scannedTables(scansBefore, await seqScansByTable(stack.postgresUrl), submissions.result.requests.total) : '';
      const submissionsStored = await storedOf(submissions.accepted, (id) => stack.db.models.FormSubmission.exists({ _id: id }));

      return [
        ...rowsOf('page views', size, views, bareViews, viewsStored, 'page views'),
        ...rowsOf('form submissions', size, submissions, bareSubmissions, submissionsStored, 'submissions'),
        // A submission ties its visitor's earlier page views to the contact: rows written follow that visitor's views, scans nothing.
        ...(work
          ? [{
              scenario: 'P8',
              what: 'form submissions: PostgreSQL rows written per request',
              size,
              value: work.rowsWritten,
              unit: 'rows',
              note: `${work.seqScans.toFixed(1)} seq scans, ${work.indexScans.toFixed(1)} index scans, ${work.transactions.toFixed(1)} transactions per request (every process); each visitor had ${(views.accepted.length / VISITORS).toFixed(0)} page views; seq scans per request by table (rows): ${scanned || 'none'}`,
            }]
          : []),
      ];
    } finally {
      await bare.stop();
    }
  },
};
