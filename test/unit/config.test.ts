import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { workerTuning } from '../../src/temporal/worker';

const KEY = Buffer.alloc(32, 7).toString('base64');
const valid = { ADMIN_API_TOKEN: 'a'.repeat(32), ENCRYPTION_KEYS: `k1:${KEY}` };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.variable);
  }
}

describe('config: one typed module, validated at start', () => {
  it('accepts a minimal valid environment and fills the embedded defaults', () => {
    const config = loadConfig(valid);
    expect(config.PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.ENCRYPTION_KEYS).toEqual([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
  });

  it('issue15-14 TRUST_PROXY: no proxy is trusted by default; a list of addresses, subnets and presets is kept', () => {
    expect(loadConfig(valid).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ ...valid, TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  });

  it.each([
    [{ ...valid, ADMIN_API_TOKEN: undefined }, 'ADMIN_API_TOKEN'],
    [{ ...valid, ADMIN_API_TOKEN: 'short' }, 'ADMIN_API_TOKEN'],
    [{ ...valid, ENCRYPTION_KEYS: 'k1:notbase64ofthirtytwobytes' }, 'ENCRYPTION_KEYS'],
    [{ ...valid, ENCRYPTION_KEYS: undefined }, 'ENCRYPTION_KEYS'],
    [{ ...valid, PORT: '70000' }, 'PORT'],
    [{ ...valid, PORT: 'abc' }, 'PORT'],
    [{ ...valid, TEMPORAL_ADDRESS: 'nohostport' }, 'TEMPORAL_ADDRESS'],
    [{ ...valid, MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ ...valid, FACEBOOK_GRAPH_URL: 'not a url' }, 'FACEBOOK_GRAPH_URL'],
    [{ ...valid, FACEBOOK_DIALOG_URL: 'not a url' }, 'FACEBOOK_DIALOG_URL'],
    [{ ...valid, GOOGLE_OAUTH_AUTHORIZE_URL: 'ftp://x' }, 'GOOGLE_OAUTH_AUTHORIZE_URL'],
    [{ ...valid, ADMIN_SESSION_TTL_MINUTES: '1' }, 'ADMIN_SESSION_TTL_MINUTES'],
    [{ ...valid, PLAN_TIER: 'gold' }, 'PLAN_TIER'],
    [{ ...valid, DATABASE_FLAVOR: 'postgres' }, 'DATABASE_FLAVOR'],
    [{ ...valid, WORKER_MAX_CACHED_WORKFLOWS: '-1' }, 'WORKER_MAX_CACHED_WORKFLOWS'],
    [{ ...valid, WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, 'WORKER_MAX_CONCURRENT_ACTIVITIES'],
    [{ ...valid, WORKER_MAX_CONCURRENT_ACTIVITIES: 'many' }, 'WORKER_MAX_CONCURRENT_ACTIVITIES'],
    [{ ...valid, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'],
    [{ ...valid, TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ ...valid, TEMPORAL_UI_CODEC_KEY: 'too-short' }, 'TEMPORAL_UI_CODEC_KEY'],
    [{ ...valid, TEMPORAL_UI_CODEC_KEY: 'has a space in it and is long enough 0123456789' }, 'TEMPORAL_UI_CODEC_KEY'],
    [{ ...valid, TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ ...valid, TRUST_PROXY: 'proxy.example.com' }, 'TRUST_PROXY'],
    [{ ...valid, METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ ...valid, WORKER_METRICS_PORT: '70000' }, 'WORKER_METRICS_PORT'],
    [{ ...valid, TEMPORAL_METRICS_PORT: 'nine' }, 'TEMPORAL_METRICS_PORT'],
  ])('rejects a bad value and names the variable (%#: %s)', (env, variable) => {
    expect(problemsOf(env as Record<string, string>)).toContain(variable);
  });

  it('worker tuning comes from configuration; the defaults are those of the shared development box', () => {
    expect(workerTuning(loadConfig(valid))).toEqual({ maxCachedWorkflows: 200, maxConcurrentActivityTaskExecutions: 50 });
    expect(
      workerTuning(loadConfig({ ...valid, WORKER_MAX_CACHED_WORKFLOWS: '5000', WORKER_MAX_CONCURRENT_ACTIVITIES: '400', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '120' })),
    ).toEqual({ maxCachedWorkflows: 5000, maxConcurrentActivityTaskExecutions: 400, maxConcurrentWorkflowTaskExecutions: 120 });
  });

  it('metrics endpoints: the worker and SDK ports are off unless configured, no token by default', () => {
    const config = loadConfig(valid);
    expect([config.WORKER_METRICS_PORT, config.TEMPORAL_METRICS_PORT, config.METRICS_TOKEN]).toEqual([0, 0, undefined]);
    const set = loadConfig({ ...valid, WORKER_METRICS_PORT: '9464', TEMPORAL_METRICS_PORT: '9465', METRICS_TOKEN: 'm'.repeat(32) });
    expect([set.WORKER_METRICS_PORT, set.TEMPORAL_METRICS_PORT, set.METRICS_TOKEN]).toEqual([9464, 9465, 'm'.repeat(32)]);
  });

  it('the console and OAuth settings default to the real networks and an 8-hour session', () => {
    const config = loadConfig(valid);
    expect(config.ADMIN_SESSION_TTL_MINUTES).toBe(480);
    expect(config.FACEBOOK_DIALOG_URL).toBe('https://www.facebook.com');
    expect(config.GOOGLE_OAUTH_AUTHORIZE_URL).toBe('https://accounts.google.com/o/oauth2/v2/auth');
  });

  it('the database flavor defaults to asking the server', () => {
    expect(loadConfig(valid).DATABASE_FLAVOR).toBe('auto');
    expect(loadConfig({ ...valid, DATABASE_FLAVOR: 'mongodb' }).DATABASE_FLAVOR).toBe('mongodb');
  });

  it('supports key rotation: several ids, the first encrypts', () => {
    const config = loadConfig({ ...valid, ENCRYPTION_KEYS: `new:${KEY},old:${Buffer.alloc(32, 1).toString('base64')}` });
    expect(config.ENCRYPTION_KEYS.map((k) => k.id)).toEqual(['new', 'old']);
  });

  it('a process started with bad config exits non-zero naming the variable', () => {
    const root = path.resolve(__dirname, '..', '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/api/main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, ENCRYPTION_KEYS: `k1:${KEY}`, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('ADMIN_API_TOKEN');
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
