import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { WORKFLOW_BUNDLE_FILE } from '../../src/temporal/worker';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const BUILD_TSCONFIG = path.join(PROJECT_ROOT, 'tsconfig.build.json');

/** The build as tsconfig.build.json describes it: its sources and the files `npm run build` writes for them. */
export function buildPlan(outDir?: string): { outDir: string; sources: string[]; outputs: Set<string>; outputOf(source: string): string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(BUILD_TSCONFIG, outDir ? { outDir } : {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed?.options.outDir || !parsed.options.rootDir) throw new Error('tsconfig.build.json must set outDir and rootDir');
  const { outDir: out, rootDir } = parsed.options;
  const outputOf = (source: string) => path.join(out, path.relative(rootDir, source)).replace(/\.ts$/, '.js');
  const sources = parsed.fileNames.map((f) => path.resolve(f));
  return { outDir: out, sources, outputs: new Set([...sources.map(outputOf), path.join(out, WORKFLOW_BUNDLE_FILE)]), outputOf };
}

const BUILTINS = new Set(builtinModules);

/** Module specifiers a file loads at run time (type-only imports vanish in the JavaScript). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  throw new Error(`${path.relative(PROJECT_ROOT, from)}: cannot resolve ${specifier}`);
}

/** Every source file an entry point loads at run time, and the npm packages they load. */
export function runtimeGraph(entries: readonly string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolveLocal(file, specifier));
      else if (!specifier.startsWith('node:') && !BUILTINS.has(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  return { files, packages };
}
