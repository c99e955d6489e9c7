/**
 * `npm run build [-- --out-dir <dir>]`: compiles the service to JavaScript (tsconfig.build.json) and
 * prebundles the workflow code, so the production image runs `node` on plain JavaScript with
 * production dependencies only and the worker starts without webpack.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_FILE, workflowBundleOptions } from '../src/temporal/worker';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const BUILD_TSCONFIG = path.join(PROJECT_ROOT, 'tsconfig.build.json');

function outDirArg(argv: readonly string[]): string {
  const at = argv.indexOf('--out-dir');
  return path.resolve(at >= 0 && argv[at + 1] ? argv[at + 1]! : path.join(PROJECT_ROOT, 'dist'));
}

const say = (line: string) => process.stdout.write(`[build] ${line}\n`);

async function main(): Promise<void> {
  const outDir = outDirArg(process.argv.slice(2));
  const started = Date.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  say(`compiling to ${path.relative(PROJECT_ROOT, outDir) || outDir}…`);
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', BUILD_TSCONFIG, '--outDir', outDir], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status})`);
  say('bundling the workflow code…');
  const bundle = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: say, error: say },
  });
  fs.writeFileSync(path.join(outDir, WORKFLOW_BUNDLE_FILE), bundle.code);
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[build] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
