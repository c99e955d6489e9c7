import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountActivities } from '../../activities/accounts';
import { createTrackingActivities, type SweepPageInput, type SweepPageResult } from '../../activities/tracking';
import type { Models } from '../../src/db/models';
import { insertRows } from '../../src/db/bulk';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { explainQuery, readsOf, type ExplainableCommand } from '../support/explain';
import { useSandboxes } from '../support/sandboxes';
import { useMonitoredDatabase } from '../support/monitored';
import { useStack } from '../support/stack';
import { seedAndConnect, waitForSweeps } from '../support/tracking-helpers';

/**
 * Issue 12: no query in a hot path that the database cannot serve from an index, and a sweep costs
 * the same number of database operations, each served by an index, however many other accounts the
 * database holds (acceptance 4). Against the embedded database of the run (FerretDB on PostgreSQL,
 * whose `explain` returns PostgreSQL's plan) or MongoDB when MONGODB_URI points at one.
 */

const SEEDED = 1_500;
const day = new Date('2026-01-01T00:00:00Z');

/** Stand-ins for what other accounts and visitors leave in the collections the hot paths read. */
function seedDocs(collection: string, i: number): Record<string, unknown> {
  const accountKey = `facebook:act_other_${i % 500}`;
  switch (collection) {
    case 'ads':
      return { _id: `facebook:other_${i}`, accountKey, trackingStatus: ['tracked', 'pending', 'error', 'excluded'][i % 4], nextRetryAt: i % 4 === 2 ? day : null };
    case 'leads':
      return { _id: `facebook:lead_${i}`, accountKey, formId: `form_${i % 50}` };
    case 'lead_notifications':
      return { _id: `facebook:note_${i}`, accountKey, resolvedAt: i % 2 ? day : null, receivedAt: day };
    case 'page_views':
      return { _id: `pv_${i}`, visitorToken: `visitor_${i % 700}`, contactId: null, sessionId: `s_${i}`, at: day };
    case 'web_sessions':
      return { _id: `s_${i}`, visitorToken: `visitor_${i % 700}`, contactId: null, startedAt: day };
    case 'conversion_outbox':
    case 'conversion_ledger':
      return { _id: `evt_${i}`, definitionId: `def_${i % 30}`, entry: 'event', status: 'pending', reason: { code: 'x' } };
    default:
      return { _id: `${collection}_${i}`, accountKey, session: null };
  }
}

interface HotQuery {
  path: string;
  model: keyof Models;
  query: { filter: Record<string, unknown>; sort?: Record<string, unknown> };
}

/** The hot paths' reads (the filters their finds, counts, updates and deletes carry). */
const HOT_QUERIES: HotQuery[] = [
  { path: 'sweep: stored ad by _id (activities/tracking.ts)', model: 'Ad', query: { filter: { _id: 'facebook:other_7' } } },
  { path: 'sweep: write journal by _id (activities/tracking-journal.ts)', model: 'AdWriteJournal', query: { filter: { _id: 'ad_write_journal_7' } } },
  { path: 'sweep: account by _id (activities/accounts.ts loadAccount)', model: 'AdAccount', query: { filter: { _id: 'ad_accounts_7' } } },
  { path: 'sweep bookkeeping: ads per status (recordSweep)', model: 'Ad', query: { filter: { accountKey: 'facebook:act_other_7', trackingStatus: 'tracked' } } },
  { path: 'sweep bookkeeping: next retry due (recordSweep)', model: 'Ad', query: { filter: { accountKey: 'facebook:act_other_7', trackingStatus: 'error', nextRetryAt: { $ne: null } }, sort: { nextRetryAt: 1 } } },
  { path: 'page view: by _id (src/visitors/page-views.ts)', model: 'PageView', query: { filter: { _id: 'pv_7' } } },
  { path: 'page view: visitor session guard (src/visitors/sessions.ts)', model: 'Visitor', query: { filter: { _id: 'visitors_7', session: null } } },
  { path: 'submission: first session of a visitor (src/visitors/submissions.ts)', model: 'WebSession', query: { filter: { visitorToken: 'visitor_7' }, sort: { startedAt: 1 } } },
  { path: 'submission: page views to attach (src/visitors/submissions.ts)', model: 'PageView', query: { filter: { visitorToken: 'visitor_7', contactId: null } } },
  { path: 'leads: stored per form (activities/leads.ts)', model: 'Lead', query: { filter: { accountKey: 'facebook:act_other_7', formId: 'form_7' } } },
  { path: 'leads: unresolved notifications (activities/leads.ts)', model: 'LeadNotification', query: { filter: { accountKey: 'facebook:act_other_7', resolvedAt: null, receivedAt: { $lt: new Date() } } } },
  { path: 'conversions: outbox journals (src/conversions/ledger.ts)', model: 'ConversionOutbox', query: { filter: { definitionId: 'def_7', entry: 'journal' } } },
  { path: 'conversions: pending outbox rows (src/conversions/ledger.ts)', model: 'ConversionOutbox', query: { filter: { definitionId: 'def_7', status: 'pending' } } },
  { path: 'conversions: ledger example per reason (src/conversions/ledger.ts)', model: 'ConversionLedger', query: { filter: { definitionId: 'def_7', status: 'failed', 'reason.code': 'x' } } },
];

