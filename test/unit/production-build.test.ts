import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/data-converter';
import { buildPlan, PROJECT_ROOT, runtimeGraph } from '../support/build-outputs';

/**
 * Issue 10 §4, acceptance 4 without a Docker engine: the image's commands run files `npm run build`
 * produces (derived from tsconfig.build.json), with production dependencies only, as a non-root user.
 */
interface Instruction {
  keyword: string;
  args: string;
}

function dockerfileStages(text: string): { name: string; instructions: Instruction[] }[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { name: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? String(stages.length), instructions: [] });
    stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const dockerfile = dockerfileStages(fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1)!;
const build = buildPlan();
const compose = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { command?: string[] }> };
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };

const runtimeCmd = JSON.parse(runtime.instructions.find((i) => i.keyword === 'CMD')!.args) as string[];
const commands: [string, string[]][] = [
  ['Dockerfile CMD (the API)', runtimeCmd],
  ['compose worker', compose.services.worker!.command!],
  ['compose api', compose.services.api!.command!],
];

/** The files the image's runtime stage holds under /app, as project paths (`COPY --from=build /app/dist ./dist`). */
function copiedFromBuild(): string[] {
  return runtime.instructions
    .filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from='))
    .map((i) => i.args.split(/\s+/).slice(1))
    .map(([from = '', to = '']) => {
      expect(from.replace(/^\/app\//, '')).toBe(to.replace(/^\.\//, ''));
      return to.replace(/^\.\//, '');
    });
}

describe('production build (issue 10 §4): the image runs compiled code only', () => {
  it('the build covers the API and the worker and writes the prebundled workflow code', () => {
    expect(build.outputs).toContain(path.join(build.outDir, 'src/api/main.js'));
    expect(build.outputs).toContain(path.join(build.outDir, 'src/temporal/worker-main.js'));
    expect([...build.outputs].some((f) => f.endsWith('workflow-bundle.js'))).toBe(true);
    expect(pkg.scripts.build).toMatch(/scripts\/build\.ts/);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'scripts/build.ts'), 'utf8')).toMatch(/bundleWorkflowCode/);
  });

  it.each(commands)('%s runs `node <file the build produces>`, without tsx', (_what, command) => {
    expect(command[0]).toBe('node');
    expect(command.join(' ')).not.toMatch(/tsx|\.ts\b/);
    const entry = path.join(PROJECT_ROOT, command[1]!);
    expect(build.outputs).toContain(entry);
    // …and the runtime stage copies that file's folder from the build stage.
    expect(copiedFromBuild().some((dir) => entry.startsWith(path.join(PROJECT_ROOT, dir) + path.sep))).toBe(true);
  });

  it('the build stage runs `npm run build`; the runtime stage installs production dependencies only and runs as a non-root user', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(copiedFromBuild().length).toBeGreaterThan(0);
    const buildStage = dockerfile.find((s) => s !== runtime && runtime.instructions.some((i) => i.args.startsWith(`--from=${s.name} `)))!;
    expect(buildStage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(true);
    const runs = runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.join(' ')).not.toMatch(/--include=dev|npm run build|tsx/);
    expect(runtime.instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from=')).map((i) => i.args)).toEqual(['package.json package-lock.json ./']);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime.instructions.findIndex((i) => i.keyword === 'USER')).toBeLessThan(runtime.instructions.findIndex((i) => i.keyword === 'CMD'));
  });

  it('the sandboxes stay out of the image unless ADTRACK_SANDBOXES=true is passed at build time', () => {
    const sandboxOutput = path.relative(PROJECT_ROOT, path.join(build.outDir, 'src/sandboxes'));
    expect([...build.outputs].some((f) => f.startsWith(path.join(PROJECT_ROOT, sandboxOutput)))).toBe(true);
    const buildRun = dockerfile.flatMap((s) => s.instructions).find((i) => i.keyword === 'RUN' && /npm run build/.test(i.args))!.args;
    expect(buildRun).toMatch(new RegExp(`if \\[ "\\$ADTRACK_SANDBOXES" != "true" \\]; then rm -rf ${sandboxOutput}; fi`));
  });

  it('what the API and the worker load at run time never reaches the sandboxes or dev tooling, and needs only production dependencies', () => {
    const entries = ['src/api/main.ts', 'src/temporal/worker-main.ts'].map((f) => path.join(PROJECT_ROOT, f));
    const { files, packages } = runtimeGraph([...entries, FAILURE_CONVERTER_PATH]);
    expect(files.size).toBeGreaterThan(50);
    const offLimits = [...files].map((f) => path.relative(PROJECT_ROOT, f)).filter((f) => f.startsWith('src/sandboxes/') || f.startsWith('src/dev/'));
    expect(offLimits).toEqual([]);
    for (const file of files) expect(build.sources).toContain(file);
    expect([...packages].filter((name) => !(name in pkg.dependencies)).sort()).toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
  });
});
