/**
 * Page views of one API process, written in groups (issue 12, P8). Per request the page view costs
 * no database round trip of its own: the visitor is read from a short-lived cache of what this
 * process last read or wrote, and the page views that arrive while a batch is being written go
 * together in the next one — one insert of the page views (idempotent by `_id`: a retried beacon
 * is a duplicate, stored once and counted once). The visitor's and session's counters follow in
 * the background (SessionRollup); only a page view that opens a session writes the visitor and the
 * session in its batch, before the page view that names the session. A request is answered only
 * once its batch is written, so a 202 is never lost; `close()` writes the counters still pending.
 */
import { LRUCache } from 'lru-cache';
import type { Models } from '../db/models';
import type { PageViewDoc } from '../db/models/page-view';
import type { VisitorDoc } from '../db/models/visitor';
import { insertRows } from '../db/bulk';
import { GroupCommit } from '../db/group-commit';
import { pageViewOwner } from '../domain/contacts';
import { identityOf, planSessionActivity, recordSessionActivity, type ActivityEvent, type SessionPlan } from './sessions';
import { SessionRollup } from './session-rollup';

type StoreModels = Pick<Models, 'Visitor' | 'WebSession' | 'PageView' | 'Contact' | 'ContactLock'>;

/** A page view to store: everything but what its session decides. */
export type PageViewFields = Omit<PageViewDoc, 'sessionId' | 'contactId'>;

/**
 * How long a visitor read from the database is trusted without reading it again: writes by another
 * API process (a form submission identifying the browser) are seen within this time. Writes by this
 * process are seen at once (it updates or forgets its entry).
 */
const VISITOR_TRUST_MS = 60_000;
const VISITORS_CACHED = 20_000;
/**
 * One batch written at a time: the page views that arrive meanwhile go together in the next one, so
 * under load a batch carries many rows and shares the database's cost per command among them (P8:
 * with 4 batches in flight the groups were ~5 views and each view cost the database twice the CPU).
 */
const BATCHES_IN_FLIGHT = 1;
/**
 * Under load, event-loop turns a batch waits while more page views keep arriving (P8, 20
 * connections: groups of ~7 views without, ~13 with; 20 turns gathered no more than 4).
 */
const GATHER_TURNS = 4;

interface Item {
  /** Not stored yet (a first beacon): the batch inserts it with its first session. */
  isNew: boolean;
  visitor: VisitorDoc;
  event: ActivityEvent;
  pageView: PageViewFields;
}

export interface StoredPageView {
  sessionId: string;
  contactId: string | null;
}

/** A plan written in this batch, or the page view's own outcome when it took the one-at-a-time path. */
type Decided = { item: Item; plan: SessionPlan } | { item: Item; direct: StoredPageView | Error; visitor?: VisitorDoc };

