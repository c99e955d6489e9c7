import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  // Temporal's native bridge is not safe under worker threads (sdk-typescript#876).
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two cores: at most two test files at once, across both projects.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        // Pure logic and sandbox contracts: no Temporal, no database.
        test: { ...shared, name: 'fast', include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        // Real Temporal dev server + real FerretDB, started once in global setup.
        test: {
          ...shared,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          hookTimeout: 180_000,
          testTimeout: 120_000,
        },
      },
      {
        // The fault suite: its own stack of separate processes (test/faults/support/fault-stack.ts).
        test: { ...shared, name: 'faults', include: ['test/faults/**/*.test.ts'], hookTimeout: 400_000, testTimeout: 420_000 },
      },
    ],
  },
});
