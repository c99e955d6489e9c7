import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startApi } from '../support/api-instance';
import { eventually, useStack } from '../support/stack';

const newToken = () => randomBytes(16).toString('hex');

async function pageView(baseUrl: string, visitorToken: string, pageViewId: string): Promise<number> {
  const res = await fetch(`${baseUrl}/t/pageview`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ visitorToken, url: `https://shop.example.com/p/${pageViewId}`, title: 'Burst', pageViewId }),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Issue 12 (P8): page views are written in groups, and a 202 still means stored. A concurrent burst
 * with retried beacons is stored exactly once per page view; page views answered while the server
 * shuts down are stored when the answer arrives.
 */
describe('page-view group commit (VIS-1, issue 12)', () => {
  const stack = useStack({ env: () => ({ TRACKING_RATE_PER_MINUTE: '100000', TRACKING_RATE_BURST: '100000' }) });

  it('VIS-1 a burst of 240 concurrent page views from 12 visitors, 40 of them retried, is stored once each and counted once per visitor', async () => {
    const visitors = Array.from({ length: 12 }, newToken);
    const views = Array.from({ length: 240 }, (_, i) => ({ visitor: visitors[i % visitors.length]!, id: `burst-${i}-${randomBytes(4).toString('hex')}` }));
    const retried = views.filter((_, i) => i % 6 === 0);
    const statuses = await Promise.all([...views, ...retried].map((v) => pageView(stack.api.url, v.visitor, v.id)));
    expect(statuses.filter((s) => s !== 202)).toEqual([]);

    const stored = await stack.db.models.PageView.find({ visitorToken: { $in: visitors } }, { _id: 1 }).lean();
    expect(stored).toHaveLength(views.length);
    expect(new Set(stored.map((d) => d._id))).toEqual(new Set(views.map((v) => `${v.visitor}:${v.id}`)));
    // The counters are rolled up after the 202s: each visitor's 20 views, once, in the visitor and its session.
    // A flush writes the visitors' counters, then the sessions': wait for both.
    await eventually(async () => {
      const counted = await stack.db.models.Visitor.find({ _id: { $in: visitors } }, { pageViews: 1 }).lean();
      const sessions = await stack.db.models.WebSession.find({ visitorToken: { $in: visitors } }, { pageViews: 1 }).lean();
      const each = views.length / visitors.length;
      return counted.length === visitors.length && counted.every((v) => v.pageViews === each) && sessions.length === visitors.length && sessions.every((s) => s.pageViews === each);
    }, { what: 'visitor and session counters' });
  });

  it('VIS-1 page views answered 202 while the API shuts down are stored by the time of the answer', async () => {
    const api = await startApi(stack);
    const visitor = newToken();
    const views = Array.from({ length: 60 }, (_, i) => `shutdown-${i}-${randomBytes(4).toString('hex')}`);
    let closing: Promise<void> | undefined;
    const statuses = await Promise.all(
      views.map(async (id) => {
        const status = await pageView(api.url, visitor, id).catch(() => 0);
        // The first answer starts the shutdown while the rest are in flight.
        closing ??= api.close();
        return { id, status };
      }),
    );
    await closing;
    const accepted = statuses.filter((s) => s.status === 202).map((s) => `${visitor}:${s.id}`);
    expect(accepted.length).toBeGreaterThan(0);
    const stored = await stack.db.models.PageView.find({ _id: { $in: accepted } }, { _id: 1 }).lean();
    expect(stored).toHaveLength(accepted.length);
  });
});
