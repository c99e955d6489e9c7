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

  it('gathering: items that keep arriving turn after turn of the event loop join one batch, up to the turns allowed; a turn with nothing new ends the wait', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit(write, 200, 1, 3);
    const answers = [commit.add(1)];
    // One more item in each of the next turns: the first three turns' arrivals join, the fourth does not.
    for (let i = 2; i <= 5; i++) {
      await tick();
      answers.push(commit.add(i));
    }
    await tick();
    expect(batches).toEqual([[1, 2, 3, 4]]);
    gates.shift()!();
    await tick();
    await tick();
    // A lone item that nothing follows is written after one quiet turn.
    expect(batches).toEqual([[1, 2, 3, 4], [5]]);
    gates.shift()!();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });
});
