import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request once the upstream has answered it. */
export type ProxyFault = 'pass' | 'answer503' | 'drop';

export interface FaultProxy {
  url: string;
  /** Requests forwarded to the upstream, as "METHOD path?query" plus the body. */
  forwarded: { line: string; body: string }[];
  close(): Promise<void>;
}

/**
 * A real HTTP hop between a client and a sandbox that loses answers: the request reaches the
 * upstream (which acts on it), then the caller gets a 503 or a dropped connection instead of the
 * answer — the "the network consumed it, the response never arrived" fault.
 */
export async function startFaultProxy(upstream: () => string, decide: (line: string, body: string) => ProxyFault): Promise<FaultProxy> {
  const forwarded: FaultProxy['forwarded'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const line = `${req.method} ${req.url}`;
      forwarded.push({ line, body: body.toString('utf8') });
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      void fetch(`${upstream()}${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined })
        .then(async (answer) => {
          const text = await answer.text();
          const fault = decide(line, body.toString('utf8'));
          if (fault === 'drop') return void req.socket.destroy();
          if (fault === 'answer503') {
            res.writeHead(503, { 'content-type': 'application/json' });
            return void res.end(JSON.stringify({ error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true } }));
          }
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
