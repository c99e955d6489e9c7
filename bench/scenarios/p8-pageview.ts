/**
 * P8: the public page-view endpoint's throughput and p99 against a bare Express route measured in
 * the same run, and proof that every accepted page view was stored (stored ÷ accepted).
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { freePort, waitFor } from '../../src/dev/processes';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

const CONNECTIONS = 20;
const VISITORS = 500;

interface Beacon {
  id: string;
  body: string;
}

/** Load for `seconds`; returns autocannon's result and the page-view ids answered 202. */
async function load(url: string, seconds: number, beacon: () => Beacon): Promise<{ result: autocannon.Result; accepted: string[] }> {
  const accepted: string[] = [];
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
        onResponse: (status, _body, context: { id?: string }) => {
          if (status === 202) accepted.push(String(context.id));
        },
      },
    ],
  });
  return { result, accepted };
}

/** By `_id`, one at a time in small groups: FerretDB v1 serves `_id` equality from its key but scans for `$in`. */
async function storedOf(stack: BenchStack, visitorIdsById: Map<string, string>, ids: readonly string[]): Promise<number> {
  let stored = 0;
  for (let i = 0; i < ids.length; i += 20) {
    const found = await Promise.all(ids.slice(i, i + 20).map((id) => stack.db.models.PageView.exists({ _id: `${visitorIdsById.get(id)}:${id}` })));
    stored += found.filter(Boolean).length;
  }
  return stored;
}

export const p8: Scenario = {
  id: 'P8',
  title: 'public page-view endpoint vs a bare Express route',
  sizes: { full: [30], quick: [3] },
  async run(stack: BenchStack, seconds: number): Promise<BenchRow[]> {
    const port = await freePort();
    const bare = stack.node('bare-express', 'bench/bare-server.ts', { PORT: String(port) });
    try {
      await waitFor('bare Express', async () => (await fetch(`http://127.0.0.1:${port}/t/pageview`, { method: 'POST' }).catch(() => undefined)) !== undefined, { timeoutMs: 60_000, exited: bare.exited });
      const visitors = Array.from({ length: VISITORS }, () => randomBytes(16).toString('hex'));
      const run = randomBytes(4).toString('hex');
      let n = 0;
      const visitorOf = new Map<string, string>();
      const beacon = (): Beacon => {
        n += 1;
        const id = `bench-${run}-${n}`;
        const visitorToken = visitors[n % VISITORS]!;
        visitorOf.set(id, visitorToken);
        return { id, body: JSON.stringify({ visitorToken, url: `https://shop.example.com/p/${n % 50}?utm_source=bench`, title: 'Bench', pageViewId: id }) };
      };
      const { result: baseline } = await load(`http://127.0.0.1:${port}/t/pageview`, seconds, beacon);
      const { result: measured, accepted: acceptedIds } = await load(`${stack.apiUrl}/t/pageview`, seconds, beacon);
      const stored = await storedOf(stack, visitorOf, acceptedIds);
      const accepted = acceptedIds.length;
      const size = `${seconds} s, ${CONNECTIONS} connections, ${VISITORS} visitors`;
      return [
        { scenario: 'P8', what: 'page views req/s', size, value: measured.requests.average, unit: 'req/s', reference: { value: baseline.requests.average, label: 'bare Express, same run' } },
        { scenario: 'P8', what: 'page views p99', size, value: measured.latency.p99, unit: 'ms', reference: { value: baseline.latency.p99, label: 'bare Express, same run' } },
        { scenario: 'P8', what: 'accepted page views stored', size, value: stored, unit: 'page views', reference: { value: accepted, label: 'answered 202' }, note: `${measured.non2xx} non-2xx, ${measured.errors} errors` },
      ];
    } finally {
      await bare.stop();
    }
  },
};
