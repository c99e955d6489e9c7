import type { Connection } from 'mongoose';
import { registerSmokeRun } from './smoke-run';

/** Every model, registered on one connection (tests get their own database and connection). */
export function createModels(connection: Connection) {
  return {
    SmokeRun: registerSmokeRun(connection),
  };
}

export type Models = ReturnType<typeof createModels>;
