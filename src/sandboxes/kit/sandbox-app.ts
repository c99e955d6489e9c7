import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FaultKind } from './faults';
import { RequestLog } from './request-log';

/** How one network renders the faults the kit injects, in that network's real error shape. */
export interface FaultRenderer {
  rateLimit(res: Response, retryAfterSeconds: number): void;
  transient(res: Response): void;
  /** The network's expired-token answer, for its own token check when `expireAllTokens` is on. */
  expiredToken(res: Response): void;
}

export interface SandboxOptions {
  name: 'facebook' | 'google' | 'linkedin' | 'landing';
  renderFaults: FaultRenderer;
  /** Maps a request to a stable endpoint label for the request log, e.g. "POST /{ad_id}". */
  endpointOf(req: Request): string;
  /** Called by POST /_sandbox/reset after the kit cleared its own state. */
  onReset(): void;
  /** Paths (prefix match) that never get faults, e.g. the OAuth dialog. */
  faultFreePrefixes?: string[];
}

export interface SandboxLocals {
  /** Number of operations carried by a batch request; set by the handler, logged by the kit. */
  batchSize?: number;
  /** Of those, the operations that write (non-GET operations of a Graph batch). */
  batchWrites?: number;
  fault?: FaultKind | 'expired_token';
  /** Bytes of the raw body, for signature checks. */
  rawBody?: Buffer;
}

export interface Sandbox {
  app: Express;
  faults: Faults;
  log: RequestLog;
  /** True when the `expireAllTokens` fault is on: each network's token check answers its real auth error. */
  tokensExpired(): boolean;
}

/**
 * The common frame of every network sandbox: JSON and form bodies with the raw bytes kept, a request
 * log, switchable faults, and the control API under /_sandbox/. Network routes are added by the
 * caller after this returns; `finish()` adds the 404 and error handlers last.
 */
export function createSandbox(options: SandboxOptions): Sandbox & { finish(): void } {
  const app = express();
  const faults = new Faults();
  const log = new RequestLog();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');

  const keepRaw = (req: Request, _res: Response, buf: Buffer) => {
    (req as Request & { rawBody?: Buffer }).rawBody = buf;
  };
  app.use(express.json({ limit: '50mb', verify: keepRaw, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: true, limit: '50mb', verify: keepRaw }));

  app.use((req, res, next) => {
    // Captured now: a mounted router strips its prefix from req.path before the response finishes.
    const isControl = req.originalUrl.startsWith('/_sandbox');
    res.on('finish', () => {
      if (isControl) return;
      const locals = res.locals as SandboxLocals;
      log.record({
        at: new Date().toISOString(),
        method: req.method,
        path: req.path,
        endpoint: options.endpointOf(req),
        status: res.statusCode,
        ...(locals.batchSize !== undefined ? { batchSize: locals.batchSize } : {}),
        ...(locals.batchWrites !== undefined ? { batchWrites: locals.batchWrites } : {}),
        ...(locals.fault ? { fault: locals.fault } : {}),
      });
    });
    next();
  });

  const control = express.Router();
  control.post('/reset', (_req, res) => {
    faults.reset();
    log.clear();
    options.onReset();
    res.json({ ok: true });
  });
  control.get('/faults', (_req, res) => void res.json(faults.current));
  control.put('/faults', (req, res) => {
    const parsed = (() => {
      try {
        return { config: faults.set(req.body) };
      } catch (error) {
        return { error };
      }
    })();
    if ('error' in parsed) return void res.status(400).json({ error: { code: 'invalid_faults', message: String(parsed.error) } });
    res.json(parsed.config);
  });
  control.delete('/faults', (_req, res) => {
    faults.reset();
    res.json(faults.current);
  });
  control.get('/requests', (req, res) => {
    const endpoint = typeof req.query.endpoint === 'string' ? req.query.endpoint : undefined;
    const since = typeof req.query.since === 'string' ? req.query.since : undefined;
    res.json({ requests: log.list({ endpoint, since }) });
  });
  control.get('/counters', (_req, res) => void res.json({ counters: log.counters() }));
  control.delete('/requests', (_req, res) => {
    log.clear();
    res.json({ ok: true });
  });
  app.use('/_sandbox', control);

  const faultFree = ['/_sandbox', ...(options.faultFreePrefixes ?? [])];
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (faultFree.some((p) => req.path.startsWith(p))) return next();
    const { latencyMs, retryAfterSeconds, timeoutHoldMs } = faults.current;
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const fault = faults.roll();
    if (!fault) return next();
    (res.locals as SandboxLocals).fault = fault;
    if (fault === 'rate_limit') return options.renderFaults.rateLimit(res, retryAfterSeconds);
    if (fault === 'transient') return options.renderFaults.transient(res);
    // A timeout: hold the socket, then drop it without an answer.
    setTimeout(() => req.socket.destroy(), timeoutHoldMs).unref();
  });

  const sandbox: Sandbox = {
    app,
    faults,
    log,
    tokensExpired: () => faults.current.expireAllTokens,
  };
  return {
    ...sandbox,
    finish() {
      app.use((req, res) => {
        res.status(404).json({ error: { message: `Unknown path components: ${req.path}`, code: 404 } });
      });
      app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
        const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
        res.status(status).json({ error: { message: err.message, code: status } });
      });
    },
  };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 = any free port) and returns the base URL. */
export async function listen(app: Express, port = 0, host = '127.0.0.1'): Promise<RunningServer> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function rawBodyOf(req: Request): Buffer | undefined {
  return (req as Request & { rawBody?: Buffer }).rawBody;
}
