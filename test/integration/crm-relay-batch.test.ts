import { beforeAll, describe, expect, it } from 'vitest';
import { lifecycleActivity, recordCrmActivities } from '../../src/contacts/crm-activity';
import { deliverCrmActivities, RELAY_BATCH } from '../../src/conversions/crm-relay';
import { createLogger } from '../../src/logging';
import { explainQuery } from '../support/explain';
import { useMonitoredDatabase } from '../support/monitored';
import { useStack } from '../support/stack';

/**
 * Issue 12: the CRM relay's batch read does not read the whole outbox. After a lead backfill the
 * outbox holds a row per new contact; sorted by `createdAt`, FerretDB v1 read and sorted all of them
 * for every batch of 200 (it pushes a limit down only for a find without filter and sort). The read
 * the relay sends is explained: on FerretDB's PostgreSQL handler the plan carries the limit, on
 * MongoDB it walks the `createdAt` index.
 */
describe('CRM relay batch read (issue 12)', () => {
  const stack = useStack();
  const monitored = useMonitoredDatabase(stack);
  const finds: Record<string, unknown>[] = [];

  beforeAll(() => {
    monitored.client.on('commandStarted', (event) => {
      if (event.commandName === 'find' && (event.command as { find: string }).find === 'crm_activity_outbox') finds.push(event.command);
    });
  });

  it('issue 12: the relay reads a batch of the outbox that the database limits itself (FerretDB: limit pushed down; MongoDB: the createdAt index)', async () => {
    const { models } = monitored;
    // Rows whose stage change no contact has yet: the relay reads them and leaves them waiting.
    const at = new Date();
    await recordCrmActivities(models, Array.from({ length: 3 }, (_, i) => lifecycleActivity(`relay-batch-${i}`, 'lead', at, 'lead_sync')));
    const round = await deliverCrmActivities({ models, temporal: stack.client, taskQueue: stack.taskQueue, logger: createLogger({ level: 'silent' }) });
    // (The stack's own relay, in this process, may hold some of them at this moment: they are skipped then.)
    expect(round.waiting).toBe(round.picked);

    expect(finds).toHaveLength(1);
    const find = finds[0]!;
    expect(find.limit).toBe(RELAY_BATCH);
    const plan = await explainQuery(stack.db.connection, {
      find: 'crm_activity_outbox',
      filter: (find.filter as Record<string, unknown> | undefined) ?? {},
      ...(find.sort ? { sort: find.sort as Record<string, unknown> } : {}),
      limit: RELAY_BATCH,
    });
    if (plan.kind === 'unknown') return; // FerretDB on SQLite explains no plan (ADTRACK_EMBEDDED_DB=sqlite)
    if (plan.kind === 'postgresql') expect(plan.nodes, JSON.stringify(plan.nodes)).toContain('Limit');
    else expect(plan, JSON.stringify(plan.nodes)).toMatchObject({ usesIndex: true, scansCollection: false });
  });
});
