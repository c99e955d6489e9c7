import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from '../config';
import type { Database } from '../db/connection';
import type { Logger } from '../logging';

/** What route handlers need; built once at boot and injected (tests build their own). */
export interface ApiContext {
  config: Config;
  logger: Logger;
  db: Database;
  temporal: Client;
  codec: PayloadCodec;
  /** Readiness of Temporal; the database is checked with `db.ping()`. */
  temporalReady(): Promise<boolean>;
}
