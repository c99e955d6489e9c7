import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const NETWORKS_DIR = path.resolve(__dirname, '../../src/networks');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('issue 3 acceptance 2: the network clients have no sandbox-specific branch', () => {
  const files = sourceFiles(NETWORKS_DIR);

  it('covers the three clients', () => {
    for (const network of ['facebook', 'google', 'linkedin']) {
      expect(files.some((f) => f.includes(`${path.sep}${network}${path.sep}`))).toBe(true);
    }
  });

  it.each(['sandbox', '_sandbox', '127.0.0.1', 'localhost', 'SANDBOX_MODE'])('no client source mentions "%s"', (needle) => {
    const offenders = files.filter((file) => fs.readFileSync(file, 'utf8').toLowerCase().includes(needle.toLowerCase()));
    expect(offenders.map((f) => path.relative(NETWORKS_DIR, f))).toEqual([]);
  });

  it('clients never import sandbox code', () => {
    const offenders = files.filter((file) => /from ['"][./]*sandboxes/.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
