import { GraphError, invalidParameter, transientError } from './graph-error';
import type { GraphCall, GraphReply, GraphRouter } from './graph-router';
import type { TokenService } from './tokens';

export const MAX_BATCH_OPERATIONS = 50;

interface BatchOperation {
  method?: unknown;
  relative_url?: unknown;
  body?: unknown;
  name?: unknown;
  depends_on?: unknown;
  omit_response_on_success?: unknown;
}

const REFERENCE = /\{result=([^:}]+):(\$[^}]*)\}/g;

interface BatchItem {
  code: number;
  headers?: { name: string; value: string }[];
  body: string;
}

/**
 * `POST /` with `batch=[…]` (§5): at most 50 operations, each run as its own Graph call (and counted
 * as one for usage), answered in order as `{code, headers, body-as-string}`. Dependencies as Graph's
 * batch docs describe them: an operation `name`s itself; a later one refers to its answer with
 * `{result=<name>:<JSONPath>}` in its relative_url or body (a list result is joined with commas) or
 * waits for it with `depends_on`; the answer of a named operation another one depends on is omitted
 * (null) unless it sets `omit_response_on_success: false`. Operations run in order here, so a
 * reference may only point back. unconfirmed: what Graph answers for a dependent of a failed
 * operation — here a (#100) error naming the parent.
 */
export function runBatch(router: GraphRouter, tokens: TokenService, call: GraphCall, itemFails: () => boolean): GraphReply {
  let batchSize: number | undefined;
  try {
    const operations = parseOperations(call.params.batch);
    batchSize = operations.length;
    if (operations.length > MAX_BATCH_OPERATIONS) {
      // unconfirmed: the code and type of the oversize-batch error.
      throw new GraphError(400, {
        message: `(#100) Too many requests in batch message. Maximum batch size is ${MAX_BATCH_OPERATIONS}`,
        type: 'GraphBatchException',
        code: 100,
      });
    }
    const token = typeof call.params.access_token === 'string' ? call.params.access_token : undefined;
    if (token) tokens.authenticate(token, call.params.appsecret_proof);
    const includeHeaders = call.params.include_headers !== 'false' && call.params.include_headers !== false;
    const items = runOperations(router, call, operations, includeHeaders, itemFails);
    const batchWrites = operations.filter((op) => typeof op.method === 'string' && op.method.toUpperCase() !== 'GET').length;
    return { status: 200, body: items, headers: {}, batchSize, batchWrites };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    return {
      status: error.httpStatus,
      body: error.envelope(),
      headers: error.headers,
      ...(error.fault ? { fault: error.fault } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
    };
  }
}

function parseOperations(raw: unknown): BatchOperation[] {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw invalidParameter('Param batch must be a JSON encoded array');
    }
  }
  if (!Array.isArray(value) || value.length === 0) throw invalidParameter('The parameter batch is required and must be a non-empty array');
  return value as BatchOperation[];
}

function runOperations(router: GraphRouter, outer: GraphCall, operations: BatchOperation[], includeHeaders: boolean, itemFails: () => boolean): (BatchItem | null)[] {
  const answers = new Map<string, { ok: boolean; body: unknown }>();
  const dependedOn = new Set(operations.flatMap((operation) => dependenciesOf(operation)));
  return operations.map((operation) => {
    const item = runOperation(router, outer, operation, answers, includeHeaders, itemFails);
    const name = typeof operation.name === 'string' ? operation.name : undefined;
    const ok = item.code >= 200 && item.code < 300;
    if (name !== undefined) answers.set(name, { ok, body: parseJson(item.body) });
    const omit = name !== undefined && dependedOn.has(name) && ok && operation.omit_response_on_success !== false && operation.omit_response_on_success !== 'false';
    return omit ? null : item;
  });
}

function dependenciesOf(operation: BatchOperation): string[] {
  const texts = [operation.relative_url, operation.body].filter((t): t is string => typeof t === 'string');
  const referenced = texts.flatMap((text) => [...text.matchAll(REFERENCE)].map((m) => m[1] as string));
  const explicit = typeof operation.depends_on === 'string' ? [operation.depends_on] : [];
  return [...new Set([...explicit, ...referenced])];
}

