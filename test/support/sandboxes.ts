import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes';
import type { Network } from '../../src/networks/types';

export interface SandboxControl {
  post(path: string, body?: unknown): Promise<any>;
  put(path: string, body?: unknown): Promise<any>;
  get(path: string): Promise<any>;
}

export interface TestSandboxes {
  running: RunningSandboxes;
  control(network: Network): SandboxControl;
  /** Seeds a network's world and returns the seed summary. */
  seed(network: Network, options?: { seed?: number; accounts?: number; adsPerAccount?: number }): Promise<any>;
}

/**
 * The three network sandboxes and the landing site, in-process over real HTTP, for one test file.
 * Test files share one Temporal namespace and workflow ids derive from account ids, so every file
 * seeds its own id space: the default seed (100-999) is claimed per file, so no two files of a run
 * share one; explicit seeds are kept below 100 or above 999 and distinct by hand.
 */
export function useSandboxes(): TestSandboxes {
  const t = {} as TestSandboxes;
  let fileSeed: number;
  beforeAll(async () => {
    fileSeed = claimSeed(inject('seedDir'));
    t.running = await startSandboxes();
    t.control = (network) => controlFor(t.running.urls[network]);
    t.seed = (network, options = {}) =>
      t.control(network).post('/_sandbox/seed', {
        seed: options.seed ?? fileSeed,
        accounts: options.accounts ?? 1,
        adsPerAccount: options.adsPerAccount ?? 12,
        landingBaseUrl: t.running.urls.landing,
      });
  });
  afterAll(async () => {
    await t.running?.close();
  });
  return t;
}

function controlFor(base: string): SandboxControl {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return parsed;
  };
  return {
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    get: (path) => call('GET', path),
  };
}

/**
 * A default seed no other file of this run holds. Test files run in separate workers, so the claim
 * is a folder created under the run's seed directory: `mkdir` succeeds for exactly one of them.
 */
function claimSeed(dir: string): number {
  const first = Math.floor(Math.random() * 900);
  for (let i = 0; i < 900; i += 1) {
    const seed = 100 + ((first + i) % 900);
    try {
      fs.mkdirSync(path.join(dir, String(seed)));
      return seed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error('every default sandbox seed of this run is taken');
}
