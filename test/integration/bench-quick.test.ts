import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
/** Every figure the quick run must print (P1 and P4 come from the onboarding run). */
const ROWS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'];

/**
 * Issue 12, the benchmark's CI hook: `npm run bench -- --quick` against the run's Temporal and
 * FerretDB completes and prints a row for every scenario. No figure is asserted (shared CI cores).
 */
describe('npm run bench -- --quick (issue 12)', () => {
  it('completes and prints every scenario row', { timeout: 900_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/main.ts', '--quick'], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), MONGODB_URI: inject('mongoUri'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr.slice(-4000)).toBe(0);
    for (const id of ROWS) expect(stdout, `row ${id}`).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
  });
});
