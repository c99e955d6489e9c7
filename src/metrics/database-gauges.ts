import { Gauge, type Registry } from 'prom-client';
import type { Models } from '../db/models';
import { boundedReason, registry as defaultRegistry } from './registry';

type GaugeModels = Pick<Models, 'Ad' | 'AdAccount'>;

const NAMES = ['adtrack_ads', 'adtrack_accounts', 'adtrack_sweep_lag_seconds'] as const;

/**
 * State an operator alerts on, read from the database when Prometheus scrapes (one aggregate over ads,
 * one small read of the accounts), so every worker/API replica reports the same truth and a restart
 * loses nothing. Only the worker registers them (the API would report the same numbers twice).
 */
export function registerDatabaseGauges(models: GaugeModels, now: () => number = Date.now, registry: Registry = defaultRegistry): void {
  // Idempotent per process: tests start several stacks in one process.
  for (const name of NAMES) registry.removeSingleMetric(name);

  new Gauge({
    name: 'adtrack_ads',
    help: 'Ads by tracking status and reason code per network (from the database at scrape time)',
    labelNames: ['network', 'tracking_status', 'reason'] as const,
    registers: [registry],
    async collect() {
      const groups = await models.Ad.aggregate<{ _id: { network: string; status: string; reason?: string | null }; count: number }>([
        { $group: { _id: { network: '$network', status: '$trackingStatus', reason: '$reason.code' }, count: { $sum: 1 } } },
      ]);
      this.reset();
      for (const g of groups) this.set({ network: g._id.network, tracking_status: g._id.status, reason: boundedReason(g._id.reason) }, g.count);
    },
  });

  // The accounts read once per scrape serves both account gauges.
  let accountsRead: Promise<{ network: string; status: string; lastSweepAt: Date | null; connectedAt: Date }[]> | undefined;
  const readAccounts = () => {
    accountsRead ??= models.AdAccount.find({}, { network: 1, status: 1, lastSweepAt: 1, connectedAt: 1 })
      .lean<{ network: string; status: string; lastSweepAt: Date | null; connectedAt: Date }[]>()
      .finally(() => setImmediate(() => (accountsRead = undefined)));
    return accountsRead;
  };

  new Gauge({
    name: 'adtrack_accounts',
    help: 'Connected ad accounts by status (active | needs_reconnect | disconnected) per network',
    labelNames: ['network', 'status'] as const,
    registers: [registry],
    async collect() {
      const accounts = await readAccounts();
      this.reset();
      const counts = new Map<string, { network: string; status: string; n: number }>();
      for (const a of accounts) {
        const key = `${a.network}\u0000${a.status}`;
        const entry = counts.get(key) ?? { network: a.network, status: a.status, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      for (const { network, status, n } of counts.values()) this.set({ network, status }, n);
    },
  });

  new Gauge({
    name: 'adtrack_sweep_lag_seconds',
    help: 'Oldest sweep among active accounts per network: now - last completed sweep (connection time before the first)',
    labelNames: ['network'] as const,
    registers: [registry],
    async collect() {
      const accounts = await readAccounts();
      this.reset();
      const lag = new Map<string, number>();
      for (const a of accounts) {
        if (a.status !== 'active') continue;
        const since = new Date(a.lastSweepAt ?? a.connectedAt).getTime();
        const seconds = Math.max(0, (now() - since) / 1000);
        lag.set(a.network, Math.max(lag.get(a.network) ?? 0, seconds));
      }
      for (const [network, seconds] of lag) this.set({ network }, seconds);
    },
  });
}
