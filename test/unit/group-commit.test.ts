import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/db/group-commit';

/** A write that waits until the test lets it finish, recording each batch it was given. */
function gatedWrites() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => gates.push(() => resolve(items.map((i) => i * 10))));
  };
  return { batches, gates, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit (issue 12, P8)', () => {
  it('items that arrive while a batch is written go together in the next one, each answered with its own result', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit(write);
    const first = commit.add(1);
    await tick();
    const rest = [commit.add(2), commit.add(3), commit.add(4)];
    expect(batches).toEqual([[1]]);
    gates.shift()!();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates.shift()!();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('with inFlight 2, a second batch is written while the first waits; flush waits for both', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit(write, 200, 2);
    const a = commit.add(1);
    await tick();
    const b = commit.add(2);
    await tick();
    const c = commit.add(3);
    await tick();
    expect(batches).toEqual([[1], [2]]);
    let flushed = false;
    const flushing = commit.flush().then(() => (flushed = true));
    gates.shift()!();
    await tick();
    // The first writer took the waiting item: nothing is left behind.
    expect(batches).toEqual([[1], [2], [3]]);
    expect(flushed).toBe(false);
    gates.shift()!();
    gates.shift()!();
    await flushing;
    expect(await Promise.all([a, b, c])).toEqual([10, 20, 30]);
  });
});
