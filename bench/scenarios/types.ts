import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';

export interface ScenarioOptions {
  quick: boolean;
  /** A sandbox seed in the benchmark's range, distinct per scenario and size. */
  seed: number;
}

export interface Scenario {
  id: string;
  title: string;
  /** Sizes of the full run and of `--quick`. */
  sizes: { full: number[]; quick: number[] };
  run(stack: BenchStack, size: number, options: ScenarioOptions): Promise<BenchRow[]>;
  /** Rows computed across sizes (a fitted cost per account). */
  summarise?(rows: BenchRow[]): BenchRow[];
}
