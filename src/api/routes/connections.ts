import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { connectWorkflowId } from '../../../workflows/account-definitions';
import { connectWorkflow, type ConnectResult } from '../../../workflows/connect';
import { NETWORKS } from '../../networks/types';
import type { ApiContext } from '../context';
import { ApiError, parseInput } from '../errors';
import { FailureType } from '../../domain/failures';

export const connectSchema = z.object({
  network: z.enum(NETWORKS),
  code: z.string().min(1).max(2048),
  redirectUri: z.url({ protocol: /^https?$/ }),
});

/** ACC-2: OAuth code → tokens (sealed) → the ad accounts they reach. */
export function connectionRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.post('/connections', async (req, res) => {
    const result = await exchangeAuthorizationCode(ctx, parseInput(connectSchema, req.body));
    res.status(201).json({ id: result.connectionId, network: result.network, adAccounts: result.adAccounts });
  });
  return router;
}

/** The connect workflow for one authorization code (the API and the console's OAuth callback). */
export async function exchangeAuthorizationCode(ctx: ApiContext, input: z.output<typeof connectSchema> & { codeVerifier?: string }): Promise<ConnectResult> {
  const connectionId = randomUUID();
  try {
    return await ctx.temporal.workflow.execute(connectWorkflow, {
      workflowId: connectWorkflowId(input.network, connectionId),
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args: [{ ...input, connectionId }],
      workflowExecutionTimeout: '2 minutes',
    });
  } catch (error) {
    throw connectFailure(error);
  }
}

function connectFailure(error: unknown): unknown {
  if (!(error instanceof WorkflowFailedError)) return error;
  const cause = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
  if (cause instanceof ApplicationFailure && (cause.type === FailureType.InvalidInput || cause.type === FailureType.NetworkAuth)) {
    return new ApiError(400, 'authorization_failed', 'The network did not accept the authorization code; start the login again.', { reason: cause.message });
  }
  if (cause instanceof ApplicationFailure && cause.type === FailureType.AuthorizationCodeSpent) {
    // The code is single-use and may be spent: retrying this request cannot work (issue 15 #16).
    return new ApiError(502, 'authorization_interrupted', 'The ad network could not be reached while the authorization code was exchanged; the code cannot be used again: start the login again.', {
      reason: cause.message,
      restartLogin: true,
    });
  }
  return new ApiError(502, 'network_unavailable', 'The ad network could not be reached to complete the connection; try again.');
}
