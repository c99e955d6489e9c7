/**
 * Group commit: callers hand in one item each and wait until it is written; items that arrive while
 * a write is in flight go together in the next one. A caller is answered only once its item is
 * durable, so nothing accepted is lost on a crash or shutdown, yet a busy endpoint makes one
 * database round trip per batch instead of one per request. Under light load a batch is one item
 * and waits for nothing.
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
  private running: Promise<void> | null = null;

  constructor(
    private readonly write: BatchWrite<T, R>,
    private readonly maxBatch = 200,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.running ??= this.drainPending();
    });
  }

  /** Resolves once everything handed in so far is written (shutdown). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainPending(): Promise<void> {
    try {
      while (this.pending.length > 0) {
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
      this.running = null;
    }
  }
}
