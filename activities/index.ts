import type { Models } from '../src/db/models';
import { createSmokeActivities } from './smoke';

/** Everything activities need, injected once by the worker bootstrap (and by tests). */
export interface ActivityDeps {
  models: Models;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createSmokeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
