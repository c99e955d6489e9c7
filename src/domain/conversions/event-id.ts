/**
 * Stable event ids (CONV-7). The id is the dedup key at every network — Facebook `event_id`
 * (§8.5, with `event_name`), Google `orderId` (§4.2), LinkedIn `eventId` (§4.2) — and in our own
 * ledger, so the same activity always yields the same id: a form submission seen twice, a retried
 * request or a replayed workflow can never count twice.
 *
 * Pure JavaScript (no `node:crypto`) so workflow code can compute it. Ids are bounded in length
 * and carry no personal data.
 */
import type { CrmActivity } from './types';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a, 64 bit, over the UTF-16 code units of `text` (two octets each, high first). */
function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    for (const octet of [unit >> 8, unit & 0xff]) {
      hash ^= BigInt(octet);
      hash = (hash * FNV_PRIME) & MASK_64;
    }
  }
  return hash.toString(16).padStart(16, '0');
}

/** 128 bits from two salted 64-bit digests: collisions stay negligible at any realistic volume. */
function digest128(key: string): string {
  return fnv1a64(`a|${key}`) + fnv1a64(`b|${key}`);
}

/**
 * Lifecycle: definition + contact + stage (a contact reaching a stage is one event, however often
 * it is re-entered). Form: definition + submission id.
 */
export function conversionEventId(namespace: string, activity: CrmActivity): string {
  if (activity.kind === 'lifecycle_stage') {
    return `ls-${digest128(JSON.stringify([namespace, 'stage', activity.contactId, activity.stage]))}`;
  }
  return `fs-${digest128(JSON.stringify([namespace, 'form', activity.submissionId]))}`;
}
