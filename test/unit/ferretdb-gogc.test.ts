import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FERRETDB_GOGC, freePort, startFerretDb, type Supervised } from '../../src/dev/processes';

/**
 * Issue 12 acceptance 0 (lead backfill): FerretDB runs with a garbage-collector target above Go's
 * default, whatever the environment of the process that starts it. A stand-in binary records the
 * environment it was given and opens the port startFerretDb waits for.
 */
describe('Embedded FerretDB process (issue 12 item 0)', () => {
  let started: Supervised | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await started?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issue 12 item 0: FerretDB is started with GOGC=400 (a third of its backfill CPU was garbage collection at the default)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-gogc-'));
    const seen = path.join(dir, 'gogc.txt');
    const binary = path.join(dir, 'ferretdb');
    fs.writeFileSync(
      binary,
      `#!${process.execPath}\n` +
        `require('node:fs').writeFileSync(${JSON.stringify(seen)}, String(process.env.GOGC));\n` +
        `const port = Number(process.argv.find((a) => a.startsWith('--listen-addr=')).split(':').pop());\n` +
        `require('node:net').createServer((socket) => socket.end()).listen(port, '127.0.0.1');\n`,
      { mode: 0o755 },
    );
    const previous = process.env.GOGC;
    process.env.GOGC = '100';
    try {
      started = await startFerretDb({ binary, port: await freePort(), dataDir: dir, backend: { handler: 'sqlite' } });
    } finally {
      if (previous === undefined) delete process.env.GOGC;
      else process.env.GOGC = previous;
    }
    expect(FERRETDB_GOGC).toBe('400');
    expect(fs.readFileSync(seen, 'utf8')).toBe('400');
  });
});
