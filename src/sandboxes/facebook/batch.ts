import { GraphError, invalidParameter, transientError } from './graph-error';
import type { GraphCall, GraphReply, GraphRouter } from './graph-router';
import type { TokenService } from './tokens';

export const MAX_BATCH_OPERATIONS = 50;

interface BatchOperation {
  method?: unknown;
  relative_url?: unknown;
  body?: unknown;
  name?: unknown;
}

interface BatchItem {
  code: number;
  headers?: { name: string; value: string }[];
  body: string;
}

/**
 * `POST /` with `batch=[…]` (§5): at most 50 operations, each run as its own Graph call (and counted
 * as one for usage), answered in order as `{code, headers, body-as-string}`. `{result=…}` JSONPath
 * references are not modelled: the reference marks that syntax unconfirmed.
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
    const items = operations.map((operation) => runOperation(router, call, operation, includeHeaders, itemFails));
    return { status: 200, body: items, headers: {}, batchSize };
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

function runOperation(router: GraphRouter, outer: GraphCall, operation: BatchOperation, includeHeaders: boolean, itemFails: () => boolean): BatchItem {
  const reply = (() => {
    try {
      const call = operationCall(outer, operation);
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
