import { selectionFrom, type FieldSelection } from './fields';
import { GraphError, invalidParameter, nonexistentNode, rateLimited, unknownField, type BucType } from './graph-error';
import type { PageLinks } from './paging';
import type { FacebookState } from './state';
import type { AuthContext } from './tokens';
import type { NodeType } from './world';

/** One Graph call, whether it came over HTTP or as an operation inside a batch (§5). */
export interface GraphCall {
  method: string;
  /** Path segments after the optional `vNN.0` prefix. */
  segments: string[];
  /** Query and body parameters merged; structured values may still be JSON strings. */
  params: Record<string, unknown>;
  /** `v25.0`, or '' for an unversioned call. */
  version: string;
  baseUrl: string;
  /** `Authorization` header, when the caller used one instead of `access_token`. */
  authorization?: string;
}

export interface GraphReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  fault?: 'expired_token' | 'rate_limit' | 'transient';
  /** Events or operations the call carried, for the request log. */
  batchSize?: number;
  /** Of a batch's operations, those that write. */
  batchWrites?: number;
}

export interface GraphRoute {
  handler: (ctx: RouteContext) => unknown;
  /** Needs a user or Page token (everything but the OAuth endpoints). */
  auth: boolean;
  /** The business use case the call is counted against, when it is scoped to an ad account. */
  buc?: BucType;
}

export type RouteTable = Record<string, GraphRoute>;

type Target = 'root' | 'me' | 'act' | 'oauth' | 'debug_token' | NodeType | 'unknown';

export interface ClassifiedCall {
  /** Route table key, e.g. `GET act/ads`, `POST ad`. */
  key: string;
  /** Request-log label, e.g. `GET /act_{id}/ads`, `POST /{ad_id}`. */
  label: string;
  target: Target;
  nodeId?: string;
  edge?: string;
}

const LABELS: Record<Target, string> = {
  root: '',
  me: 'me',
  act: 'act_{id}',
  oauth: 'oauth',
  debug_token: 'debug_token',
  ad: '{ad_id}',
  adset: '{adset_id}',
  campaign: '{campaign_id}',
  creative: '{creative_id}',
  page: '{page_id}',
  form: '{form_id}',
  lead: '{lead_id}',
  pixel: '{pixel_id}',
  user: '{user_id}',
  business: '{business_id}',
  unknown: '{id}',
};

export function classify(state: FacebookState, method: string, segments: string[]): ClassifiedCall {
  const [head, edge] = segments;
  if (head === undefined) {
    return method === 'POST' ? { key: 'POST root', label: 'POST /batch', target: 'root' } : { key: `${method} root`, label: `${method} /?ids`, target: 'root' };
  }
  const target: Target =
    head === 'me' ? 'me'
    : head === 'oauth' ? 'oauth'
    : head === 'debug_token' ? 'debug_token'
    : head.startsWith('act_') ? 'act'
    : (state.world.nodeType(head) ?? 'unknown');
  const tail = segments.slice(1).join('/');
  return {
    key: `${method} ${target}${tail ? `/${tail}` : ''}`,
    label: `${method} /${LABELS[target]}${tail ? `/${tail}` : ''}`,
    target,
    ...(target !== 'me' && target !== 'oauth' && target !== 'debug_token' ? { nodeId: head } : {}),
    ...(edge !== undefined ? { edge } : {}),
  };
}

/**
 * Parameters Graph ignores, as tools built on Meta's SDK send them: the SDK posts the object's own
 * `id` with every object update and edge create (`POST /act_1/adcreatives` with id=act_1), and JSON
 * `null` for optional parameters it has no value for (the Conversions API's test_event_code,
 * partner_agent, ...). An `id` naming another object is still a parameter the route must accept.
 */
function ignoredByGraph(params: Record<string, unknown>, nodeId: string | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).filter(([key, value]) => value !== null && !(key === 'id' && nodeId !== undefined && String(value as string) === nodeId)),
  );
}

/** What a route handler sees: parameters, the caller, and access-checked lookups. */
export class RouteContext {
  readonly headers: Record<string, string> = {};
  /** Set by handlers of bulk endpoints (Conversions API) for the request log. */
  batchSize?: number;
  private authContext?: AuthContext;

