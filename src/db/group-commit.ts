/**
 * Group commit: callers hand in one item each and wait until it is written; items that arrive while
 * a write is in flight go together in the next one. A caller is answered only once its item is
 * durable, so nothing accepted is lost on a crash or shutdown, yet a busy endpoint makes one
 * database round trip per batch instead of one per request. Under light load a batch is one item
 * and waits for nothing (at most one turn of the event loop when gathering).
 */
/** Writes a batch; answers each item's result, or an Error for an item that did not go through. */
export type BatchWrite<T, R> = (items: T[]) => Promise<readonly (R | Error)[]>;

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R = void> {
  private pending: Pending<T, R>[] = [];
  /** Counted as they start and end, in the same tick as their last look at `pending`. */
  private writers = 0;
  private readonly running = new Set<Promise<void>>();

  /**
   * `inFlight` batches are written at once: on a database whose round trip is long next to the time
   * a request takes in Node (the embedded one on a busy box), one batch at a time leaves the
   * requests waiting for it and the database idle between round trips. Callers that need an order
   * between their items keep it themselves (a page view waits for its visitor's previous one).
   */
  constructor(
    private readonly write: BatchWrite<T, R>,
    private readonly maxBatch = 200,
    private readonly inFlight = 1,
    private readonly gatherTurns = 0,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.writers < this.inFlight) this.startWriter();
    });
  }

  /** Resolves once everything handed in so far is written (shutdown). */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private startWriter(): void {
    this.writers += 1;
    const writer = this.drainPending();
    this.running.add(writer);
    void writer.then(() => this.running.delete(writer));
  }

  /**
   * Busy (items waited for the last write): a few more turns of the event loop while more keep
   * arriving, so requests already on their way join this batch instead of making the next one. No
   * timer: an idle endpoint never waits, and the wait ends the turn nothing new comes.
   */
  private async gather(): Promise<void> {
    for (let turn = 0; turn < this.gatherTurns && this.pending.length < this.maxBatch; turn++) {
      const before = this.pending.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.pending.length === before) return;
    }
  }

  private async drainPending(): Promise<void> {
    // Started from add(): the item that started it is written in the next microtask's batch, with
    // whatever else arrived in the same tick.
    try {
      await Promise.resolve();
      while (this.pending.length > 0) {
        await this.gather();
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((p) => p.item));
          batch.forEach((p, i) => {
            const result = results[i];
            if (result instanceof Error) p.reject(result);
            else p.resolve(result as R);
          });
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.writers -= 1;
    }
  }
}
