import fs from 'node:fs';
import path from 'node:path';
import { uiCodecEndpoint } from '../api/auth';
import { ConfigError, loadConfig } from '../config';
import { sandboxServiceEnv } from '../sandboxes';
import { devServerSearchAttributeArgs } from '../temporal/search-attributes';
import { runDemo } from './demo';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { embeddedHandlerFrom, startEmbeddedDatabase } from './embedded-database';
import { portIsOpen, startTemporalDevServer, supervise, waitFor, type Supervised } from './processes';
import { ensureTools, PROJECT_ROOT } from './tools';

/**
 * `npm start`: the whole stack on its embedded default, as supervised child processes — PostgreSQL and
 * FerretDB,
 * the Temporal dev server with its Web UI, the network sandboxes, the worker and the API — each
 * awaited until healthy. Ctrl-C / SIGTERM stops them all, in reverse order, leaving nothing behind.
 */
const DATA_DIR = path.resolve(process.env.ADTRACK_DATA_DIR ?? path.join(PROJECT_ROOT, '.data'));
const LOG_DIR = path.join(DATA_DIR, 'logs');
const say = (line: string) => console.log(`[adtrack] ${line}`);

const running: Supervised[] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say('stopping…');
    for (const proc of [...running].reverse()) {
      await proc.stop();
      say(`  ${proc.name} stopped`);
    }
  }
  process.exit(code);
}

