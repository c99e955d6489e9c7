import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
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
    expect(Object.keys(services).sort()).toEqual(['api', 'mongodb', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services.mongodb!.image).toMatch(/^mongo:/);
    expect(services.worker!.build).toBe('.');
    expect(services.api!.build).toBe('.');
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

  it('the worker and the API run the same entry points as npm start', () => {
    expect(services.worker!.command).toEqual(['node', '--import', 'tsx', 'src/temporal/worker-main.ts']);
    expect(services.api!.command).toEqual(['node', '--import', 'tsx', 'src/api/main.ts']);
    for (const entry of ['src/temporal/worker-main.ts', 'src/api/main.ts']) expect(fs.existsSync(path.resolve(__dirname, '../..', entry))).toBe(true);
  });
});
