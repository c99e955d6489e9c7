import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Models } from '../db/models';
import type { LandingCheck } from '../domain/tracking';

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

  async check(url: string, now = new Date()): Promise<LandingCheck> {
    const id = createHash('sha256').update(url).digest('hex');
    const cached = await this.models.LandingCheck.findById(id).lean();
    if (cached && now.getTime() - cached.checkedAt.getTime() < this.options.cacheTtlMs) {
      return { redirects: cached.redirects, ...(cached.location ? { location: cached.location } : {}) };
    }
    const probe = await this.probe(url);
    await this.models.LandingCheck.updateOne(
      { _id: id },
      { $set: { url, redirects: probe.redirects, status: probe.status, location: probe.location, error: probe.error, checkedAt: now } },
      { upsert: true },
    );
    return { redirects: probe.redirects, ...(probe.location ? { location: probe.location } : {}) };
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
