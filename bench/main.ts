/**
 * `npm run bench [-- --quick] [-- P7 P8 …]`: the scale benchmark against the real stack. Prints
 * one table (each figure next to the networks' documented minimum or a baseline from the same run)
 * and, unless --quick, writes it to bench/results/<timestamp>.md with the date and machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchStack } from './harness';
import { markdownTable, type BenchRow } from './table';
import { p2 } from './scenarios/p2-new-ad';
import { p3 } from './scenarios/p3-onboarding';
import { p5 } from './scenarios/p5-leads';
import { p6 } from './scenarios/p6-conversions';
import { p7 } from './scenarios/p7-idle';
import { p8 } from './scenarios/p8-pageview';
import type { Scenario } from './scenarios/types';

/** The benchmark's sandbox seeds: 5500-5549 (no test file uses them). */
const SEED_BASE = 5500;
/** P1 and P4 are measured by the onboarding run (P3). */
const ALIASES: Record<string, string> = { P1: 'P3', P4: 'P3' };
export const SCENARIOS: readonly Scenario[] = [p8, p3, p2, p5, p6, p7];

/** `BENCH_SIZES=1000` or `10,100`: these sizes instead of the scenarios' own (one size of a long scenario, alone). */
function sizesFromEnv(): number[] | undefined {
  const sizes = process.env.BENCH_SIZES?.split(',').map((s) => Number.parseInt(s.trim(), 10)).filter((n) => Number.isFinite(n) && n > 0);
  return sizes?.length ? sizes : undefined;
}

function machine(): string {
  const cpus = os.cpus();
  return `${os.hostname()}: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = new Set(args.filter((a) => /^P\d$/i.test(a)).map((a) => ALIASES[a.toUpperCase()] ?? a.toUpperCase()));
  const scenarios = SCENARIOS.filter((s) => wanted.size === 0 || wanted.has(s.id));
  const stack = await startBenchStack();
  const rows: BenchRow[] = [];
  try {
    for (const [index, scenario] of scenarios.entries()) {
      const own: BenchRow[] = [];
      for (const [sizeIndex, size] of (sizesFromEnv() ?? (quick ? scenario.sizes.quick : scenario.sizes.full)).entries()) {
        console.error(`[bench] ${scenario.id} ${scenario.title}, size ${size}…`);
        own.push(...(await scenario.run(stack, size, { quick, seed: SEED_BASE + index * 8 + sizeIndex })));
      }
      rows.push(...own, ...(scenario.summarise?.(own) ?? []));
    }
  } finally {
    await stack.stop();
  }
  const header = `adtrack benchmark${quick ? ' (quick)' : ''} — ${new Date().toISOString()} — ${machine()}`;
  const table = markdownTable(rows);
  console.log(`${header}\n\n${table}`);
  if (!quick) {
    const dir = path.join(__dirname, 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    fs.writeFileSync(file, `# ${header}\n\nMeasured while other work shared the machine: times are noisy, counts are not.\n\n${table}\n`);
    console.error(`[bench] written ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
