import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The real Temporal dev server and the MongoDB-wire database are Go programs that no reachable
 * registry ships as a binary, so the project builds them from their official modules at pinned
 * versions into a git-ignored folder, once. Both `npm start` and the test setup call `ensureTools`.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const FERRETDB_VERSION = '1.24.2';

export interface Tools {
  temporal: string;
  ferretdb: string;
}

type Say = (line: string) => void;

export async function ensureTools(say: Say = () => undefined, need: { temporal?: boolean; ferretdb?: boolean } = {}): Promise<Tools> {
  const wantTemporal = need.temporal ?? true;
  const wantFerret = need.ferretdb ?? true;
  const temporal = process.env.TEMPORAL_CLI_PATH || path.join(TOOLS_BIN, 'temporal');
  const ferretdb = process.env.FERRETDB_PATH || path.join(TOOLS_BIN, 'ferretdb');
  if (wantTemporal && !process.env.TEMPORAL_CLI_PATH && !hasVersion(temporal, ['--version'], TEMPORAL_CLI_VERSION)) {
    await buildTemporal(temporal, say);
  }
  if (wantFerret && !process.env.FERRETDB_PATH && !hasVersion(ferretdb, ['--version'], `v${FERRETDB_VERSION}`)) {
    await buildFerretDb(ferretdb, say);
  }
  for (const [name, file, wanted] of [
    ['TEMPORAL_CLI_PATH', temporal, wantTemporal],
    ['FERRETDB_PATH', ferretdb, wantFerret],
  ] as const) {
    if (wanted && !fs.existsSync(file)) throw new Error(`${name}: no executable at ${file}`);
  }
  return { temporal, ferretdb };
}

function hasVersion(file: string, args: string[], version: string): boolean {
  if (!fs.existsSync(file)) return false;
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).includes(version);
  } catch {
    return false;
  }
}

function goBinary(): string {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return 'go';
  } catch {
    throw new Error(
      'Go is required to build the Temporal dev server and FerretDB the first time (https://go.dev/dl/). ' +
        'Install Go, or set TEMPORAL_CLI_PATH / FERRETDB_PATH to existing binaries, or TEMPORAL_ADDRESS / MONGODB_URI to running services.',
    );
  }
}

async function buildTemporal(target: string, say: Say): Promise<void> {
  const go = goBinary();
  say(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} (dev server + Web UI) with Go; the first build takes several minutes…`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The version is stamped the way the CLI's own release build does it, so `--version` proves the pin.
  await run(go, ['install', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(target), GOFLAGS: '-mod=mod' },
    say,
  });
  if (path.basename(target) !== 'temporal') fs.renameSync(path.join(path.dirname(target), 'temporal'), target);
  say(`Temporal CLI ready: ${target}`);
}

async function buildFerretDb(target: string, say: Say): Promise<void> {
  const go = goBinary();
  say(`Building FerretDB v${FERRETDB_VERSION} (MongoDB wire protocol on SQLite) with Go; the first build takes a few minutes…`);
  // `go install …/ferretdb@v1.24.2` does not work here: the module proxy answers 403 for FerretDB's
  // version list, which `go install pkg@version` reads for its deprecation check. So the pinned module
  // is downloaded (checksum-verified against sum.golang.org) and built in place, with the version file
  // that FerretDB's release build generates (its binary refuses to start without it).
  const info = JSON.parse(
    execFileSync(go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@v${FERRETDB_VERSION}`], {
      encoding: 'utf8',
      cwd: TOOLS_DIR,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    }),
  ) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`FerretDB download failed: ${info.Error ?? 'unknown error'}`);
  const srcDir = path.join(TOOLS_DIR, 'src', `ferretdb-${FERRETDB_VERSION}`);
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.cpSync(info.Dir, srcDir, { recursive: true });
  makeWritable(srcDir);
  fs.writeFileSync(path.join(srcDir, 'build', 'version', 'version.txt'), `v${FERRETDB_VERSION}\n`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await run(go, ['build', '-trimpath', '-ldflags', '-s -w', '-o', target, './cmd/ferretdb'], {
    cwd: srcDir,
    env: { ...process.env, GOFLAGS: '-mod=mod' },
    say,
  });
  say(`FerretDB ready: ${target}`);
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    fs.chmodSync(full, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(full);
  }
  fs.chmodSync(dir, 0o755);
}

/** Runs a build, printing a heartbeat line every 30 s so a long cold build is visibly alive. */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; say: Say }): Promise<void> {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd ?? TOOLS_DIR, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setInterval(() => opts.say(`  … still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed with exit code ${code}:\n${output}`));
    });
  });
}
