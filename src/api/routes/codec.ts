import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { bearerToken, tokenMatches, uiCodecKey } from '../auth';
import { jsonBody } from '../body';
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

const unauthorized = () => new ApiError(401, 'unauthorized', 'The codec endpoint needs the admin bearer token (or the Web UI codec key)');

/**
 * The codec server the Web UI and `temporal --codec-endpoint` use to show decrypted payloads. It can
 * decrypt anything, so every call is authorized (issue 15 #12): `/codec/{encode,decode}` by the admin
 * bearer token (`--codec-auth`), `/codec/ui/<key>/{encode,decode}` by the Web UI codec key in the path
 * (what `--ui-codec-endpoint` can carry). CORS only lets the UI's page read the answers; an Origin
 * header proves nothing.
 */
export function codecRoutes(ctx: ApiContext): Router {
  const router = Router();
  const uiOrigin = new URL(ctx.config.TEMPORAL_UI_URL).origin;
  const uiKey = ctx.config.TEMPORAL_UI_CODEC_KEY ?? uiCodecKey(ctx.config.ADMIN_API_TOKEN);
  const cors: RequestHandler = (req, res, next) => {
    res.setHeader('Vary', 'Origin');
    if (req.headers.origin === uiOrigin) {
      res.setHeader('Access-Control-Allow-Origin', uiOrigin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'X-Namespace, Content-Type, Authorization');
    }
    // A preflight carries no credentials by definition; it only learns the headers above.
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  };
  const byToken: RequestHandler = (req, _res, next) =>
    next(tokenMatches(bearerToken(req.headers.authorization), ctx.config.ADMIN_API_TOKEN) ? undefined : unauthorized());
  const byUiKey: RequestHandler = (req, _res, next) => {
    const key = req.params.key;
    next(typeof key === 'string' && tokenMatches(key, uiKey) ? undefined : unauthorized());
  };

  for (const direction of ['encode', 'decode'] as const) {
    const handle: RequestHandler = async (req, res) => {
      const { payloads } = parseInput(payloadsSchema, req.body);
      let out: Payload[];
      try {
        out = await ctx.codec[direction](payloads.map(fromJson));
      } catch {
        throw new ApiError(400, 'codec_failed', `The payloads could not be ${direction}d with the configured keys`);
      }
      res.json({ payloads: out.map(toJson) });
    };
    // Authorization first: a stranger's body is never read (issue 15 #8).
    router.post(`/codec/${direction}`, cors, byToken, ...jsonBody('4mb'), handle);
    router.post(`/codec/ui/:key/${direction}`, cors, byUiKey, ...jsonBody('4mb'), handle);
  }
  router.options(['/codec/:direction', '/codec/ui/:key/:direction'], cors);
  router.use('/codec', cors, (_req, _res, next) => next(unauthorized()));
  return router;
}
