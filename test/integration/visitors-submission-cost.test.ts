import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverCrmActivities } from '../../src/conversions/crm-relay';
import { insertRows } from '../../src/db/bulk';
import { createLogger } from '../../src/logging';
import { submitForm } from '../../src/visitors/submissions';
import { explainQuery, readsOf } from '../support/explain';
import { useMonitoredDatabase } from '../support/monitored';
import { eventually, useStack } from '../support/stack';

const newToken = () => randomBytes(16).toString('hex');
const day = new Date('2026-01-01T00:00:00Z');
/** The campaigns the admin defined, read whole by design (ATT-4: every campaign may claim a touch); they do not grow with visitors. */
const READ_WHOLE = new Set(['campaigns', 'campaign_associations']);

/**
 * Issue 12 (P8, form submissions): a submission's database commands, and the reads they make, are
 * the same whatever the page views, sessions, contacts and submissions of OTHER visitors stored —
 * each read served by an index on the embedded database (FerretDB on PostgreSQL explains with
 * PostgreSQL's plan), none a collection scan. Counted on a monitored connection of its own.
 */
describe('VIS-2 a form submission costs the same with 1 and with thousands of other visitors (issue 12, P8)', () => {
  const stack = useStack({ env: () => ({ TRACKING_RATE_PER_MINUTE: '100000', TRACKING_RATE_BURST: '100000' }) });
  const monitored = useMonitoredDatabase(stack);
  const commands: Record<string, unknown>[] = [];

  beforeAll(() => {
    monitored.client.on('commandStarted', (event) => commands.push(event.command));
  });

  /** What other visitors leave behind: anonymous and identified page views, their sessions, contacts and submissions. */
  async function otherVisitors(from: number, to: number, formId: string): Promise<void> {
    const ids = Array.from({ length: to - from }, (_, i) => from + i);
    const contactOf = (i: number) => (i % 2 === 0 ? `other-contact-${i}` : null);
    await insertRows(stack.db.models.PageView, ids.flatMap((i) => Array.from({ length: 4 }, (_, k) => ({ _id: `other-${i}:pv${k}`, visitorToken: `other-${i}`, sessionId: `other-${i}:1`, contactId: contactOf(i), url: 'https://shop.example.com/p', at: day }))));
    await insertRows(stack.db.models.WebSession, ids.map((i) => ({ _id: `other-${i}:1`, visitorToken: `other-${i}`, contactId: contactOf(i), startedAt: day, lastActivityAt: day, reason: 'first_page_view', landingUrl: 'https://shop.example.com/p', referrer: null, trafficSource: 'direct_traffic', source: { utm: {}, hsa: {}, clickIds: {}, adClick: null }, adCampaignAssetKey: null, pageViews: 4 })));
    const identified = ids.filter((i) => contactOf(i) !== null);
    await insertRows(stack.db.models.Contact, identified.map((i) => ({ _id: contactOf(i)!, email: `other-${i}@example.com`, emails: [`other-${i}@example.com`], visitorTokens: [`other-${i}`] })));
    await insertRows(stack.db.models.ContactEmail, identified.map((i) => ({ _id: `other-${i}@example.com`, contactId: contactOf(i)!, createdAt: day })));
    await insertRows(stack.db.models.FormSubmission, identified.map((i) => ({ _id: `other-submission-${i}`, formId, contactId: contactOf(i)!, visitorToken: `other-${i}`, sessionId: `other-${i}:1`, email: `other-${i}@example.com`, fields: {}, pageUrl: null, userAgent: null, ip: null, fbc: null, fbp: null, at: day, rule: 'new_contact', explanation: 'x' })));
  }

  /** A new visitor's three page views through the API, then its submission and the delivery of its CRM activity: the commands they sent. */
  async function submission(formId: string): Promise<Record<string, unknown>[]> {
    const visitorToken = newToken();
    for (const n of [1, 2, 3]) {
      const res = await fetch(`${stack.api.url}/t/pageview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitorToken, url: `https://shop.example.com/p/${n}`, pageViewId: `page-view-${n}` }) });
      expect(res.status).toBe(202);
    }
    await eventually(async () => (await stack.db.models.WebSession.findOne({ visitorToken }).lean())?.pageViews === 3, { what: 'the page views rolled up' });
    commands.length = 0;
    const result = await submitForm(monitored.models, { formId, email: `${visitorToken}@example.com`, fields: { firstname: 'Ada' }, pageUrl: 'https://shop.example.com/contact', visitorToken, submissionId: visitorToken, userAgent: null, ip: null, at: new Date() });
    await deliverCrmActivities({ models: monitored.models, temporal: stack.client, taskQueue: stack.taskQueue, logger: createLogger({ level: 'silent' }) }, { ids: result.activityIds });
    // The visitor's own page views now belong to the new contact.
    expect(await stack.db.models.PageView.countDocuments({ visitorToken, contactId: result.contactId })).toBe(3);
    return commands.splice(0).filter((c) => !('hello' in c || 'ismaster' in c || 'endSessions' in c));
  }

  it('counts the commands of a submission with 1 and with 3,000 other visitors: the same, each read through an index', async () => {
    const form = (await stack.request('POST', '/api/forms', { name: 'Cost' })).body as { id: string };
    await otherVisitors(0, 1, form.id);
    await submission(form.id); // warm-up: the collections and their indexes exist
    const withOne = await submission(form.id);
    await otherVisitors(1, 3_000, form.id);
    const withMany = await submission(form.id);

    const shape = (list: Record<string, unknown>[]) => list.map((c) => `${Object.keys(c)[0]} ${String(Object.values(c)[0])}`).sort();
    expect(shape(withMany)).toEqual(shape(withOne));

    const reads = withMany.flatMap(readsOf).filter((read) => !('find' in read && READ_WHOLE.has(read.find)));
    expect(reads.length).toBeGreaterThan(0);
    const scans: string[] = [];
    for (const read of reads) {
      const plan = await explainQuery(stack.db.connection, read);
      if (plan.kind === 'unknown') continue; // FerretDB on SQLite explains no plan
      if (!plan.usesIndex || plan.scansCollection) scans.push(`${JSON.stringify(read)} → ${plan.nodes.join(' / ')}`);
    }
    expect(scans).toEqual([]);
  }, 240_000);
});
