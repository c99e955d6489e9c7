import { afterAll, describe, expect, it } from 'vitest';
import type { CommandSucceededEvent } from 'mongodb';
import { connectDatabase, type Database } from '../../src/db/connection';
import type { RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { startApi } from '../support/api-instance';
import { useStack } from '../support/stack';

const ACCOUNT = 'facebook:act_5500';
const ADS = 40;
const DAYS = 60;
const CONTACTS = 300;
const dayOf = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 12 (reports from the database): `GET /api/reports/ads` sums metrics and counts attributed
 * contacts in the database. Over many rows the answer equals the plain sum, and the documents the
 * route receives over the wire are one per ad, not one per metric day or per contact.
 */
describe('reports aggregate in the database (REP-1, REP-2, issue 12)', () => {
  const stack = useStack();
  let monitored: Database | undefined;
  let api: RunningServer | undefined;
  afterAll(async () => {
    await api?.close();
    await monitored?.close();
  });

  it('REP-1 report over 2,400 metric days and 300 contacts equals the straightforward sums, read through $group', async () => {
    const now = new Date();
    const { models } = stack.db;
    await models.AdAccount.create({ _id: ACCOUNT, network: 'facebook', externalId: 'act_5500', connectedAt: now, currency: 'EUR' });
    await models.Ad.insertMany(
      Array.from({ length: ADS }, (_, i) => ({
        _id: `facebook:55${i}`, accountKey: ACCOUNT, network: 'facebook', adId: `55${i}`, name: `ad ${i}`, status: 'ACTIVE',
        trackingStatus: 'tracked', firstSeenAt: now, lastCheckedAt: now,
      })),
    );
    const metricDocs = [];
    for (let ad = 0; ad < ADS; ad += 1) {
      for (let d = 0; d < DAYS; d += 1) {
        metricDocs.push({
          _id: `facebook:55${ad}:${dayOf(d)}`, accountKey: ACCOUNT, adKey: `facebook:55${ad}`, date: dayOf(d),
          impressions: 100 + ad + d, clicks: (ad * d) % 7, spend: Math.round((ad + 1) * (d + 1) * 1.37) / 100, conversions: d % 3, syncedAt: now,
        });
      }
    }
    // Another account's rows must not count.
    metricDocs.push({ _id: 'facebook:other:2026-01-05', accountKey: 'facebook:act_other', adKey: 'facebook:550', date: dayOf(4), impressions: 1e6, clicks: 1, spend: 1, conversions: 1, syncedAt: now });
    await models.AdMetric.insertMany(metricDocs);
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
      _id: `c5500-${i}`,
      attribution: { attributed: true, reason: 'ATTRIBUTED', ad: { accountKey: ACCOUNT, adKey: `facebook:55${i % ADS}`, adId: `55${i % ADS}`, clickAt: new Date(Date.UTC(2026, 0, 1 + (i % DAYS), 12)) } },
    }));
    await models.Contact.collection.insertMany(contacts as never[]);

    const from = dayOf(10);
    const to = dayOf(39);
    const expected = new Map<string, { impressions: number; clicks: number; spend: number; networkConversions: number; attributedContacts: number }>();
    for (let ad = 0; ad < ADS; ad += 1) expected.set(`55${ad}`, { impressions: 0, clicks: 0, spend: 0, networkConversions: 0, attributedContacts: 0 });
    for (const m of metricDocs) {
      if (m.accountKey !== ACCOUNT || m.date < from || m.date > to) continue;
      const row = expected.get(m.adKey.slice('facebook:'.length))!;
      row.impressions += m.impressions;
      row.clicks += m.clicks;
      row.spend += m.spend;
      row.networkConversions += m.conversions;
    }
    for (const c of contacts) {
      const day = c.attribution.ad.clickAt.toISOString().slice(0, 10);
      if (day >= from && day <= to) expected.get(c.attribution.ad.adId)!.attributedContacts += 1;
    }

    monitored = await connectDatabase(stack.config.MONGODB_URI, { dbName: stack.db.connection.name, monitorCommands: true });
    const received: { command: string; docs: number }[] = [];
    monitored.connection.getClient().on('commandSucceeded', (event: CommandSucceededEvent) => {
      const cursor = (event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
      received.push({ command: event.commandName, docs: (cursor?.firstBatch ?? cursor?.nextBatch ?? []).length });
    });
    api = await startApi(stack, { db: monitored });
    const res = await fetch(`${api.url}/api/reports/ads?accountId=${encodeURIComponent(ACCOUNT)}&from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { adId: string; impressions: number; clicks: number; spend: number; networkConversions: number; attributedContacts: number }[]; totals: Record<string, number> };

    expect(body.rows).toHaveLength(ADS);
    for (const row of body.rows) {
      const want = expected.get(row.adId)!;
      expect({ ...row, spend: Math.round(row.spend * 100) }).toMatchObject({ ...want, spend: Math.round(want.spend * 100) });
    }
    const sum = (pick: (r: { impressions: number; attributedContacts: number }) => number) => [...expected.values()].reduce((t, r) => t + pick(r), 0);
    expect(body.totals.impressions).toBe(sum((r) => r.impressions));
    expect(body.totals.attributedContacts).toBe(sum((r) => r.attributedContacts));

    // A handful of documents per ad (the ad, one group per measure, its contact group) crossed the wire, not 2,400 days + 300 contacts.
    const aggregates = received.filter((r) => r.command === 'aggregate');
    expect(aggregates.length).toBeGreaterThanOrEqual(2);
    const docsReceived = received.reduce((total, r) => total + r.docs, 0);
    expect(docsReceived).toBeLessThanOrEqual(1 + ADS * 6);
  });
});