export class PageViewStore {
  private readonly writes: GroupCommit<Item, StoredPageView>;
  private readonly rollup: SessionRollup;
  private readonly visitors = new LRUCache<string, VisitorDoc>({ max: VISITORS_CACHED, ttl: VISITOR_TRUST_MS });
  /** Per visitor, the tail of its page views in this process: a visitor has at most one view per batch. */
  private readonly visitorTails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly models: StoreModels,
    onRollupError: (error: unknown, pending: number) => void,
  ) {
    this.writes = new GroupCommit((items) => this.writeBatch(items), 200, BATCHES_IN_FLIGHT, GATHER_TURNS);
    this.rollup = new SessionRollup(models, onRollupError);
  }

  /**
   * Runs `work` after the visitor's earlier page views (and form submissions) in this process, so
   * it sees the visitor as they left it; other visitors' page views go on meanwhile.
   */
  forVisitor<R>(visitorToken: string, work: () => Promise<R>): Promise<R> {
    const previous = this.visitorTails.get(visitorToken) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.visitorTails.set(visitorToken, tail);
    void tail.then(() => {
      if (this.visitorTails.get(visitorToken) === tail) this.visitorTails.delete(visitorToken);
    });
    return run;
  }

  /** The visitor as last read or written here, or read by `_id`; null before its first page view. */
  async visitor(visitorToken: string): Promise<VisitorDoc | null> {
    const cached = this.visitors.get(visitorToken);
    if (cached) return cached;
    const stored = await this.models.Visitor.findById(visitorToken).lean<VisitorDoc>();
    if (stored === null) return null;
    // Views counted here but not flushed yet are activity in the session all the same.
    const pendingAt = this.rollup.pendingAt(visitorToken);
    const visitor = pendingAt && stored.session && pendingAt > stored.session.lastActivityAt ? { ...stored, session: { ...stored.session, lastActivityAt: pendingAt } } : stored;
    this.visitors.set(visitorToken, visitor);
    return visitor;
  }

  /** Another write changed the visitor (a form submission, an email click): read it again next time. */
  forget(visitorToken: string): void {
    this.visitors.delete(visitorToken);
  }

  /** `visitor` null: a first beacon, the visitor is created in the batch. */
  store(visitor: VisitorDoc | null, event: ActivityEvent, pageView: PageViewFields): Promise<StoredPageView> {
    const fresh: VisitorDoc = { _id: pageView.visitorToken, identity: { kind: 'anonymous' }, session: null, fbc: null, firstSeenAt: event.at, lastSeenAt: event.at, pageViews: 0 };
    return this.writes.add({ isNew: visitor === null, visitor: visitor ?? fresh, event, pageView });
  }

  /** Waits for the batches in flight, then writes the counters still pending (shutdown). */
  async close(): Promise<void> {
    await this.writes.flush();
    await this.rollup.flush();
  }

  private async writeBatch(items: Item[]): Promise<(StoredPageView | Error)[]> {
    const decided = await this.openSessions(items);
    const stored = decided.map((d) => ('plan' in d ? this.stored(d.plan) : d.direct));
    const rows = decided.flatMap((d, i) => {
      const outcome = stored[i]!;
      return outcome instanceof Error ? [] : [{ ...d.item.pageView, ...outcome }];
    });
    const duplicates = await insertRows(this.models.PageView, rows);
    let row = 0;
    for (const [i, d] of decided.entries()) {
      if (stored[i] instanceof Error) continue;
      // A duplicate is a retried beacon whose first copy is stored and counted already.
      if (duplicates.has(row++)) continue;
      if ('plan' in d) {
        this.visitors.set(d.item.visitor._id, d.plan.visitor, { noUpdateTTL: true });
        if (d.plan.session.kind === 'touch') this.rollup.add(d.item.visitor._id, d.plan.sessionId, d.item.event.at);
      } else if (d.visitor) this.visitors.set(d.item.visitor._id, d.visitor, { noUpdateTTL: true });
    }
    return stored;
  }

  /**
   * Writes the sessions this batch opens (new visitors inserted, existing ones updated guarded on
   * the session they had), so no page view names a session that is not stored. A guard that lost to
   * a concurrent write (a form submission, another API process) sends its page view the
   * one-at-a-time way, from the visitor as stored.
   */
  private async openSessions(items: Item[]): Promise<Decided[]> {
    const plans = items.map((item) => planSessionActivity(item.visitor, item.event, true));
    const lost = new Set<number>(plans.flatMap((plan, i) => (plan === null ? [i] : [])));
    const opening = items.flatMap((item, i) => (plans[i]?.session.kind === 'open' ? [i] : []));

    const updates = opening.filter((i) => !items[i]!.isNew);
    const matched = await Promise.all(updates.map((i) => this.models.Visitor.updateOne(plans[i]!.visitorFilter, plans[i]!.visitorUpdate)));
    updates.forEach((i, k) => {
      if (matched[k]!.matchedCount === 0) lost.add(i);
    });
    const created = opening.filter((i) => items[i]!.isNew);
    const taken = await insertRows(
      this.models.Visitor,
      created.map((i) => ({ ...plans[i]!.visitor, fbc: plans[i]!.visitor.fbc ?? null, lastSeenAt: items[i]!.event.at, pageViews: 1 })),
    );
    taken.forEach((k) => lost.add(created[k]!));
    await insertRows(
      this.models.WebSession,
      opening.flatMap((i) => (lost.has(i) ? [] : [(plans[i]!.session as { kind: 'open'; doc: object }).doc])),
    );
    return Promise.all(items.map(async (item, i) => (lost.has(i) ? { item, ...(await this.oneAtATime(item)) } : { item, plan: plans[i]! })));
  }

  /** The unbatched path, for a page view whose guarded write lost: its error stays its own. */
  private async oneAtATime(item: Item): Promise<{ direct: StoredPageView | Error; visitor?: VisitorDoc }> {
    try {
      const fresh = (await this.models.Visitor.findById(item.visitor._id).lean<VisitorDoc>()) ?? item.visitor;
      const { visitor, sessionId } = await recordSessionActivity(this.models, fresh, item.event);
      return { direct: { sessionId, contactId: pageViewOwner(identityOf(visitor)) }, visitor };
    } catch (error) {
      return { direct: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private stored(plan: SessionPlan): StoredPageView {
    return { sessionId: plan.sessionId, contactId: pageViewOwner(identityOf(plan.visitor)) };
  }
}
