import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../support/prometheus';
import { useStack } from '../support/stack';

const token = () => randomBytes(16).toString('hex');

/** A raw request, so the body can be sent chunked (no Content-Length) like a streaming client. */
function post(baseUrl: string, headers: Record<string, string>, chunks: string[]): Promise<{ status: number; body: { error?: { code: string; message: string; details: unknown } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/t/pageview`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as never }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const json = { 'content-type': 'application/json' };
const text = { 'content-type': 'text/plain;charset=UTF-8' };

/**
 * Issue 12 (P8): the page-view beacon's fast path (src/api/routes/page-view-beacon.ts) answers what
 * the general route answered — the same codes and envelope — and is counted under the same metrics.
 */
describe('page-view beacon fast path (VIS-1, issue 12)', () => {
  const stack = useStack();

  it('VIS-1 answers malformed beacons with the general route\'s 4xx and envelope', async () => {
    const valid = JSON.stringify({ visitorToken: token(), url: 'https://shop.example.com/' });
    const cases: [Record<string, string>, string[], number, string][] = [
      // Chunked, no Content-Length: refused once past 16 kB, however long the body goes on.
      [json, [valid.slice(0, -1), `,"title":"${'x'.repeat(10_000)}`, `${'x'.repeat(10_000)}"}`], 413, 'payload_too_large'],
      [text, ['{"visitorToken":'], 400, 'invalid_json'],
      // body-parser's strict JSON: a bare string is not a body.
      [json, ['"just a string"'], 400, 'invalid_json'],
      [json, [], 400, 'validation_failed'],
      [json, [JSON.stringify({ visitorToken: token(), url: 'https://shop.example.com/', extra: 1 })], 400, 'validation_failed'],
      [text, [JSON.stringify({ visitorToken: 'not-a-token', url: 'https://shop.example.com/' })], 400, 'validation_failed'],
      [json, [JSON.stringify({ visitorToken: token(), url: 'not a url' })], 400, 'validation_failed'],
      [json, ['{"visitorToken":"a\\u0000b","url":"x"}'], 400, 'invalid_character'],
    ];
    for (const [headers, chunks, status, code] of cases) {
      const res = await post(stack.api.url, headers, chunks);
      expect({ status: res.status, code: res.body.error?.code }, chunks.join('').slice(0, 60)).toEqual({ status, code });
      expect(Object.keys(res.body.error!).sort()).toEqual(['code', 'details', 'message']);
    }
  });

  it('VIS-1 a beacon taken by the fast path is stored and counted under the route\'s metric labels', async () => {
    const scrape = async () => parseExposition(await (await fetch(`${stack.api.url}/metrics`)).text()).samples;
    const before = await scrape();
    const visitorToken = token();
    const res = await post(stack.api.url, text, [JSON.stringify({ visitorToken, url: 'https://shop.example.com/p/1', pageViewId: 'beacon-fast-1' })]);
    expect(res).toEqual({ status: 202, body: { accepted: true } });
    expect(await stack.db.models.PageView.exists({ _id: `${visitorToken}:beacon-fast-1` })).toBeTruthy();
    const after = await scrape();
    const accepted = (samples: typeof before) => sampleValue(samples, 'adtrack_visitor_events_total', { kind: 'pageview', outcome: 'accepted' }) ?? 0;
    const timed = (samples: typeof before) =>
      sampleValue(samples, 'adtrack_http_request_duration_seconds_count', { method: 'POST', route: '/t/pageview', status: '202' }) ?? 0;
    expect(accepted(after) - accepted(before)).toBe(1);
    expect(timed(after) - timed(before)).toBe(1);
  });
});
