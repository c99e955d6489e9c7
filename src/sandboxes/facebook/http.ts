import type { Request, RequestHandler, Response } from 'express';
import type { FaultRenderer, Sandbox, SandboxLocals } from '../kit/sandbox-app';
import { runBatch } from './batch';
import { invalidToken, rateLimited, transientError, type BucType, type GraphError } from './graph-error';
import { classify, type GraphCall, type GraphReply, type GraphRouter } from './graph-router';
import type { FacebookState } from './state';

const VERSION = /^v\d+\.\d+$/;

/** `/v25.0/act_1/ads` → version + segments; any `vNN.0` is accepted, and so is no version (§10). */
export function splitGraphPath(path: string): { version: string; segments: string[] } {
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const version = segments[0] && VERSION.test(segments[0]) ? (segments.shift() ?? '') : '';
  return { version, segments };
}

export function endpointLabel(state: FacebookState, req: Request): string {
  return classify(state, req.method, splitGraphPath(req.path).segments).label;
}

function toGraphCall(req: Request): GraphCall {
  const { version, segments } = splitGraphPath(req.path);
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    method: req.method,
    segments,
    params: { ...(req.query as Record<string, unknown>), ...body },
    version,
    baseUrl: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`,
    ...(req.get('authorization') ? { authorization: req.get('authorization') } : {}),
  };
}

function send(res: Response, reply: GraphReply): void {
  const locals = res.locals as SandboxLocals;
  if (reply.batchSize !== undefined) locals.batchSize = reply.batchSize;
  if (reply.batchWrites !== undefined) locals.batchWrites = reply.batchWrites;
  if (reply.fault) locals.fault = reply.fault;
  res.status(reply.status).set(reply.headers).json(reply.body);
}

/** Every Graph path, plain or batch, goes through the one router. */
export function graphHandler(state: FacebookState, router: GraphRouter, sandbox: Sandbox): RequestHandler {
  return (req, res) => {
    const call = toGraphCall(req);
    const isBatch = call.method === 'POST' && call.segments.length === 0;
    send(res, isBatch ? runBatch(router, state.tokens, call, () => sandbox.faults.itemFails()) : router.dispatch(call));
  };
}

function bucTypeOf(label: string): BucType {
  if (label.endsWith('/insights')) return 'ads_insights';
  if (/leadgen_forms|\/leads$|\{form_id\}|\{lead_id\}/.test(label)) return 'leadgen';
  return 'ads_management';
}

function sendError(res: Response, error: GraphError): void {
  res.status(error.httpStatus).set(error.headers).json(error.envelope());
}

/** The kit's injected faults, in Graph's own error shapes (§9). */
export function faultRenderer(state: FacebookState): FaultRenderer {
  return {
    rateLimit(res, retryAfterSeconds) {
      const route = classify(state, res.req.method, splitGraphPath(res.req.path).segments);
      const accountId = route.nodeId ? state.world.accountOf(route.nodeId) : undefined;
      sendError(
        res,
        accountId
          ? rateLimited({ bucKey: accountId.replace(/^act_/, ''), bucType: bucTypeOf(route.label), retryAfterSeconds, fault: 'rate_limit' })
          : rateLimited({ bucKey: state.world.app.id, retryAfterSeconds, fault: 'rate_limit' }),
      );
    },
    transient(res) {
      sendError(res, transientError());
    },
    expiredToken(res) {
      const now = state.world.nowSeconds();
      sendError(res, invalidToken(`Error validating access token: Session has expired at unix time ${now - 60}. The current unix time is ${now}.`, 463));
    },
  };
}
