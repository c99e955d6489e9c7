import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, drainApp } from '../../src/api/app';
import { connectDatabase, type Database } from '../../src/db/connection';
import type { VisitorDoc } from '../../src/db/models/visitor';
import { createLogger } from '../../src/logging';
import { listen } from '../../src/sandboxes/kit/sandbox-app';
import { EncryptionCodec } from '../../src/temporal/codec';
import { planSessionActivity } from '../../src/visitors/sessions';
import { eventually, useStack, type TestStack } from '../support/stack';

const SITE = 'https://shop.example.com';
const newToken = () => randomBytes(16).toString('hex');

async function pageView(baseUrl: string, visitorToken: string, pageViewId: string, url: string): Promise<number> {
  const res = await fetch(`${baseUrl}/t/pageview`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorToken, url, title: 'Rollup', pageViewId }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** An API of its own on `db`, shut down the way the API process does (server closed, then drained). */
async function ownApi(stack: TestStack, db: Database) {
  const app = createApp({
    config: stack.config,
    logger: createLogger({ level: 'silent' }),
    db,
    temporal: stack.client,
    codec: await EncryptionCodec.create(stack.config.ENCRYPTION_KEYS),
    temporalReady: async () => true,
  });
  const server = await listen(app);
  return { url: server.url, close: async () => (await server.close(), await drainApp(app)) };
}

interface Expected {
  visitor: { pageViews: number; lastSeenAt: number; sessionId: string; lastActivityAt: number };
  sessions: Map<string, { pageViews: number; lastActivityAt: number }>;
  sessionOf: Map<string, string>;
}

/** What per-view updates give: the session rules applied to each stored page view in the order it was sent. */
function replay(token: string, views: readonly { _id: string; url: string; at: Date }[]): Expected {
  let visitor: VisitorDoc = { _id: token, identity: { kind: 'anonymous' }, session: null, firstSeenAt: views[0]!.at, lastSeenAt: views[0]!.at, pageViews: 0 };
  const sessions = new Map<string, { pageViews: number; lastActivityAt: number }>();
  const sessionOf = new Map<string, string>();
  for (const view of views) {
    const plan = planSessionActivity(visitor, { at: view.at, rawUrl: view.url, url: view.url, referrer: null, pageView: true }, false)!;
    visitor = { ...plan.visitor, pageViews: visitor.pageViews + 1, lastSeenAt: view.at };
    const at = plan.session.kind === 'open' ? plan.session.doc.lastActivityAt : plan.session.update.$set.lastActivityAt;
    sessions.set(plan.sessionId, { pageViews: (sessions.get(plan.sessionId)?.pageViews ?? 0) + 1, lastActivityAt: at.getTime() });
    sessionOf.set(view._id, plan.sessionId);
  }
  return {
    visitor: { pageViews: visitor.pageViews, lastSeenAt: visitor.lastSeenAt.getTime(), sessionId: visitor.session!.id, lastActivityAt: visitor.session!.lastActivityAt.getTime() },
    sessions,
    sessionOf,
  };
}

/**
 * Issue 12 (P8): a page view is one row in a batched insert; the visitor's and session's counters
 * are rolled up after the 202 instead of two guarded updates per view. The state they leave is the
 * state per-view updates gave, and the database work per page view is a fraction of a command.
 */
describe('page views appended, sessions rolled up (VIS-1, issue 12)', () => {
  const stack = useStack({ env: () => ({ TRACKING_RATE_PER_MINUTE: '100000', TRACKING_RATE_BURST: '100000' }) });
  let monitored: Database;
  const commands: { name: string; collection: unknown }[] = [];
  /** Page-view inserts under way at once, and the most seen. */
  const inserts = { running: new Set<number>(), most: 0 };

  beforeAll(async () => {
    monitored = await connectDatabase(stack.config.MONGODB_URI, { dbName: stack.db.connection.name, monitorCommands: true });
    const client = monitored.connection.getClient();
    client.on('commandStarted', (event) => {
      const collection = (event.command as Record<string, unknown>)[event.commandName];
      commands.push({ name: event.commandName, collection });
      if (event.commandName === 'insert' && collection === 'page_views') {
        inserts.running.add(event.requestId);
        inserts.most = Math.max(inserts.most, inserts.running.size);
      }
    });
    const ended = (event: { requestId: number }) => inserts.running.delete(event.requestId);
    client.on('commandSucceeded', ended);
    client.on('commandFailed', ended);
  });
  afterAll(async () => {
    await monitored?.close();
  });

  it('VIS-1 visitors, sessions and page views after concurrent visitors (ad clicks opening sessions) equal what per-view updates give', async () => {
    const api = await ownApi(stack, stack.db);
    const visitors = Array.from({ length: 6 }, newToken);
    // Per visitor in order; visitors at once. Every third view is a new Google ad click: a new session.
    const sent = new Map(visitors.map((token) => [token, Array.from({ length: 9 }, (_, i) => ({ id: `v${i}-${randomBytes(4).toString('hex')}`, url: i % 3 === 2 ? `${SITE}/p/${i}?gclid=click-${token.slice(0, 6)}-${i}` : `${SITE}/p/${i}` }))]));
    const statuses = await Promise.all(
      visitors.map(async (token) => {
        const answers: number[] = [];
        for (const view of sent.get(token)!) answers.push(await pageView(api.url, token, view.id, view.url));
        return answers;
      }),
    );
    expect(statuses.flat().filter((s) => s !== 202)).toEqual([]);

    for (const token of visitors) {
      const stored = await stack.db.models.PageView.find({ visitorToken: token }).lean();
      const byId = new Map(stored.map((v) => [v._id, v]));
      const views = sent.get(token)!.map((v) => byId.get(`${token}:${v.id}`)!);
      expect(views.every(Boolean)).toBe(true);
      const expected = replay(token, views);
      expect(new Map(views.map((v) => [v._id, v.sessionId]))).toEqual(expected.sessionOf);
      await eventually(
        async () => {
          const visitor = await stack.db.models.Visitor.findById(token).lean<VisitorDoc>();
          const sessions = await stack.db.models.WebSession.find({ visitorToken: token }).lean();
          const actual = {
            visitor: { pageViews: visitor?.pageViews, lastSeenAt: visitor?.lastSeenAt.getTime(), sessionId: visitor?.session?.id, lastActivityAt: visitor?.session?.lastActivityAt.getTime() },
            sessions: new Map(sessions.map((s) => [s._id, { pageViews: s.pageViews, lastActivityAt: s.lastActivityAt.getTime() }])),
          };
          expect(actual).toEqual({ visitor: expected.visitor, sessions: expected.sessions });
          return true;
        },
        { what: `visitor ${token.slice(0, 6)}'s counters` },
      );
    }
    await api.close();
  });

  it('VIS-1 a burst of 200 page views from 20 known visitors reads no page view and no visitor per view, and writes the counters per flush, not per view', async () => {
    const api = await ownApi(stack, monitored);
    const visitors = Array.from({ length: 20 }, newToken);
    // Known visitors with an open session: the steady state of a busy site.
    expect(await Promise.all(visitors.map((token) => pageView(api.url, token, `warm-${randomBytes(4).toString('hex')}`, `${SITE}/`)))).toEqual(visitors.map(() => 202));
    commands.length = 0;
    const views = Array.from({ length: 200 }, (_, i) => ({ token: visitors[i % visitors.length]!, id: `burst-${i}-${randomBytes(4).toString('hex')}` }));
    const statuses = await Promise.all(views.map((v) => pageView(api.url, v.token, v.id, `${SITE}/p/${v.id}`)));
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    await api.close();

    const count = (name: string, collection: string) => commands.filter((c) => c.name === name && c.collection === collection).length;
    // A visitor is read at most once (the cache's trust may run out mid-burst on a busy machine), a page view never.
    expect(count('find', 'visitors')).toBeLessThanOrEqual(visitors.length);
    expect(count('find', 'page_views')).toBe(0);
    // One page-view insert at a time, so the views that arrive meanwhile share the next one: 4 batches
    // in flight made ~1 insert per view of this burst, each a FerretDB command and a PostgreSQL transaction.
    expect(inserts.most).toBe(1);
    expect(count('insert', 'page_views')).toBeLessThan(views.length);
    // The counters are written per flush, not per view (per-view writes made an update per batch).
    expect(count('update', 'visitors')).toBeLessThan(views.length / 10);
    expect(count('update', 'web_sessions')).toBeLessThan(views.length / 10);
    const stored = await stack.db.models.PageView.countDocuments({ visitorToken: { $in: visitors }, _id: { $regex: ':burst-' } });
    expect(stored).toBe(views.length);
    // Shut down with its counters drained: all counted without waiting.
    const counted = await stack.db.models.Visitor.find({ _id: { $in: visitors } }, { pageViews: 1 }).lean();
    expect(counted.map((v) => v.pageViews)).toEqual(visitors.map(() => 1 + views.length / visitors.length));
  });
});
