import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createLogger } from '../../src/logging';
import { createDataConverter } from '../../src/temporal/data-converter';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { workflowBundle } from './stack';

/**
 * Replay fixtures (README "Changing a workflow"): histories recorded from real runs, one file per
 * recording at `test/fixtures/replay/<workflow>/<label>.json`, append-only. `SHA256SUMS` lists every
 * fixture with its hash; `test/unit/replay-fixtures.test.ts` fails when a listed file changed, went
 * missing, or a file is not listed, and replays every fixture against today's workflow code.
 *
 * Fixtures are encrypted by the payload codec with this fixed test-only key (not a secret), so
 * recordings run with it: `ENCRYPTION_KEYS: FIXTURE_KEYS_ENV`.
 */
export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'replay');
export const HASH_LIST = path.join(FIXTURES_DIR, 'SHA256SUMS');
export const FIXTURE_KEY = { id: 'replay-fixture', key: Buffer.alloc(32, 0x5a) };
export const FIXTURE_KEYS_ENV = `${FIXTURE_KEY.id}:${FIXTURE_KEY.key.toString('base64')}`;

/**
 * History ⇄ plain JSON through @temporalio/proto itself. (The SDK's historyToJSON/historyFromJSON
 * fail in this install: @temporalio/common carries its own protobufjs major, whose protojson rejects
 * types from @temporalio/proto's root.)
 */
const HistoryType = temporal.api.history.v1.History;
export type History = temporal.api.history.v1.IHistory;
export const historyToPlain = (history: History): unknown => HistoryType.toObject(HistoryType.fromObject(history), { longs: String, enums: String, bytes: String });
export const historyFromPlain = (plain: unknown): History => HistoryType.fromObject(plain as Record<string, unknown>);

export interface ReplayFixture {
  /** `<workflow>/<label>.json`, relative to FIXTURES_DIR. */
  name: string;
  workflowId: string;
  history: History;
}

export const sha256File = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** `<hash>  <name>` lines of SHA256SUMS (the format `sha256sum -c` reads). */
export function readHashList(): Map<string, string> {
  const listed = new Map<string, string>();
  if (!fs.existsSync(HASH_LIST)) return listed;
  for (const line of fs.readFileSync(HASH_LIST, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line.trim());
    if (match) listed.set(match[2]!, match[1]!);
  }
  return listed;
}

export function fixtureFiles(): string[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(FIXTURES_DIR, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
    .sort();
}

export function loadFixture(name: string): ReplayFixture {
  const plain = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as { workflowId: string; history: unknown };
  return { name, workflowId: plain.workflowId, history: historyFromPlain(plain.history) };
}

/** Replays a history against today's workflow code; throws on nondeterminism. */
export async function replay(history: History, workflowId: string, keys = [FIXTURE_KEY]): Promise<void> {
  // The replay worker's state changes stay out of the test output (first install wins).
  installTemporalRuntime(createLogger({ level: 'warn', name: 'temporal-sdk' }));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: await createDataConverter(keys) }, history, workflowId);
}

/**
 * With `RECORD_REPLAY_FIXTURES=1`, adds the history as a new fixture and its hash to SHA256SUMS. Never
 * overwrites: a label that exists already is kept as it is (record a changed run under a new label).
 */
export function recordFixtureIfAsked(workflow: string, label: string, workflowId: string, history: History): void {
  if (process.env.RECORD_REPLAY_FIXTURES !== '1') return;
  const name = `${workflow}/${label}.json`;
  const file = path.join(FIXTURES_DIR, name);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ workflowId, history: historyToPlain(history) })}\n`);
  fs.appendFileSync(HASH_LIST, `${sha256File(file)}  ${name}\n`);
}
