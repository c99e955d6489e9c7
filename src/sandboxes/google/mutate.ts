import { adsError, GoogleApiError, partialFailureError, type AdsErrorEntry, type FieldPathElement } from './envelope';
import { MUTABLE_KINDS, type MutableKind, type MutableEntity, type FieldSpec } from './mutable-kinds';
import type { GoogleWorld } from './world';

/**
 * campaigns:mutate, adGroups:mutate, ads:mutate and customers/{id}:mutate (reference §3.2, §3.3):
 * updates only, updateMask semantics (a masked field absent from the body is cleared, lists are
 * replaced wholesale), URL validation, validateOnly, partialFailure and the 10,000-operation cap.
 */

export const MAX_MUTATE_OPERATIONS = 10_000;

export interface MutateContext {
  world: GoogleWorld;
  customerId: string;
  version: string;
  requestId: string;
  /** Rolls the per-item fault dice (kit's batchItemFailureRate) → CONCURRENT_MODIFICATION. */
  itemFails(): boolean;
}

interface PlannedUpdate {
  index: number;
  entity: MutableEntity;
  resourceName: string;
  changes: { spec: FieldSpec; value: unknown }[];
}

const camelOf = (path: string) => path.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function planOperation(
  ctx: MutateContext,
  kind: MutableKind,
  raw: unknown,
  at: FieldPathElement[],
  seen: Set<string>,
): { plan?: Omit<PlannedUpdate, 'index'>; errors: AdsErrorEntry[] } {
  const op = (raw ?? {}) as Record<string, unknown>;
  const fail = (family: string, code: string, message: string, extra: FieldPathElement[] = [], trigger?: string) => ({
    errors: [adsError(family, code, message, [...at, ...extra], trigger)],
  });
  if (op.create !== undefined || op.remove !== undefined) {
    // The sandbox models tracking edits only; creating/removing entities happens through /_sandbox routes.
    return fail('mutateError', 'MUTATE_NOT_ALLOWED', 'Mutates are not allowed for the requested resource.');
  }
  const update = op.update as Record<string, unknown> | undefined;
  if (!update || typeof update !== 'object') return fail('requestError', 'OPERATION_REQUIRED', 'Mutate operation should have either create, update, or remove specified.');
  const updateAt: FieldPathElement[] = [{ fieldName: 'update' }];
  const resourceName = update.resourceName;
  if (typeof resourceName !== 'string' || resourceName === '') {
    return fail('requestError', 'RESOURCE_NAME_MISSING', 'Resource name is required for this request.', [...updateAt, { fieldName: 'resource_name' }]);
  }
  const id = kind.idFrom(resourceName, ctx.customerId);
  if (id === 'malformed') return fail('requestError', 'RESOURCE_NAME_MALFORMED', 'Resource name provided is malformed.', [...updateAt, { fieldName: 'resource_name' }], resourceName);
  const entity = id === 'other_customer' ? undefined : kind.find(ctx.world, ctx.customerId, id.id);
  if (!entity) return fail('mutateError', 'RESOURCE_NOT_FOUND', 'Requested resource was not found.', [...updateAt, { fieldName: 'resource_name' }], resourceName);
  if (seen.has(resourceName)) return fail('mutateError', 'ID_EXISTS_IN_MULTIPLE_MUTATES', 'Cannot mutate the same resource twice in one request.', [...updateAt, { fieldName: 'resource_name' }]);
  seen.add(resourceName);

  const mask = typeof op.updateMask === 'string' ? op.updateMask.split(',').map(camelOf).filter((f) => f !== '') : [];
  if (mask.length === 0) return fail('fieldMaskError', 'FIELD_MASK_MISSING', 'The field mask must be provided for update operations.', [{ fieldName: 'update_mask' }]);
  const errors: AdsErrorEntry[] = [];
  const changes: PlannedUpdate['changes'] = [];
  for (const field of mask) {
    const spec = kind.fields[field];
    if (!spec) {
      errors.push(adsError('fieldMaskError', 'FIELD_NOT_FOUND', 'The field mask contained an invalid field.', [...at, { fieldName: 'update_mask' }], field));
      continue;
    }
    const value = update[field];
    const problem = spec.check(value);
    if (problem) {
      errors.push(adsError(problem.family, problem.code, problem.message, [...at, ...updateAt, { fieldName: spec.snake }, ...(problem.subPath ?? [])], problem.trigger));
    } else changes.push({ spec, value });
  }
  if (errors.length === 0 && ctx.itemFails()) {
    errors.push(
      adsError('databaseError', 'CONCURRENT_MODIFICATION', 'Multiple requests were attempting to modify the same resource at once. Retry the request.', at),
    );
  }
  return errors.length > 0 ? { errors } : { plan: { entity, resourceName, changes }, errors };
}

