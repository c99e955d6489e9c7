import { Router } from 'express';
import { z } from 'zod';
import {
  createDefinition,
  DefinitionError,
  deleteDefinition,
  findDefinition,
  listDefinitions,
  replaceDefinition,
  setEnabled,
  type DefinitionsContext,
} from '../../conversions/definitions';
import { definitionDetails, presentDefinition } from '../../conversions/definition-views';
import { destinationChecker } from '../../conversions/destination-check';
import { createNetworkClients } from '../../networks/registry';
import { TokenVault } from '../../security/token-vault';
import type { ConversionDefinitionRecord } from '../../db/models/conversion-definition';
import type { ApiContext } from '../context';
import { ApiError, parseInput } from '../errors';

/**
 * Conversion events (SPEC §7, issue 6), under /api (admin bearer token). The JSON shape is checked
 * here (400); what the values mean — networks, stages, forms, options, the account's readiness and
 * the plan limit — is checked by the pure `validateDefinition` with a clear code per problem
 * (422 wrong in itself, 409 account not ready, 403 plan limit).
 */
const consentSchema = z.object({ property: z.string().max(200), value: z.string().max(500) }).strict();
export const createSchema = z
  .object({
    name: z.string().max(200).optional(),
    network: z.string().max(32),
    adAccountId: z.string().max(128),
    trigger: z.object({ kind: z.string().max(32), stages: z.array(z.string().max(64)).max(20).optional(), formId: z.string().max(200).optional() }).strict(),
    audience: z.string().max(64).optional(),
    eventName: z.string().max(500).optional(),
    value: z.number().optional(),
    currency: z.string().max(8).optional(),
    predictiveLeadScore: z.boolean().optional(),
    consent: consentSchema.optional(),
    sharedFields: z.record(z.string().max(64), z.boolean()).optional(),
    pixelId: z.string().max(64).optional(),
    conversionActionId: z.string().max(200).optional(),
    conversionRuleId: z.string().max(200).optional(),
    api: z.enum(['legacy', 'enhanced']).optional(),
  })
  .strict();
export const toggleSchema = z.object({ enabled: z.boolean() }).strict();
export const replaceSchema = z
  .object({
    name: z.string().max(200).optional(),
    trigger: z.object({ kind: z.literal('lifecycle_stage'), stages: z.array(z.string().max(64)).max(20) }).strict().optional(),
    audience: z.string().max(64).optional(),
    eventName: z.string().max(500).optional(),
    value: z.number().optional(),
    currency: z.string().max(8).optional(),
    sharedFields: z.record(z.string().max(64), z.boolean()).optional(),
    pixelId: z.string().max(64).optional(),
  })
  .strict();
export const idSchema = z.object({ id: z.string().min(1).max(64) });

/** A definition refusal as the API's error envelope (the console shows the same code, message and details). */
export function asApiError(error: unknown): unknown {
  return error instanceof DefinitionError ? new ApiError(error.status, error.code, error.message, error.details) : error;
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asApiError(error);
  }
}

/** `POST /api/conversion-events` and the console's create form: the parsed body → a stored definition with its workflow. */
export async function createFromInput(ctx: DefinitionsContext, body: z.output<typeof createSchema>): Promise<ConversionDefinitionRecord> {
  const trigger =
    body.trigger.kind === 'form_submission'
      ? { kind: 'form_submission' as const, formId: body.trigger.formId ?? '' }
      : { kind: body.trigger.kind as 'lifecycle_stage', stages: body.trigger.stages ?? [] };
  return guarded(() => createDefinition(ctx, { ...body, trigger }));
}

const definitionContexts = new WeakMap<ApiContext, DefinitionsContext>();

/** The API's context plus the destination check (CONV-4/5 ids read back from the network), built once per API. */
export function definitionsContext(api: ApiContext): DefinitionsContext {
  let ctx = definitionContexts.get(api);
  if (!ctx) {
    const checkDestination = destinationChecker({ models: api.db.models, vault: new TokenVault(api.config.ENCRYPTION_KEYS), clients: createNetworkClients(api.config) });
    ctx = { ...api, checkDestination };
    definitionContexts.set(api, ctx);
  }
  return ctx;
}

export function conversionEventRoutes(api: ApiContext): Router {
  const router = Router();
  const ctx = definitionsContext(api);

  router.post('/conversion-events', async (req, res) => {
    const record = await createFromInput(ctx, parseInput(createSchema, req.body));
    res.status(201).json(presentDefinition(record));
  });

  router.get('/conversion-events', async (_req, res) => {
    const records = await listDefinitions(ctx);
    res.json({ items: records.map(presentDefinition) });
  });

  router.get('/conversion-events/:id', async (req, res) => {
    const { id } = parseInput(idSchema, req.params, 'path');
    const record = await guarded(() => findDefinition(ctx, id));
    res.json(await definitionDetails(ctx, record));
  });

  /** Switch off: activity is not sent and not queued for later. Switch on: activity from now on is sent. */
  router.patch('/conversion-events/:id', async (req, res) => {
    const { id } = parseInput(idSchema, req.params, 'path');
    const { enabled } = parseInput(toggleSchema, req.body);
    const record = await guarded(() => setEnabled(ctx, id, enabled));
    res.json(presentDefinition(record));
  });

  router.delete('/conversion-events/:id', async (req, res) => {
    const { id } = parseInput(idSchema, req.params, 'path');
    const record = await guarded(() => deleteDefinition(ctx, id));
    res.json(presentDefinition(record));
  });

  router.post('/conversion-events/:id/replace', async (req, res) => {
    const { id } = parseInput(idSchema, req.params, 'path');
    const body = parseInput(replaceSchema, req.body ?? {});
    const { replaced, replacement } = await guarded(() => replaceDefinition(ctx, id, body));
    res.status(201).json({ replaced: presentDefinition(replaced), replacement: presentDefinition(replacement) });
  });

  return router;
}
