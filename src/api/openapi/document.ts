import { z } from 'zod';
import { OPERATIONS, type Operation } from './operations';
import { errorEnvelope } from './responses';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request',
  401: 'Missing or wrong bearer token / signature',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Understood but refused',
  429: 'Rate-limited (see Retry-After)',
  500: 'Internal error (no details; the X-Request-Id identifies it in the logs)',
  502: 'The ad network could not be reached',
  503: 'A dependency is unavailable; nothing was stored, retry after Retry-After',
};

/** Express `:param` → OpenAPI `{param}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

function inputSchema(schema: z.ZodType): JsonSchema {
  // Requests are described as callers send them (before defaults and transforms run).
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** A response schema is a component (`.meta({ id })` in responses.ts), referenced by `$ref`. */
function outputSchema(schema: z.ZodType): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('Every response schema needs an id (.meta({ id })) to become a component');
  return { $ref: `${COMPONENT_PREFIX}${id}` };
}

function parameters(op: Operation): JsonSchema[] {
  const names = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const path = names.map((name) => ({ name, in: 'path', required: true, schema: op.params?.[name] ? inputSchema(op.params[name]) : { type: 'string' } }));
  const query = Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !isOptional(schema as z.ZodType),
    schema: inputSchema(schema as z.ZodType),
  }));
  return [...path, ...query];
}

function errorResponses(op: Operation): Record<string, JsonSchema> {
  const errors: Record<number, string[]> = { ...op.errors, 500: ['internal_error'] };
  if (op.security === 'admin') errors[401] = ['unauthorized'];
  return Object.fromEntries(
    Object.entries(errors).map(([status, codes]) => [
      status,
      {
        description: `${ERROR_DESCRIPTIONS[Number(status)] ?? 'Error'}. \`error.code\`: ${codes.map((c) => `\`${c}\``).join(', ')}`,
        content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}Error` } } },
        'x-error-codes': codes,
      },
    ]),
  );
}

function operationObject(op: Operation): JsonSchema {
  const ok = Object.fromEntries(
    Object.entries(op.ok).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: outputSchema(response.schema) } } } : response.mediaType ? { content: { [response.mediaType]: { schema: { type: 'string' } } } } : {}),
      },
    ]),
  );
  const params = parameters(op);
  return {
    operationId: `${op.method.toLowerCase()}${openApiPath(op.path).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    security: op.security === 'admin' ? [{ adminToken: [] }] : op.security === 'metrics' ? [{ metricsToken: [] }, {}] : op.security === 'session' ? [{ adminSession: [] }] : [],
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: op.bodyRequired ?? false, content: { 'application/json': { schema: inputSchema(op.body) } } } } : {}),
    responses: { ...ok, ...errorResponses(op) },
  };
}

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document, generated once from the operation table and its zod schemas. */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  // Touch the envelope so its id is registered before the registry is exported.
  void errorEnvelope;
  const components = z.toJSONSchema(z.globalRegistry, { uri: (id) => `${COMPONENT_PREFIX}${id}`, unrepresentable: 'any' }) as { schemas: Record<string, JsonSchema> };
  // Components are addressed by their place in the document, not by a JSON Schema `$id`.
  for (const schema of Object.values(components.schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const path = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method.toLowerCase()]: operationObject(op) };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'adtrack API',
      version: '0.1.0',
      description:
        'Connects ad accounts, keeps tracking parameters on every ad, syncs leads and sends conversions back. Every error is `{ "error": { "code", "message", "details" } }`; each response lists the codes it can carry.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (when configured)' },
        adminSession: { type: 'apiKey', in: 'cookie', name: 'adtrack_session', description: 'the console session (POST /admin/sign-in); without it a page redirects to sign-in' },
      },
    },
  };
  return cached;
}