  constructor(
    readonly state: FacebookState,
    readonly call: GraphCall,
    readonly route: ClassifiedCall,
  ) {}

  get world() {
    return this.state.world;
  }

  get params(): Record<string, unknown> {
    return this.call.params;
  }

  get nodeId(): string {
    if (!this.route.nodeId) throw new Error(`route ${this.route.key} has no node id`);
    return this.route.nodeId;
  }

  auth(): AuthContext {
    this.authContext ??= this.state.tokens.authenticate(this.accessToken(), this.params.appsecret_proof);
    return this.authContext;
  }

  /** Throws the same "does not exist" error for unknown ids and ids the token may not see. */
  requireVisible(nodeId: string): string {
    const accountId = this.world.accountOf(nodeId);
    if (!accountId || !this.auth().canSeeAccount(accountId)) throw nonexistentNode(nodeId, this.call.method);
    return accountId;
  }

  selection(): FieldSelection[] | undefined {
    return selectionFrom(this.params);
  }

  string(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidParameter(`Param ${name} must be a string`);
    return value;
  }

  /** Structured params arrive as JSON strings in form bodies and query strings (§0). */
  json(name: string): unknown {
    const value = this.params[name];
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw invalidParameter(`Param ${name} must be a JSON encoded value`);
    }
  }

  /** Only these parameters may be sent to this endpoint. */
  allowParams(allowed: readonly string[]): void {
    const always = ['access_token', 'appsecret_proof', 'fields', 'method', 'format', 'suppress_http_code', 'pretty'];
    for (const name of Object.keys(this.params)) {
      if (!allowed.includes(name) && !always.includes(name)) throw invalidParameter(`Param ${name} is not a valid parameter`);
    }
  }

  links(): PageLinks {
    const path = [this.call.version, ...this.call.segments].filter(Boolean).join('/');
    return { baseUrl: this.call.baseUrl, path, params: this.params };
  }

  private accessToken(): string | undefined {
    const fromParams = this.params.access_token;
    if (typeof fromParams === 'string' && fromParams) return fromParams;
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(this.call.authorization ?? '');
    return match?.[1];
  }
}

/** Runs Graph calls against the route table; shared by plain HTTP requests and batch operations. */
export class GraphRouter {
  constructor(
    private readonly state: FacebookState,
    private readonly routes: RouteTable,
  ) {}

  dispatch(received: GraphCall): GraphReply {
    const route = classify(this.state, received.method, received.segments);
    const call = { ...received, params: ignoredByGraph(received.params, route.nodeId) };
    const ctx = new RouteContext(this.state, call, route);
    const batchSize = () => (ctx.batchSize !== undefined ? { batchSize: ctx.batchSize } : {});
    try {
      const entry = this.routes[route.key];
      if (!entry) throw this.noRoute(route, call.method);
      if (entry.auth) {
        ctx.auth();
        Object.assign(ctx.headers, this.state.appUsage.charge(this.state.world.nowMs()));
      }
      if (entry.buc && route.nodeId) this.chargeUsage(ctx, route.nodeId, entry.buc);
      const body = entry.handler(ctx);
      return { status: 200, body, headers: ctx.headers, ...batchSize() };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      return {
        status: error.httpStatus,
        body: error.envelope(),
        headers: error.headers,
        ...(error.fault ? { fault: error.fault } : {}),
        ...batchSize(),
      };
    }
  }

  private chargeUsage(ctx: RouteContext, nodeId: string, buc: BucType): void {
    const accountId = ctx.requireVisible(nodeId);
    const usage = this.state.usage.charge(accountId, ctx.call.method !== 'GET', buc, this.state.world.nowMs());
    if (usage.blockedForSeconds > 0) {
      throw rateLimited({ bucKey: accountId.replace(/^act_/, ''), bucType: buc, retryAfterSeconds: usage.blockedForSeconds });
    }
    Object.assign(ctx.headers, usage.headers);
  }

  private noRoute(route: ClassifiedCall, method: string): GraphError {
    if (route.target === 'unknown' || !route.edge) return nonexistentNode(route.nodeId ?? '', method);
    return unknownField(route.edge, route.target);
  }
}
