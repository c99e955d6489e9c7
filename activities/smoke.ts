import { createHash } from 'node:crypto';
import type { Models } from '../src/db/models';

export function createSmokeActivities(deps: { models: Pick<Models, 'SmokeRun'> }) {
  return {
    async recordSmokeRun(input: { workflowId: string; secret: string }): Promise<string> {
      const secretDigest = createHash('sha256').update(input.secret).digest('hex');
      await deps.models.SmokeRun.updateOne(
        { _id: input.workflowId },
        { $setOnInsert: { secretDigest, messages: [] } },
        { upsert: true },
      );
      return input.workflowId;
    },

    /** Returns the number of pings recorded; `$addToSet` keeps a retried activity from counting twice. */
    async recordSmokePing(input: { recordId: string; message: string }): Promise<number> {
      const run = await deps.models.SmokeRun.findOneAndUpdate(
        { _id: input.recordId },
        { $addToSet: { messages: input.message } },
        { new: true, lean: true },
      );
      return run?.messages.length ?? 0;
    },
  };
}
