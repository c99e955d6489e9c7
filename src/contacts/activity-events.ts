import type { ApiContext } from '../api/context';

/**
 * CRM activity pub/sub: the contacts/visitors layer emits these after it has stored the change;
 * other areas (conversion events) subscribe. Listeners run sequentially; a failing listener is
 * logged and never breaks the emitting request or the other listeners.
 */
export type CrmActivity =
  | { kind: 'lifecycle_stage'; contactId: string; stage: string; at: Date }
  | {
      kind: 'form_submission';
      contactId: string;
      formId: string;
      submissionId: string;
      at: Date;
      pageUrl: string | null;
      userAgent: string | null;
      ip: string | null;
    };

export type CrmActivityListener = (ctx: ApiContext, activity: CrmActivity) => Promise<void>;

const listeners = new Set<CrmActivityListener>();

/** Registers a listener; returns a function that removes it again. */
export function registerCrmActivityListener(listener: CrmActivityListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Calls every registered listener; errors are logged (without personal data) and swallowed. */
export async function emitCrmActivity(ctx: ApiContext, activity: CrmActivity): Promise<void> {
  for (const listener of [...listeners]) {
    try {
      await listener(ctx, activity);
    } catch (err) {
      ctx.logger.warn(
        { kind: activity.kind, contactId: activity.contactId, err: err instanceof Error ? err.message : String(err) },
        'crm activity listener failed',
      );
    }
  }
}
