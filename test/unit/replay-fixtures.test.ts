import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FIXTURE_KEY, FIXTURES_DIR, fixtureFiles, loadFixture, readHashList, replay, sha256File } from '../support/replay';

/**
 * OPS-3 / README "Changing a workflow": every recorded history replays with today's workflow code,
 * and the fixtures are append-only — SHA256SUMS pins each one, so editing, deleting or re-recording a
 * committed fixture fails here (a new recording adds a file and a line).
 */
describe('replay fixtures', () => {
  const files = fixtureFiles();
  const listed = readHashList();

  it('every fixture is listed in SHA256SUMS with its hash, and every listed fixture exists unchanged', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((name) => !listed.has(name)), 'fixtures missing from SHA256SUMS').toEqual([]);
    for (const [name, hash] of listed) {
      const file = path.join(FIXTURES_DIR, name);
      expect(fs.existsSync(file), `${name} was deleted; fixtures are append-only`).toBe(true);
      expect(sha256File(file), `${name} changed; fixtures are append-only: record a new label instead`).toBe(hash);
    }
  });

  it('there is a fixture for each long-running workflow and the connect workflow', () => {
    for (const workflow of ['account', 'lead-sync', 'conversions', 'connect', 'ads-watcher']) {
      expect(files.some((name) => name.startsWith(`${workflow}/`)), `a ${workflow} fixture`).toBe(true);
    }
  });

  it.each(files)('%s replays with the current workflow code', { timeout: 120_000 }, async (name) => {
    const fixture = loadFixture(name);
    expect(fixture.history.events!.length).toBeGreaterThan(5);
    await replay(fixture.history, fixture.workflowId);
  });

  it('the payloads really are encrypted: another key cannot replay a fixture', { timeout: 120_000 }, async () => {
    const fixture = loadFixture(files[0]!);
    await expect(replay(fixture.history, fixture.workflowId, [{ id: FIXTURE_KEY.id, key: randomBytes(32) }])).rejects.toThrow();
  });
});
