/**
 * The per-view counters of visitors and their sessions (`pageViews`, `lastSeenAt`,
 * `lastActivityAt`), rolled up from page views already stored (issue 12, P8). Writing them with
 * each page view cost two guarded updates per view; here a visitor's views since the last flush
 * become one `$inc`/`$max` of the visitor and one of its session, so a busy visitor costs one write
 * per flush however many pages it views. `$inc` and `$max` commute, so a flush may land before or
 * after any other writer's update (a form submission, a session opened elsewhere) and give the same
 * state as per-view updates. The page views themselves are durable before their 202; what a crash
 * can lose is at most one flush interval of these counters, and shutdown flushes them.
 */
import type { Connection } from 'mongoose';
import type { Models } from '../db/models';
import { traitsOfConnection } from '../db/flavor';

type RollupModels = Pick<Models, 'Visitor' | 'WebSession'>;

interface Touch {
  views: number;
  lastAt: Date;
}

/** Minimum time between two flushes under load: a visitor's counters are written at most this often. */
const FLUSH_GAP_MS = 10_000;

function merge(into: Map<string, Touch>, key: string, views: number, at: Date): void {
  const touch = into.get(key);
  if (touch === undefined) into.set(key, { views, lastAt: at });
  else {
    touch.views += views;
    if (at > touch.lastAt) touch.lastAt = at;
  }
}

export class SessionRollup {
  private visitors = new Map<string, Touch>();
  private sessions = new Map<string, Touch>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;

  constructor(
    private readonly models: RollupModels,
    private readonly onError: (error: unknown, pending: number) => void,
  ) {}

  /** One stored page view of `visitorToken` in its current session `sessionId`, at `at`. */
  add(visitorToken: string, sessionId: string, at: Date): void {
    merge(this.visitors, visitorToken, 1, at);
    merge(this.sessions, sessionId, 1, at);
    this.schedule();
  }

  /** The latest activity of the visitor not written yet (a visitor re-read from the database lacks it). */
  pendingAt(visitorToken: string): Date | undefined {
    return this.visitors.get(visitorToken)?.lastAt;
  }

  /** Writes everything added so far (shutdown; tests). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running;
    if (this.visitors.size > 0 || this.sessions.size > 0) await this.start();
  }

  private schedule(): void {
    if (this.running || this.timer) return;
    const wait = this.lastFlushAt + FLUSH_GAP_MS - Date.now();
    if (wait <= 0) void this.start();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.start();
      }, wait);
      this.timer.unref();
    }
  }

  private start(): Promise<void> {
    const run = this.write().finally(() => {
      this.running = null;
      this.lastFlushAt = Date.now();
      if (this.visitors.size > 0 || this.sessions.size > 0) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async write(): Promise<void> {
    const visitors = this.visitors;
    const sessions = this.sessions;
    this.visitors = new Map();
    this.sessions = new Map();
    try {
      // A visitor with a view pending has a session, so `session.lastActivityAt` has a parent to set it in.
      await writeChunks(this.models.Visitor, visitors, (t) => ({ $inc: { pageViews: t.views }, $max: { lastSeenAt: t.lastAt, 'session.lastActivityAt': t.lastAt } }));
      await writeChunks(this.models.WebSession, sessions, (t) => ({ $inc: { pageViews: t.views }, $max: { lastActivityAt: t.lastAt } }));
    } catch (error) {
      // Not written (the database is down): kept for the next flush.
      for (const [key, t] of visitors) merge(this.visitors, key, t.views, t.lastAt);
      for (const [key, t] of sessions) merge(this.sessions, key, t.views, t.lastAt);
      this.onError(error, this.visitors.size + this.sessions.size);
    }
  }
}

interface UpdateModel {
  db?: Connection;
  bulkWrite(ops: { updateOne: { filter: { _id: string }; update: object } }[], options: { ordered: false }): Promise<unknown>;
}

/** Chunk by chunk, each written one leaving `touches`: what a failure leaves there is what is still to write. */
async function writeChunks(model: UpdateModel, touches: Map<string, Touch>, update: (t: Touch) => object): Promise<void> {
  const chunk = traitsOfConnection(model.db).bulkChunk ?? touches.size;
  while (touches.size > 0) {
    const keys = [...touches.keys()].slice(0, chunk);
    await model.bulkWrite(
      keys.map((_id) => ({ updateOne: { filter: { _id }, update: update(touches.get(_id)!) } })),
      { ordered: false },
    );
    for (const key of keys) touches.delete(key);
  }
}
