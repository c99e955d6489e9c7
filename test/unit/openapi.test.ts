import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { openApiDocument, openApiPath } from '../../src/api/openapi/document';
import { OPERATIONS } from '../../src/api/openapi/operations';
import { registeredRoutes } from '../../src/metrics/routes';
import { listen } from '../../src/sandboxes/kit/sandbox-app';
import type { ApiContext } from '../../src/api/context';

const config = loadConfig({ NODE_ENV: 'test', ADMIN_API_TOKEN: 'a'.repeat(32), ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` });
// Routes are only listed and the static contract pages served: nothing reaches Temporal or the database.
const app = createApp({ config, logger: createLogger({ level: 'silent' }), db: {}, temporal: {}, codec: {}, temporalReady: async () => false } as unknown as ApiContext);

describe('OpenAPI contract (issue 14): one source of truth with the routes', () => {
  it('GET /openapi.json validates as OpenAPI 3.1', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does refuse a broken document (info is required).
    const broken = structuredClone(openApiDocument()) as any;
    delete broken.info;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('every registered Express route is documented and every documented route is registered', () => {
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const registered = new Set(registeredRoutes(app).map(key));
    const documented = new Set(OPERATIONS.map(key));
    expect([...registered].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r)).sort()).toEqual([]);
    expect(documented.size).toBe(OPERATIONS.length);
  });

  it('every operation documents its auth, its error envelope and the error codes it answers', () => {
    const document = openApiDocument() as any;
    for (const op of OPERATIONS) {
      const operation = document.paths[openApiPath(op.path)][op.method.toLowerCase()];
      expect(operation.security, `${op.method} ${op.path}`).toEqual(op.security === 'admin' ? [{ adminToken: [] }] : op.security === 'metrics' ? [{ metricsToken: [] }, {}] : op.security === 'session' ? [{ adminSession: [] }] : []);
      expect(operation.responses['500']['x-error-codes']).toEqual(['internal_error']);
      if (op.security === 'admin') expect(operation.responses['401']['x-error-codes']).toEqual(['unauthorized']);
      for (const response of Object.values<any>(operation.responses)) {
        if (response['x-error-codes']) expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
      if (op.body) expect(operation.requestBody.content['application/json'].schema.type ?? operation.requestBody.content['application/json'].schema.anyOf).toBeDefined();
    }
  });

  it('request bodies are the zod schemas the routes parse with (a field the route refuses is refused by the document)', () => {
    const document = openApiDocument() as any;
    const toggle = document.paths['/api/accounts/{id}/auto-tracking'].post.requestBody.content['application/json'].schema;
    expect(toggle).toMatchObject({ type: 'object', properties: { enabled: { type: 'boolean' } }, required: ['enabled'] });
    const ads = document.paths['/api/accounts/{id}/ads'].get.parameters.find((p: any) => p.name === 'trackingStatus');
    expect(ads.schema.enum.sort()).toEqual(['error', 'excluded', 'pending', 'tracked']);
  });

  it('serves the document and a reference page whose assets come from this server only', async () => {
    const server = await listen(app);
    try {
      const doc = await fetch(`${server.url}/openapi.json`);
      expect(doc.status).toBe(200);
      expect(await doc.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
      const page = await (await fetch(`${server.url}/docs`)).text();
      const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) {
        expect(source.startsWith('/')).toBe(true);
        expect((await fetch(`${server.url}${source}`)).status, source).toBe(200);
      }
      const missing = await fetch(`${server.url}/docs/assets/nothing-here.js`);
      expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'route_not_found']);
    } finally {
      await server.close();
    }
  });
});