/** Replaces `{result=name:$.path}` with the named answer's value (lists joined with commas). */
function resolveReferences(text: string, answers: Map<string, { ok: boolean; body: unknown }>): string {
  return text.replace(REFERENCE, (_whole, name: string, path: string) => {
    const values = jsonPath(answers.get(name)?.body, path);
    if (values.length === 0) throw invalidParameter(`The JSONPath ${path} of operation ${name} matched nothing`);
    return values.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v))).join(',');
  });
}

/** The JSONPath subset batch references use: `$.a.b`, `$.data.*.id`, `$.data.0.id`, `$.a[0]`. */
export function jsonPath(root: unknown, path: string): unknown[] {
  if (!path.startsWith('$')) throw invalidParameter(`Invalid JSONPath ${path}`);
  const steps = path.slice(1).replace(/\[(\d+|\*)\]/g, '.$1').split('.').filter(Boolean);
  let nodes: unknown[] = [root];
  for (const step of steps) {
    nodes = nodes.flatMap((node): unknown[] => {
      if (typeof node !== 'object' || node === null) return [];
      if (step === '*') return Object.values(node as Record<string, unknown>);
      const child = (node as Record<string, unknown>)[step];
      return child === undefined ? [] : [child];
    });
  }
  return nodes;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function runOperation(
  router: GraphRouter,
  outer: GraphCall,
  operation: BatchOperation,
  answers: Map<string, { ok: boolean; body: unknown }>,
  includeHeaders: boolean,
  itemFails: () => boolean,
): BatchItem {
  const reply = (() => {
    try {
      for (const parent of dependenciesOf(operation)) {
        const answer = answers.get(parent);
        if (!answer) throw invalidParameter(`Operation ${parent} is not an earlier operation of this batch`);
        if (!answer.ok) throw invalidParameter(`The operation ${parent} this one depends on failed`);
      }
      const resolved: BatchOperation = {
        ...operation,
        ...(typeof operation.relative_url === 'string' ? { relative_url: resolveReferences(operation.relative_url, answers) } : {}),
        ...(typeof operation.body === 'string' ? { body: resolveReferences(operation.body, answers) } : {}),
      };
      const call = operationCall(outer, resolved);
      if (itemFails()) {
        const error = transientError();
        return { status: error.httpStatus, body: error.envelope(), headers: {} } satisfies GraphReply;
      }
      return router.dispatch(call);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return { status: error.httpStatus, body: error.envelope(), headers: error.headers } satisfies GraphReply;
    }
  })();
  const headers = [{ name: 'Content-Type', value: 'text/javascript; charset=UTF-8' }, ...Object.entries(reply.headers).map(([name, value]) => ({ name, value }))];
  return { code: reply.status, ...(includeHeaders ? { headers } : {}), body: JSON.stringify(reply.body) };
}

function operationCall(outer: GraphCall, operation: BatchOperation): GraphCall {
  const method = typeof operation.method === 'string' ? operation.method.toUpperCase() : 'GET';
  if (typeof operation.relative_url !== 'string') throw invalidParameter('Each batch operation needs a relative_url');
  const [pathPart = '', query = ''] = operation.relative_url.replace(/^\/+/, '').split('?', 2);
  const segments = pathPart.split('/').filter(Boolean);
  let version = outer.version;
  if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) version = segments.shift() ?? version;
  if (segments.length === 0 && method === 'POST') throw invalidParameter('Batch requests cannot be nested');
  const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(query));
  if (typeof operation.body === 'string') Object.assign(params, Object.fromEntries(new URLSearchParams(operation.body)));
  else if (typeof operation.body === 'object' && operation.body !== null) Object.assign(params, operation.body);
  // Operations without their own token run with the batch's token (and its appsecret_proof).
  if (params.access_token === undefined && outer.params.access_token !== undefined) {
    params.access_token = outer.params.access_token;
    if (outer.params.appsecret_proof !== undefined) params.appsecret_proof = outer.params.appsecret_proof;
  }
  return { method, segments, params, version, baseUrl: outer.baseUrl, ...(outer.authorization ? { authorization: outer.authorization } : {}) };
}
