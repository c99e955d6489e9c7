import { Router, type Request, type Response } from 'express';
import { consentPage, redirectBack, textFields } from '../kit/consent';
import { ALL_SCOPES } from './model';
import type { FacebookState } from './state';

/**
 * The Login dialog of the manual flow, `GET https://www.facebook.com/<version>/dialog/oauth`
 * (client_id, redirect_uri, state, scope comma-separated, response_type=code). Allow → `code` and
 * `state`; Cancel → `error=access_denied&error_reason=user_denied&error_description=Permissions error.`
 */
export function loginDialogRoutes(state: FacebookState): Router {
  const router = Router();
  const { world } = state;

  function request(req: Request, res: Response, source: unknown): Record<string, string> | undefined {
    const params = textFields(source);
    if (params.client_id !== world.app.id || !params.redirect_uri || !URL.canParse(params.redirect_uri)) {
      res.status(400).type('html').send('<!doctype html><html lang="en"><head><title>Error</title></head><body><h1>Invalid App ID or redirect_uri</h1></body></html>');
      return undefined;
    }
    return params;
  }

  router.get('/:version/dialog/oauth', (req, res) => {
    const params = request(req, res, req.query);
    if (!params) return;
    const users = [...world.users.keys()];
    const user = params.login_hint && world.users.has(params.login_hint) ? params.login_hint : users[0];
    const accounts = user ? [...world.users.get(user)!.accountIds].map((id) => ({ id, name: world.accounts.get(id)?.name ?? id })) : [];
    res.type('html').send(
      consentPage({ network: 'Facebook', appName: world.app.name, path: req.path, params, users, user, accounts, scopes: (params.scope ?? '').split(',').filter(Boolean) }),
    );
  });

  router.post('/:version/dialog/oauth', (req, res) => {
    const params = request(req, res, req.body);
    if (!params) return;
    const user = params.login_hint ? world.users.get(params.login_hint) : undefined;
    if (params.decision !== 'allow' || !user) {
      return res.redirect(303, redirectBack(params.redirect_uri!, { error: 'access_denied', error_code: '200', error_description: 'Permissions error.', error_reason: 'user_denied' }, params.state));
    }
    const asked = (params.scope ?? '').split(',').filter((s): s is (typeof ALL_SCOPES)[number] => (ALL_SCOPES as readonly string[]).includes(s));
    const code = state.tokens.issueCode({ user, redirectUri: params.redirect_uri!, ...(asked.length ? { scopes: asked } : {}) });
    res.redirect(303, redirectBack(params.redirect_uri!, { code }, params.state));
  });
  return router;
}
