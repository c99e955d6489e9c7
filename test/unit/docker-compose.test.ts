import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parser as promql } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { registerDatabaseGauges } from '../../src/metrics/database-gauges';
import { registry } from '../../src/metrics/registry';

interface Service {
  secrets?: string[];
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
    expect(Object.keys(services).sort()).toEqual(['api', 'grafana', 'mongodb', 'postgresql', 'prometheus', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
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

  it('the UI decodes payloads through the API codec endpoint, with the UI codec key the API is given too (issue 15 #12)', () => {
    expect(services['temporal-ui']!.environment!.TEMPORAL_CODEC_ENDPOINT).toBe('http://localhost:3000/codec/ui/${TEMPORAL_UI_CODEC_KEY:?set TEMPORAL_UI_CODEC_KEY}');
    expect(services.api!.environment!.TEMPORAL_UI_CODEC_KEY).toBe('${TEMPORAL_UI_CODEC_KEY:?set TEMPORAL_UI_CODEC_KEY}');
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
    // `${VAR:-default}` as compose fills it when VAR is unset; the secrets come from .env.
    const interpolated = Object.fromEntries(
      Object.entries(services[name]!.environment!).map(([key, value]) => [key, String(value).replace(/\$\{\w+(?::-([^}]*))?(?::\?[^}]*)?\}/g, (_m, fallback?: string) => fallback ?? '')]),
    );
    const config = loadConfig({
      ...interpolated,
      ADMIN_API_TOKEN: 'x'.repeat(24),
      ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
      METRICS_TOKEN: 'm'.repeat(24),
      TEMPORAL_UI_CODEC_KEY: 'u'.repeat(48),
    });
    expect(config.DATABASE_FLAVOR).toBe('mongodb');
    const defaults = loadConfig({ ADMIN_API_TOKEN: 'x'.repeat(24), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` });
    expect(config.WORKER_MAX_CACHED_WORKFLOWS).toBeGreaterThan(defaults.WORKER_MAX_CACHED_WORKFLOWS);
    expect(config.WORKER_MAX_CONCURRENT_ACTIVITIES).toBeGreaterThan(defaults.WORKER_MAX_CONCURRENT_ACTIVITIES);
  });
});

describe('ops/ (issue 14): Prometheus and Grafana provisioned with alert rules and a dashboard over metrics the code defines', () => {
  const ops = (file: string) => fs.readFileSync(path.resolve(__dirname, '../../ops', file), 'utf8');
  const prometheus = parse(ops('prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; authorization?: { credentials_file: string }; static_configs: { targets: string[] }[] }[];
  };
  const rules = (parse(ops('prometheus/alerts.yml')) as { groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[] }).groups.flatMap((g) => g.rules);
  const dashboard = JSON.parse(ops('grafana/dashboards/adtrack.json')) as { uid: string; panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[] };
  const datasources = (parse(ops('grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; url: string }[] }).datasources;

  // Every metric the processes can expose: the registry, with the database gauges the worker adds.
  registerDatabaseGauges({} as never);
  const defined = new Set(registry.getMetricsAsArray().map((m) => m.name));
  /** PromQL syntax as Prometheus's own (lezer) grammar reads it: no error node anywhere. */
  const promqlProblems = (expr: string) => {
    let problems = 0;
    promql.parse(expr).iterate({ enter: (node) => void (node.type.isError && (problems += 1)) });
    return problems;
  };
  const adtrackMetrics = (expr: string) => [...expr.matchAll(/\badtrack_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''));

  it('Prometheus scrapes the API, the worker metrics port and the Temporal SDK port the compose file configures', () => {
    const targets = Object.fromEntries(prometheus.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
    const worker = services.worker!.environment!;
    expect(targets).toEqual({
      'adtrack-api': [`api:${String(services.api!.environment!.PORT)}`],
      'adtrack-worker': [`worker:${String(worker.WORKER_METRICS_PORT)}`],
      'temporal-sdk': [`worker:${String(worker.TEMPORAL_METRICS_PORT)}`],
    });
    // The production /metrics endpoints need METRICS_TOKEN: Prometheus reads it from the compose secret.
    for (const job of prometheus.scrape_configs.filter((j) => j.job_name.startsWith('adtrack'))) expect(job.authorization?.credentials_file).toBe('/run/secrets/metrics_token');
    expect(services.prometheus!.secrets).toEqual(['metrics_token']);
    expect((compose as unknown as { secrets: Record<string, { environment: string }> }).secrets.metrics_token!.environment).toBe('METRICS_TOKEN');
    expect(services.prometheus!.volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });

  it('the alert rules cover the issue\'s alerts and read only metrics the code defines', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'AdtrackAccountsNeedReconnect',
      'AdtrackConversionsFailing',
      'AdtrackLeadReconciliationFoundMissing',
      'AdtrackSweepLagHigh',
      'AdtrackTaggingErrorsRising',
      'AdtrackWorkerDown',
    ]);
    for (const rule of rules) {
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toBeTruthy();
      expect(promqlProblems(rule.expr), rule.alert).toBe(0);
      for (const metric of adtrackMetrics(rule.expr)) expect(defined, `${rule.alert}: ${metric}`).toContain(metric);
      for (const [, job] of rule.expr.matchAll(/job="([^"]+)"/g)) expect(prometheus.scrape_configs.map((j) => j.job_name)).toContain(job);
    }
    expect(rules.find((r) => r.alert === 'AdtrackSweepLagHigh')!.expr).toMatch(/adtrack_sweep_lag_seconds\) > 300/);
    expect(promqlProblems('sum by (network (rate(adtrack_sweeps_completed_total[5m]))')).toBeGreaterThan(0);
  });

  it('the dashboard queries reference existing metrics through the provisioned data source', () => {
    expect(datasources.map((d) => d.url)).toEqual(['http://prometheus:9090']);
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(datasources[0]!.uid);
      for (const target of panel.targets) {
        expect(promqlProblems(target.expr), `${panel.title}: ${target.expr}`).toBe(0);
        for (const metric of adtrackMetrics(target.expr)) queried.add(metric);
      }
    }
    expect([...queried].filter((m) => !defined.has(m))).toEqual([]);
    // Every product metric is on the dashboard.
    expect([...defined].filter((m) => m.startsWith('adtrack_') && !queried.has(m))).toEqual([]);
    const provider = (parse(ops('grafana/provisioning/dashboards/adtrack.yml')) as { providers: { options: { path: string } }[] }).providers[0]!;
    expect(services.grafana!.volumes).toContain(`./ops/grafana/dashboards:${provider.options.path}:ro`);
    expect(services.grafana!.volumes).toContain('./ops/grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
