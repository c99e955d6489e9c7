import type { Connection } from 'mongoose';

/**
 * How the database would run a query, reduced to what the scale tests assert: whether it reads the
 * collection through an index. FerretDB v1 on PostgreSQL answers `explain` with PostgreSQL's plan
 * (`queryPlanner.Plan`), MongoDB with its stages (`queryPlanner.winningPlan`).
 */
export interface QueryPlan {
  /** `postgresql` (FerretDB's PostgreSQL handler), `mongodb`, or `unknown` (FerretDB on SQLite explains no plan). */
  kind: 'postgresql' | 'mongodb' | 'unknown';
  /** Every node or stage name of the plan tree, e.g. `Bitmap Index Scan`, `IXSCAN`, `COLLSCAN`. */
  nodes: string[];
  usesIndex: boolean;
  scansCollection: boolean;
}

export type ExplainableCommand =
  | { find: string; filter: Record<string, unknown>; sort?: Record<string, unknown>; limit?: number }
  | { aggregate: string; pipeline: Record<string, unknown>[] };

export async function explainQuery(connection: Connection, command: ExplainableCommand): Promise<QueryPlan> {
  const request = 'aggregate' in command ? { ...command, cursor: {} } : command;
  const answer = (await connection.db!.command({ explain: request, verbosity: 'queryPlanner' })) as Record<string, unknown>;
  const planner = (answer.queryPlanner ?? (answer.stages as Record<string, unknown>[] | undefined)?.[0]?.$cursor) as Record<string, unknown> | undefined;
  // FerretDB on SQLite answers with a `Plan` too, SQLite's, which names no nodes: treated as unknown.
  const pgNodes = collect(planner?.Plan, 'Node Type', 'Plans');
  if (pgNodes.length > 0) {
    const nodes = pgNodes;
    return { kind: 'postgresql', nodes, usesIndex: nodes.some((n) => n.includes('Index')), scansCollection: nodes.includes('Seq Scan') };
  }
  if (planner?.winningPlan) {
    const nodes = collect(planner.winningPlan, 'stage', 'inputStage', 'inputStages');
    return { kind: 'mongodb', nodes, usesIndex: nodes.some((n) => n === 'IXSCAN' || n === 'IDHACK' || n === 'EXPRESS_IXSCAN' || n === 'COUNT_SCAN'), scansCollection: nodes.includes('COLLSCAN') };
  }
  return { kind: 'unknown', nodes: [], usesIndex: false, scansCollection: false };
}

function collect(node: unknown, nameKey: string, ...childKeys: string[]): string[] {
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = typeof record[nameKey] === 'string' ? [record[nameKey]] : [];
  const children = childKeys.flatMap((key) => (Array.isArray(record[key]) ? (record[key] as unknown[]) : record[key] ? [record[key]] : []));
  return [...own, ...children.flatMap((child) => collect(child, nameKey, ...childKeys))];
}

/**
 * The reads a captured command makes, as `find`s with the same filter: FerretDB runs an update,
 * delete or count through the same backend query as a find with its filter (and explains `count`
 * and `update` without one), MongoDB plans them alike.
 */
export function readsOf(command: Record<string, unknown>): ExplainableCommand[] {
  const name = Object.keys(command)[0]!;
  const collection = String(command[name]);
  const statements = (key: string, field: string) => ((command[key] as Record<string, unknown>[] | undefined) ?? []).map((s) => ({ find: collection, filter: s[field] as Record<string, unknown> }));
  switch (name) {
    case 'find':
      return [{ find: collection, filter: (command.filter as Record<string, unknown> | undefined) ?? {}, ...(command.sort ? { sort: command.sort as Record<string, unknown> } : {}) }];
    case 'count':
    case 'countDocuments':
      return [{ find: collection, filter: (command.query as Record<string, unknown> | undefined) ?? {} }];
    case 'aggregate':
      return [{ aggregate: collection, pipeline: command.pipeline as Record<string, unknown>[] }];
    case 'update':
      return statements('updates', 'q');
    case 'delete':
      return statements('deletes', 'q');
    case 'findAndModify':
      return [{ find: collection, filter: (command.query as Record<string, unknown> | undefined) ?? {} }];
    default:
      return [];
  }
}
