import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTools } from '../../src/dev/tools';
import { embeddedHandlerFrom, startEmbeddedDatabase } from '../../src/dev/embedded-database';
import { freePort, installOrphanGuard, startTemporalDevServer, type Supervised } from '../../src/dev/processes';
import { devServerSearchAttributeArgs } from '../../src/temporal/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    temporalCliPath: string;
    /** Where test files claim their default sandbox seeds (test/support/sandboxes.ts). */
    seedDir: string;
  }
}

/**
 * One real Temporal dev server and one real FerretDB (on the embedded PostgreSQL, initialised once per
 * run) for the whole integration run, on free ports with throw-away data folders. `TEMPORAL_ADDRESS` / `MONGODB_URI` point the run at existing ones.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  installOrphanGuard();
  const started: Supervised[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adtrack-test-'));
  // Run as root, PostgreSQL runs as another user, which must reach its data folder inside this one.
  fs.chmodSync(dataDir, 0o755);
  const tools = await ensureTools((line) => console.log(line), {
    temporal: true,
    ferretdb: !process.env.MONGODB_URI,
  });

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const temporal = await startTemporalDevServer({
      binary: tools.temporal,
      port: await freePort(),
      extraArgs: [
        ...devServerSearchAttributeArgs(),
        // Small histories in tests, so continue-as-new paths really run.
        '--dynamic-config-value',
        'limit.historyCount.suggestContinueAsNew=400',
      ],
      logFile: path.join(dataDir, 'temporal.log'),
    });
    started.push(temporal);
    temporalAddress = temporal.address;
  }

  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    const database = await startEmbeddedDatabase({
      ferretdbBinary: tools.ferretdb,
      handler: embeddedHandlerFrom(process.env),
      port: await freePort(),
      dataDir,
      logDir: dataDir,
      throwaway: true,
    });
    started.push(...database.processes);
    mongoUri = database.uri;
  }

  project.provide('temporalAddress', temporalAddress);
  project.provide('mongoUri', mongoUri);
  project.provide('temporalCliPath', tools.temporal);
  const seedDir = path.join(dataDir, 'seeds');
  fs.mkdirSync(seedDir);
  project.provide('seedDir', seedDir);

  return async () => {
    // In reverse, one at a time: FerretDB goes before the PostgreSQL it uses.
    for (const proc of started.reverse()) await proc.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
