/**
 * Page views of one API process written in groups (issue 12, P8). On the embedded FerretDB every
 * write command costs a SQLite transaction and concurrent ones contend for its single writer, so
 * twenty concurrent beacons each making three writes ran at a thirtieth of a bare route. Here the
 * beacons that arrive while a batch is being written go together in the next one: one `update` of
 * the visitors, one of their sessions, one insert of the page views per batch. A request is
 * answered only once its batch is written, so a 202 is never lost, and shutdown needs no flush (the
 * server closes only after the requests it answers).
 */
import type { Models } from '../db/models';
import type { PageViewDoc } from '../db/models/page-view';
import type { VisitorDoc } from '../db/models/visitor';
import { bulkWriteInChunks, insertRows } from '../db/bulk';
import { GroupCommit } from '../db/group-commit';
import { pageViewOwner } from '../domain/contacts';
import { identityOf, planSessionActivity, recordSessionActivity, type ActivityEvent, type SessionPlan } from './sessions';

type StoreModels = Pick<Models, 'Visitor' | 'WebSession' | 'PageView' | 'Contact' | 'ContactLock'>;

/** A page view to store: everything but what its session decides. */
export type PageViewFields = Omit<PageViewDoc, 'sessionId' | 'contactId'>;

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

export class PageViewStore {
  private readonly writes: GroupCommit<Item, StoredPageView>;
  /** Per visitor, the tail of its page views in this process: one write per visitor per batch. */
  private readonly visitorTails = new Map<string, Promise<unknown>>();

  constructor(private readonly models: StoreModels) {
    this.writes = new GroupCommit((items) => this.writeBatch(items));
  }

  /**
   * Runs `work` after the visitor's earlier page views in this process, so it reads the visitor as
   * they left it; other visitors' page views go on meanwhile.
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

  /** `visitor` null: a first beacon, the visitor is created in the batch. */
  store(visitor: VisitorDoc | null, event: ActivityEvent, pageView: PageViewFields): Promise<StoredPageView> {
    const fresh: VisitorDoc = { _id: pageView.visitorToken, identity: { kind: 'anonymous' }, session: null, fbc: null, firstSeenAt: event.at, lastSeenAt: event.at, pageViews: 0, lastPageViewId: null };
    return this.writes.add({ isNew: visitor === null, visitor: visitor ?? fresh, event, pageView });
  }

  private async writeBatch(items: Item[]): Promise<(StoredPageView | Error)[]> {
    const plans = items.map((item) => planSessionActivity(item.visitor, item.event, true));
    const planned = items.flatMap((item, i) => (plans[i] ? [{ item, plan: plans[i] }] : []));
    const existing = planned.filter(({ item }) => !item.isNew);
    const ops = existing.map(({ item, plan }) => ({
      updateOne: { filter: plan.visitorFilter, update: { ...plan.visitorUpdate, $set: { ...plan.visitorUpdate.$set, lastPageViewId: item.pageView._id } } },
    }));
    const { matchedCount } = await bulkWriteInChunks(this.models.Visitor, ops, { ordered: false });
    // A guard lost to a concurrent write (a form submission, another API process): the visitor's
    // marker says which page views went through; the others take the one-at-a-time path.
    const through = matchedCount === ops.length ? new Set(existing.map(({ item }) => item.pageView._id)) : await this.wentThrough(existing.map(({ item }) => item));
    // First beacons insert their visitor; one created meanwhile elsewhere is a duplicate, retried alone.
    const created = planned.filter(({ item }) => item.isNew);
    const taken = await insertRows(
      this.models.Visitor,
      created.map(({ item, plan }) => ({ ...plan.visitor, fbc: plan.visitor.fbc ?? null, lastSeenAt: item.event.at, pageViews: item.event.pageView ? 1 : 0, lastPageViewId: item.pageView._id })),
    );
    created.forEach(({ item }, i) => {
      if (!taken.has(i)) through.add(item.pageView._id);
    });
    const written = planned.filter(({ item }) => through.has(item.pageView._id));

    const touches = written.flatMap(({ plan }) => (plan.session.kind === 'touch' ? [{ updateOne: { filter: { _id: plan.sessionId }, update: plan.session.update } }] : []));
    const opened = written.flatMap(({ plan }) => (plan.session.kind === 'open' ? [plan.session.doc] : []));
    await bulkWriteInChunks(this.models.WebSession, touches, { ordered: false });
    await insertRows(this.models.WebSession, opened);

    const outcome = new Map<string, StoredPageView | Error>();
    for (const { item, plan } of written) outcome.set(item.pageView._id, this.stored(plan));
    for (const item of items) {
      if (!outcome.has(item.pageView._id)) outcome.set(item.pageView._id, await this.oneAtATime(item));
    }
    // A page view stored already (the same beacon racing itself) is a duplicate: stored, as wanted.
    await insertRows(
      this.models.PageView,
      items.flatMap((item) => {
        const stored = outcome.get(item.pageView._id)!;
        return stored instanceof Error ? [] : [{ ...item.pageView, ...stored }];
      }),
    );
    return items.map((item) => outcome.get(item.pageView._id)!);
  }

  /** The unbatched path, for a page view whose guarded write lost: its error stays its own. */
  private async oneAtATime(item: Item): Promise<StoredPageView | Error> {
    try {
      const fresh = (await this.models.Visitor.findById(item.visitor._id).lean<VisitorDoc>()) ?? item.visitor;
      const { visitor, sessionId } = await recordSessionActivity(this.models, fresh, item.event);
      return { sessionId, contactId: pageViewOwner(identityOf(visitor)) };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private stored(plan: SessionPlan): StoredPageView {
    return { sessionId: plan.sessionId, contactId: pageViewOwner(identityOf(plan.visitor)) };
  }

  private async wentThrough(items: Item[]): Promise<Set<string>> {
    const visitors = await Promise.all(items.map((item) => this.models.Visitor.findById(item.visitor._id, { lastPageViewId: 1 }).lean<Pick<VisitorDoc, 'lastPageViewId'>>()));
    return new Set(items.filter((item, i) => visitors[i]?.lastPageViewId === item.pageView._id).map((item) => item.pageView._id));
  }
}