/** MongoDB needs an index whose first key the filter fixes by equality (or `_id`). */
function leadingEqualityKeys(filter: Record<string, unknown>): string[] {
  return Object.entries(filter)
    .filter(([, value]) => value === null || typeof value !== 'object' || value instanceof Date)
    .map(([key]) => key);
}

describe('Hot-path queries are served by an index (issue 12)', () => {
  const stack = useStack();

  beforeAll(async () => {
    const collections = [...new Set(HOT_QUERIES.map((q) => stack.db.models[q.model]))];
    for (const model of collections) await insertRows(model, Array.from({ length: SEEDED }, (_, i) => seedDocs(model.collection.collectionName, i)));
  }, 180_000);

  it.each(HOT_QUERIES)('$path: an index declared on the model, and the database reads through it', async ({ model, query }) => {
    const declared = stack.db.models[model].schema.indexes().map(([keys]) => Object.keys(keys)[0]);
    const equality = leadingEqualityKeys(query.filter);
    expect(equality.includes('_id') || equality.some((key) => declared.includes(key)), `declared leading keys ${declared.join(', ')}`).toBe(true);

    const plan = await explainQuery(stack.db.connection, { find: stack.db.models[model].collection.collectionName, ...query });
    if (plan.kind === 'unknown') return; // FerretDB on SQLite explains no plan (ADTRACK_EMBEDDED_DB=sqlite)
    expect(plan, JSON.stringify(plan.nodes)).toMatchObject({ usesIndex: true, scansCollection: false });
  });
});

describe("A sweep's database cost does not grow with other accounts' ads (issue 12 acceptance 4)", () => {
  const sandboxes = useSandboxes();
  // Slow periodic sweeps: the account's own workflow stays out of the way of the measured sweeps.
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '3600' }) });
  const monitored = useMonitoredDatabase(stack);
  const commands: Record<string, unknown>[] = [];

  beforeAll(() => {
    monitored.client.on('commandStarted', (event) => commands.push(event.command));
  });

  it('counts the commands of a sweep (page + bookkeeping) with 1 and with 1,000 other accounts: equal, each read through an index', async () => {
    const { account } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 5450, accounts: 1, adsPerAccount: 40 });
    await waitForSweeps(stack, account.id, 1, 90_000);
    const deps = createActivityDeps(stack.config, { ...stack.db, connection: monitored.connection, models: monitored.models });
    const tracking = createTrackingActivities(deps);
    const bookkeeping = createAccountActivities(deps);
    const sweep = async (run: string) => {
      commands.length = 0;
      let cursor: string | undefined;
      do {
        const page: SweepPageResult = await new MockActivityEnvironment().run((input: SweepPageInput) => tracking.sweepAdsPage(input), { accountKey: account.id, run, isFirstSweep: false, ...(cursor ? { cursor } : {}) });
        cursor = page.nextCursor;
      } while (cursor);
      await bookkeeping.recordSweep({ accountKey: account.id, at: new Date().toISOString(), firstSweep: false });
      return commands.splice(0).filter((c) => !('hello' in c || 'ismaster' in c || 'endSessions' in c));
    };
    const otherAccounts = async (from: number, to: number) => {
      const docs = Array.from({ length: (to - from) * 5 }, (_, i) => seedDocs('ads', from * 5 + i));
      for (const doc of docs) doc.accountKey = `facebook:act_other_${Math.floor(Number(String(doc._id).split('_').pop()) / 5)}`;
      await insertRows(stack.db.models.Ad, docs);
    };

    await sweep('warm-up'); // the landing-check cache fills once
    await otherAccounts(0, 1);
    const withOne = await sweep('one-other');
    await otherAccounts(1, 1_000);
    expect(await stack.db.models.Ad.estimatedDocumentCount()).toBeGreaterThanOrEqual(5_000);
    const withThousand = await sweep('thousand-others');

    const shape = (list: Record<string, unknown>[]) => list.map((c) => `${Object.keys(c)[0]} ${String(Object.values(c)[0])}`).sort();
    expect(shape(withThousand)).toEqual(shape(withOne));
    expect(withOne.length).toBeGreaterThan(0);

    const reads = withThousand.flatMap(readsOf);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      const plan = await explainQuery(stack.db.connection, read);
      if (plan.kind === 'unknown') continue; // FerretDB on SQLite explains no plan
      expect(plan, describeRead(read)).toMatchObject({ usesIndex: true, scansCollection: false });
    }
  }, 240_000);
});

function describeRead(read: ExplainableCommand): string {
  return JSON.stringify(read);
}
