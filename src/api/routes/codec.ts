import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { bearerToken, tokenMatches } from '../auth';
import type { ApiContext } from '../context';
import { ApiError, parseInput } from '../errors';

// Go clients (the temporal CLI) send `{}` for an empty list: omitempty drops the field.
export const payloadsSchema = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), z.string()).nullish(), data: z.string().nullish() }))
    .max(1000)
    .nullish()
    .transform((list) => list ?? []),
});

type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The codec server the Web UI and `temporal --codec-endpoint` use to show decrypted payloads. It can
 * decrypt anything, so it answers only the admin bearer token, or — in development only — the local
 * Web UI's origin (the dev UI cannot send a token).
 */
export function codecRoutes(ctx: ApiContext): Router {
  const router = Router();
  const uiOrigin = new URL(ctx.config.TEMPORAL_UI_URL).origin;
  const cors: RequestHandler = (req, res, next) => {
    if (req.headers.origin === uiOrigin) {
      res.setHeader('Access-Control-Allow-Origin', uiOrigin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'X-Namespace, Content-Type, Authorization');
    }
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  };
  const allowed: RequestHandler = (req, _res, next) => {
    if (tokenMatches(bearerToken(req.headers.authorization), ctx.config.ADMIN_API_TOKEN)) return next();
    if (ctx.config.NODE_ENV === 'development' && req.headers.origin === uiOrigin) return next();
    next(new ApiError(401, 'unauthorized', 'The codec endpoint needs the admin bearer token'));
  };
  router.use('/codec', cors, allowed);
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, async (req, res) => {
      const { payloads } = parseInput(payloadsSchema, req.body);
      try {
        const out = await ctx.codec[direction](payloads.map(fromJson));
        res.json({ payloads: out.map(toJson) });
      } catch {
        throw new ApiError(400, 'codec_failed', `The payloads could not be ${direction}d with the configured keys`);
      }
    });
  }
  return router;
}