function watch(proc: Supervised): Supervised {
  running.push(proc);
  void proc.exited.then((code) => {
    if (shuttingDown) return;
    say(`${proc.name} exited unexpectedly (code ${code}); see ${path.join(LOG_DIR, `${proc.name}.log`)}`);
    void shutdown(1);
  });
  return proc;
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const secrets = loadOrCreateDevSecrets(DATA_DIR);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    ADMIN_API_TOKEN: secrets.adminToken,
    ENCRYPTION_KEYS: secrets.encryptionKeys,
    ...process.env,
  };
  const port = Number(env.PORT ?? 3000);
  const externalTemporal = Boolean(process.env.TEMPORAL_ADDRESS);
  const externalMongo = Boolean(process.env.MONGODB_URI);
  env.TEMPORAL_ADDRESS ??= '127.0.0.1:7233';
  env.MONGODB_URI ??= 'mongodb://127.0.0.1:27017/adtrack';

  // Validate before launching anything: a bad value stops here, naming the variable.
  const config = loadConfig(env);
  for (const [what, p] of [['API', port], ['Temporal', 7233], ['Temporal Web UI', 8233], ['FerretDB', 27017], ['sandboxes', 4101]] as const) {
    if ((what === 'Temporal' || what === 'Temporal Web UI') && externalTemporal) continue;
    if (what === 'FerretDB' && externalMongo) continue;
    if (await portIsOpen(p)) throw new Error(`Port ${p} (${what}) is already in use; stop what holds it or change the configuration.`);
  }

  const tools = await ensureTools(say, { temporal: !externalTemporal, ferretdb: !externalMongo });
  if (!externalMongo) {
    const handler = embeddedHandlerFrom(process.env);
    say(`starting FerretDB (MongoDB wire protocol) on ${handler === 'postgresql' ? 'the embedded PostgreSQL under .data/postgres' : 'SQLite under .data/ferretdb'}…`);
    const database = await startEmbeddedDatabase({ ferretdbBinary: tools.ferretdb, handler, port: 27017, dataDir: DATA_DIR, logDir: LOG_DIR });
    database.processes.forEach(watch);
  }
  if (!externalTemporal) {
    say('starting the Temporal dev server (SQLite under .data/temporal.sqlite, Web UI on 8233)…');
    watch(
      await startTemporalDevServer({
        binary: tools.temporal,
        port: 7233,
        uiPort: 8233,
        dbFile: path.join(DATA_DIR, 'temporal.sqlite'),
        namespace: config.TEMPORAL_NAMESPACE,
        // The dev UI can send no token: its endpoint carries the UI codec key (issue 15 #12).
        codecEndpoint: uiCodecEndpoint(`http://localhost:${port}`, config.ADMIN_API_TOKEN),
        extraArgs: devServerSearchAttributeArgs(),
        logFile: path.join(LOG_DIR, 'temporal.log'),
      }),
    );
  }

  // The local network sandboxes stand in for Facebook, Google Ads and LinkedIn unless turned off.
  const withSandboxes = process.env.ADTRACK_SANDBOXES !== 'false';
  const sandboxUrls = { facebook: 'http://127.0.0.1:4101', google: 'http://127.0.0.1:4102', linkedin: 'http://127.0.0.1:4103', landing: 'http://127.0.0.1:4104' };
  if (withSandboxes) {
    Object.assign(env, sandboxServiceEnv(sandboxUrls), { TRACKING_SCRIPT_URL: `http://localhost:${port}/t.js` });
    // The landing site plays the customer's website: without its origin every beacon of the demo pages was refused.
    const landingOrigins = [sandboxUrls.landing, sandboxUrls.landing.replace('127.0.0.1', 'localhost')];
    const configured = (env.CORS_SITE_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
    env.CORS_SITE_ORIGINS = [...new Set([...configured, ...landingOrigins])].join(',');
  }

  const node = (name: string, entry: string) =>
    watch(supervise(name, process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], { env, cwd: PROJECT_ROOT, logFile: path.join(LOG_DIR, `${name}.log`) }));

  if (withSandboxes) {
    say('starting the network sandboxes (Facebook, Google Ads, LinkedIn, landing site)…');
    const sandboxes = node('sandboxes', 'src/sandboxes/main.ts');
    await waitFor(
      'sandboxes',
      async () => {
        try {
          return (await fetch(`${sandboxUrls.landing}/p/health`)).status === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs: 60_000, exited: sandboxes.exited },
    );
  }
  say('starting the worker…');
  const worker = node('worker', 'src/temporal/worker-main.ts');
  const workerLog = path.join(LOG_DIR, 'worker.log');
  const logStart = fs.existsSync(workerLog) ? fs.statSync(workerLog).size : 0;
  await waitFor('worker', async () => fs.existsSync(workerLog) && fs.readFileSync(workerLog, 'utf8').slice(logStart).includes('"worker started"'), { timeoutMs: 120_000, exited: worker.exited });
  say('starting the API…');
  const api = node('api', 'src/api/main.ts');
  await waitFor(
    'API',
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    { timeoutMs: 60_000, exited: api.exited },
  );

  if (withSandboxes && process.env.ADTRACK_DEMO !== 'false') {
    say('demo: seeding the sandboxes and connecting their ad accounts…');
    await runDemo({ apiUrl: `http://127.0.0.1:${port}`, adminToken: String(env.ADMIN_API_TOKEN), sandboxUrls, say }).catch((error: unknown) =>
      say(`demo failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  console.log(`
  adtrack is running
    API            http://localhost:${port}        (GET /readyz, /api/* with the admin token)
    Console        http://localhost:${port}/admin  (sign in with the admin token; API reference at /docs)
    Temporal UI    ${externalTemporal ? '(external Temporal)' : 'http://localhost:8233'}
    Temporal gRPC  ${env.TEMPORAL_ADDRESS}
    MongoDB wire   ${externalMongo ? '(external database)' : 'mongodb://127.0.0.1:27017/adtrack'}
    Sandboxes      ${withSandboxes ? `Facebook ${sandboxUrls.facebook}, Google Ads ${sandboxUrls.google}, LinkedIn ${sandboxUrls.linkedin}, landing site ${sandboxUrls.landing}` : '(off: real networks)'}
    Logs           ${LOG_DIR}
    Admin token    ${secrets.adminToken === env.ADMIN_API_TOKEN ? secrets.adminToken : '(from ADMIN_API_TOKEN)'}

  Try: curl -H "Authorization: Bearer <admin token>" http://localhost:${port}/api/accounts
  Ctrl-C stops everything.
`);
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`[adtrack] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(error instanceof ConfigError ? 78 : 1);
});
