import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import type { Config } from '../../src/config';
import type { Database } from '../../src/db/connection';
import { createLogger, type Logger } from '../../src/logging';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { EncryptionCodec } from '../../src/temporal/codec';
import type { TestStack } from './stack';

/**
 * A second API server for one test, next to the file's stack: the same database and Temporal client
 * unless replaced, with configuration overrides (development mode, tiny rate limits, trusted proxies)
 * or a dependency that is down.
 */
export async function startApi(
  stack: TestStack,
  overrides: { config?: Partial<Config>; db?: Database; temporal?: Client; temporalReady?: () => Promise<boolean>; logger?: Logger } = {},
): Promise<RunningServer> {
  const config = { ...stack.config, ...overrides.config };
  return listen(
    createApp({
      config,
      logger: overrides.logger ?? createLogger({ level: 'silent' }),
      db: overrides.db ?? stack.db,
      temporal: overrides.temporal ?? stack.client,
      codec: await EncryptionCodec.create(config.ENCRYPTION_KEYS),
      temporalReady: overrides.temporalReady ?? (async () => true),
    }),
  );
}
