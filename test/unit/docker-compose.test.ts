import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, unknown>;
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

describe('docker-compose.yml (OPS-4): kept correct without a Docker engine', () => {
  it('has Temporal on PostgreSQL, the Web UI, MongoDB, the worker and the API', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'mongodb', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services.mongodb!.image).toMatch(/^mongo:/);
    expect(services.worker!.build).toBe('.');
    expect(services.api!.build).toBe('.');
  });

  it('uses the server image, not the retired auto-setup one; admin-tools of the same version sets up the schema first and registers the namespace', () => {
    const images = Object.values(services).map((s) => s.image ?? '');
    expect(images.filter((image) => image.includes('auto-setup'))).toEqual([]);
    const version = services.temporal!.image!.split(':')[1];
    for (const name of ['temporal-schema', 'temporal-namespace']) expect(services[name]!.image).toBe(`temporalio/admin-tools:${version}`);
    expect(services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    for (const name of ['worker', 'api', 'temporal-ui']) {
      expect(services[name]!.depends_on).toMatchObject({ 'temporal-namespace': { condition: 'service_completed_successfully' } });
    }
    const script = (name: string) => {
      const mount = services[name]!.volumes!.map((v) => v.split(':')).find(([, target]) => services[name]!.command!.join(' ').includes(target!))!;
      return fs.readFileSync(path.resolve(__dirname, '../..', mount[0]!, path.relative(mount[1]!, services[name]!.command!.at(-1)!)), 'utf8');
    };
    const schema = script('temporal-schema');
    for (const db of ['temporal', 'temporal_visibility']) expect(schema).toContain(db);
    expect(schema).toMatch(/temporal-sql-tool --plugin postgres12/);
    expect(schema).toMatch(/update-schema -d "\$\{SCHEMA_DIR\}/);
    expect(script('temporal-namespace')).toMatch(/temporal operator namespace create -n "\$NAMESPACE"/);
    // The namespace it registers is the one the app uses.
    expect(services['temporal-namespace']!.environment!.TEMPORAL_NAMESPACE).toBe(services.worker!.environment!.TEMPORAL_NAMESPACE);
  });

  it('publishes the documented ports', () => {
    expect(services.temporal!.ports).toContain('7233:7233');
    expect(services['temporal-ui']!.ports).toContain('8080:8080');
    expect(services.mongodb!.ports).toContain('27017:27017');
    expect(services.api!.ports).toContain('3000:3000');
  });

  it('the UI decodes payloads through the API codec endpoint', () => {
    expect(services['temporal-ui']!.environment!.TEMPORAL_CODEC_ENDPOINT).toBe('http://localhost:3000/codec');
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(['api', 'worker'])('%s gets only variables the config module knows, and every required one', (name) => {
    const env = services[name]!.environment!;
    const known = new Set<string>(CONFIG_VARIABLES);
    expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
    for (const required of ['ADMIN_API_TOKEN', 'ENCRYPTION_KEYS', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'MONGODB_URI']) {
      expect(env).toHaveProperty(required);
    }
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.MONGODB_URI).toBe('mongodb://mongodb:27017/adtrack');
  });

  it('the worker and the API run the compiled entry points of the image (test/unit/production-build.test.ts checks them against the build)', () => {
    expect(services.worker!.command).toEqual(['node', 'dist/src/temporal/worker-main.js']);
    expect(services.api!.command).toEqual(['node', 'dist/src/api/main.js']);
  });

  it.each(['api', 'worker'])('%s: the values are valid configuration, on MongoDB without the FerretDB workarounds, worker limits sized for a server', (name) => {
    // `${VAR:-default}` as compose fills it when VAR is unset; the two secrets come from .env.
    const interpolated = Object.fromEntries(
      Object.entries(services[name]!.environment!).map(([key, value]) => [key, String(value).replace(/\$\{\w+(?::-([^}]*))?(?::\?[^}]*)?\}/g, (_m, fallback?: string) => fallback ?? '')]),
    );
    const config = loadConfig({ ...interpolated, ADMIN_API_TOKEN: 'x'.repeat(24), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` });
    expect(config.DATABASE_FLAVOR).toBe('mongodb');
    const defaults = loadConfig({ ADMIN_API_TOKEN: 'x'.repeat(24), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` });
    expect(config.WORKER_MAX_CACHED_WORKFLOWS).toBeGreaterThan(defaults.WORKER_MAX_CACHED_WORKFLOWS);
    expect(config.WORKER_MAX_CONCURRENT_ACTIVITIES).toBeGreaterThan(defaults.WORKER_MAX_CONCURRENT_ACTIVITIES);
  });
});
