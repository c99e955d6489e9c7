import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A supervised child process: started in its own process group so stopping it stops its children too. */
export interface Supervised {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();

/**
 * If this process is killed (Ctrl-C, CI timeout) before it could stop its children, take them down
 * too: they run in their own process groups and would otherwise outlive it as orphans.
 */
export function installOrphanGuard(): void {
  const killAll = () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    liveGroups.clear();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function supervise(
  name: string,
  command: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    logFile?: string;
    onOutput?: (line: string) => void;
    /** Runs the process as this user (PostgreSQL refuses to run as root). */
    user?: { uid: number; gid: number };
    /** The signal that asks the process to stop (PostgreSQL: SIGINT is its fast, clean shutdown). */
    stopSignal?: NodeJS.Signals;
  } = {},
): Supervised {
  const logStream = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ?? {}),
  });
  const forward = (chunk: Buffer) => {
    logStream?.write(chunk);
    if (options.onOutput) for (const line of chunk.toString().split('\n')) if (line.trim()) options.onOutput(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  if (child.pid) liveGroups.add(child.pid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      if (child.pid) liveGroups.delete(child.pid);
      logStream?.end();
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });
  let exitedAlready = false;
  void exited.then(() => (exitedAlready = true));

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (exitedAlready) return;
      signalGroup(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Children of the process (if any) go with the group.
      signalGroup('SIGKILL');
    },
  };
}

/** Ports this process handed out: a port is free again once its probe closes, so two calls could get the same one. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: probed } = server.address() as net.AddressInfo;
        server.close(() => resolve(probed));
      });
    });
    // Seen once in CI: the fault stack's sandboxes and Temporal's metrics endpoint were given one port.
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

export async function portIsOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The supervised process ended while waitFor was still waiting for it to become ready. */
export class ProcessExitedError extends Error {}

/** Polls `check` until it is true or the deadline passes; fails with what it was waiting for. */
export async function waitFor(what: string, check: () => Promise<boolean>, options: { timeoutMs?: number; intervalMs?: number; exited?: Promise<unknown> } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let processExited = false;
  void options.exited?.then(() => (processExited = true));
  while (Date.now() < deadline) {
    if (await check()) return;
    if (processExited) throw new ProcessExitedError(`${what}: the process exited before it became ready`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
  throw new Error(`${what}: not ready after ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`);
}

/** Where FerretDB keeps the data: SQLite files, or a PostgreSQL database (the embedded default, src/dev/postgres.ts). */
export type FerretDbBackend = { handler: 'sqlite' } | { handler: 'postgresql'; url: string };

export interface FerretDbOptions {
  binary: string;
  port: number;
  dataDir: string;
  backend: FerretDbBackend;
  logFile?: string;
}

/**
 * Go's garbage collector target for FerretDB. Converting documents allocates a lot: at Go's default
 * (100) a bulk lead backfill spent about a third of FerretDB's CPU collecting garbage; at 400 its
 * CPU per 5,000 leads fell from ~2.1 to ~1.35 s for ~80 MB more memory (README "Scale: lead backfill").
 */
export const FERRETDB_GOGC = '400';

export async function startFerretDb(options: FerretDbOptions): Promise<Supervised & { uri: string }> {
  const stateDir = path.join(options.dataDir, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  const backendArgs = options.backend.handler === 'postgresql' ? ['--handler=postgresql', `--postgresql-url=${options.backend.url}`] : sqliteArgs(options.dataDir);
  const proc = supervise(
    'ferretdb',
    options.binary,
    [
      ...backendArgs,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${options.port}`,
      `--debug-addr=127.0.0.1:${await freePort()}`,
      '--telemetry=disable',
      '--log-level=WARN',
    ],
    { logFile: options.logFile, env: { ...process.env, GOGC: FERRETDB_GOGC } },
  );
  await waitFor('FerretDB', () => portIsOpen(options.port), { timeoutMs: 60_000, exited: proc.exited });
  return { ...proc, uri: `mongodb://127.0.0.1:${options.port}/` };
}

function sqliteArgs(dataDir: string): string[] {
  const sqliteDir = path.join(dataDir, 'sqlite');
  fs.mkdirSync(sqliteDir, { recursive: true });
  return ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`];
}

export interface TemporalDevServerOptions {
  binary: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  codecEndpoint?: string;
  extraArgs?: string[];
  logFile?: string;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<Supervised & { address: string }> {
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  // The HTTP and metrics ports are picked free here, but another process (or the server's own
  // internal listeners) can take one before the server binds it: then it exits, and a fresh pick works.
  for (let attempt = 1; ; attempt += 1) {
    const proc = supervise('temporal', options.binary, await devServerArgs(options), { logFile: options.logFile });
    try {
      await waitFor(
        'Temporal dev server',
        async () => {
          if (!(await portIsOpen(options.port))) return false;
          // The port opens before the frontend serves; ask the CLI's own health check.
          const health = supervise('temporal-health', options.binary, ['operator', 'cluster', 'health', '--address', address]);
          return (await health.exited) === 0;
        },
        { timeoutMs: 120_000, intervalMs: 500, exited: proc.exited },
      );
      return { ...proc, address };
    } catch (error) {
      if (!(error instanceof ProcessExitedError) || attempt >= 3) {
        await proc.stop();
        throw error;
      }
    }
  }
}

async function devServerArgs(options: TemporalDevServerOptions): Promise<string[]> {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--http-port',
    String(await freePort()),
    '--metrics-port',
    String(await freePort()),
    '--log-level',
    'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.namespace && options.namespace !== 'default' ? ['--namespace', options.namespace] : []),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...(options.extraArgs ?? []),
  ];
}
