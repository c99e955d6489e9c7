import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { registry as defaultRegistry } from './registry';

export interface MetricsAccess {
  /** Bearer token Prometheus must send; unset = open (development, or a port only Prometheus reaches). */
  token?: string | undefined;
}

function authorised(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Answers a scrape: 401 without the token when one is configured, else the exposition text. */
export async function answerScrape(authorization: string | undefined, access: MetricsAccess, registry: Registry = defaultRegistry): Promise<{ status: number; contentType: string; body: string }> {
  if (!authorised(authorization, access.token)) {
    return { status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthorized', message: 'A valid metrics token is required.', details: null } }) };
  }
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * The worker's own small HTTP server: `GET /metrics` only (the worker has no Express app). Port 0
 * picks a free port (tests); the caller decides whether to start it at all.
 */
export async function startMetricsServer(options: MetricsAccess & { port: number; host?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /metrics is served here.', details: null } }));
      return;
    }
    answerScrape(req.headers.authorization, options).then(
      (answer) => res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body),
      () => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'Metrics collection failed.', details: null } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
