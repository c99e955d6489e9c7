export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  /** Stable label of the endpoint, e.g. "POST /{ad_id}" or "POST /batch". */
  endpoint: string;
  status: number;
  /** Number of operations/events/rows the request carried, for batch endpoints. */
  batchSize?: number;
  /** Of those, the ones that write (a Graph batch also carries reads, e.g. the ads watcher's listings). */
  batchWrites?: number;
  fault?: string;
}

/** Everything a sandbox answered, so tests and benchmarks can prove call counts and batch sizes. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  constructor(private readonly limit = 200_000) {}

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(filter: { endpoint?: string; since?: string } = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) => (!filter.endpoint || e.endpoint === filter.endpoint) && (!filter.since || e.at >= filter.since),
    );
  }

  counters(): Record<string, { calls: number; maxBatchSize: number; totalBatchSize: number; statuses: Record<string, number> }> {
    const out: ReturnType<RequestLog['counters']> = {};
    for (const e of this.entries) {
      const c = (out[e.endpoint] ??= { calls: 0, maxBatchSize: 0, totalBatchSize: 0, statuses: {} });
      c.calls += 1;
      c.statuses[String(e.status)] = (c.statuses[String(e.status)] ?? 0) + 1;
      if (e.batchSize !== undefined) {
        c.maxBatchSize = Math.max(c.maxBatchSize, e.batchSize);
        c.totalBatchSize += e.batchSize;
      }
    }
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
