import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AnyBulkWriteOperation } from 'mongoose';
import { bulkWriteInChunks } from '../db/bulk';
import { findByIds } from '../db/by-ids';
import type { Models } from '../db/models';
import type { LandingCheckDoc } from '../db/models/landing-check';
import type { LandingCheck } from '../domain/tracking';

/** Landing URLs requested at once by one `checkMany`. */
const PROBES_IN_FLIGHT = 8;

/**
 * Proves a landing URL does not redirect (TRK-3/6/8): one GET that does not follow redirects, with a
 * short timeout, cached per URL. A redirect (incl. http→https) would drop the parameters we append.
 * A URL that cannot be reached is not called a redirect: we cannot prove anything, and blocking
 * tracking on a flaky site helps no one; the error is kept on the cached check.
 */
export class LandingChecker {
  constructor(
    private readonly models: Pick<Models, 'LandingCheck'>,
    private readonly options: { timeoutMs: number; cacheTtlMs: number },
  ) {}

  /**
   * Many URLs at once (a sweep page's): the cached checks read by `_id`, the stale or missing ones
   * probed a few at a time, and their results stored in one bulk write instead of an upsert per URL.
   */
  async checkMany(urls: readonly string[], now = new Date()): Promise<Map<string, LandingCheck>> {
    const idOf = new Map([...new Set(urls)].map((url) => [url, createHash('sha256').update(url).digest('hex')]));
    const cached = new Map((await findByIds(this.models.LandingCheck, [...idOf.values()])).map((doc) => [doc._id, doc]));
    const out = new Map<string, LandingCheck>();
    const stale: string[] = [];
    for (const [url, id] of idOf) {
      const doc = cached.get(id);
      if (doc && now.getTime() - doc.checkedAt.getTime() < this.options.cacheTtlMs) out.set(url, { redirects: doc.redirects, ...(doc.location ? { location: doc.location } : {}) });
      else stale.push(url);
    }
    const probed: { url: string; probe: Awaited<ReturnType<LandingChecker['probe']>> }[] = [];
    const queue = [...stale];
    await Promise.all(
      Array.from({ length: Math.min(PROBES_IN_FLIGHT, queue.length) }, async () => {
        for (let url = queue.shift(); url !== undefined; url = queue.shift()) probed.push({ url, probe: await this.probe(url) });
      }),
    );
    const ops: AnyBulkWriteOperation<LandingCheckDoc>[] = probed.map(({ url, probe }) => ({
      updateOne: {
        filter: { _id: idOf.get(url)! },
        update: { $set: { url, redirects: probe.redirects, status: probe.status, location: probe.location, error: probe.error, checkedAt: now } },
        upsert: true,
      },
    }));
    await bulkWriteInChunks(this.models.LandingCheck, ops, { ordered: false });
    for (const { url, probe } of probed) out.set(url, { redirects: probe.redirects, ...(probe.location ? { location: probe.location } : {}) });
    return out;
  }

  private probe(url: string): Promise<{ redirects: boolean; status: number | null; location: string | null; error: string | null }> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return resolve({ redirects: false, status: null, location: null, error: 'invalid URL' });
      }
      const transport = target.protocol === 'https:' ? https : http;
      const req = transport.get(target, { timeout: this.options.timeoutMs, headers: { 'user-agent': 'adtrack-landing-check/1.0' } }, (res) => {
        const status = res.statusCode ?? 0;
        const location = typeof res.headers.location === 'string' ? new URL(res.headers.location, target).toString() : null;
        res.destroy();
        resolve({ redirects: status >= 300 && status < 400 && location !== null, status, location, error: null });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve({ redirects: false, status: null, location: null, error: error.message }));
    });
  }
}