function atomicFailure(errors: AdsErrorEntry[]): GoogleApiError {
  const concurrent = errors.every((e) => e.errorCode.databaseError === 'CONCURRENT_MODIFICATION');
  return new GoogleApiError(concurrent ? 409 : 400, errors);
}

function apply(ctx: MutateContext, kind: MutableKind, plan: Omit<PlannedUpdate, 'index'>, mutable: boolean): Record<string, unknown> {
  for (const { spec, value } of plan.changes) spec.apply(plan.entity, value);
  if ('modifiedAt' in plan.entity) plan.entity.modifiedAt = ctx.world.now();
  kind.afterUpdate?.(ctx.world, plan.entity);
  return { resourceName: plan.resourceName, ...(mutable ? { [kind.responseKey]: kind.render(ctx.customerId, plan.entity) } : {}) };
}

/** POST .../{collection}:mutate with `operations`. */
export function mutateMany(ctx: MutateContext, collection: keyof typeof MUTABLE_KINDS, body: Record<string, unknown>): Record<string, unknown> {
  const kind: MutableKind = MUTABLE_KINDS[collection];
  const operations = body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new GoogleApiError(400, [adsError('fieldError', 'REQUIRED', 'The required field was not present.', [{ fieldName: 'operations' }])]);
  }
  if (operations.length > MAX_MUTATE_OPERATIONS) {
    throw new GoogleApiError(400, [adsError('requestError', 'TOO_MANY_MUTATE_OPERATIONS', 'Received too many entries in request.', [{ fieldName: 'operations' }])]);
  }
  const partial = body.partialFailure === true;
  const mutable = body.responseContentType === 'MUTABLE_RESOURCE';
  const seen = new Set<string>();
  const planned: (PlannedUpdate | undefined)[] = [];
  const errors: AdsErrorEntry[] = [];
  operations.forEach((raw, index) => {
    const outcome = planOperation(ctx, kind, raw, [{ fieldName: 'operations', index }], seen);
    errors.push(...outcome.errors);
    planned.push(outcome.plan ? { index, ...outcome.plan } : undefined);
  });
  if (errors.length > 0 && !partial) throw atomicFailure(errors);
  const failure = errors.length > 0 ? { partialFailureError: partialFailureError(ctx.version, errors, ctx.requestId) } : {};
  if (body.validateOnly === true) return failure;
  const results = planned.map((plan) => (plan ? apply(ctx, kind, plan, mutable) : {}));
  return { results, ...failure };
}

/** POST customers/{id}:mutate with a single `operation` (account-level URL fields, §3.2). */
export function mutateCustomer(ctx: MutateContext, body: Record<string, unknown>): Record<string, unknown> {
  const kind: MutableKind = MUTABLE_KINDS.customers;
  const outcome = planOperation(ctx, kind, body.operation, [{ fieldName: 'operation' }], new Set());
  if (!outcome.plan) throw atomicFailure(outcome.errors);
  if (body.validateOnly === true) return {};
  return { result: apply(ctx, kind, outcome.plan, body.responseContentType === 'MUTABLE_RESOURCE') };
}
