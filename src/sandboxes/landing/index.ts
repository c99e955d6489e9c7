import express, { type Express, type Request } from 'express';

/**
 * The small website the sandbox ads point to, so the product's real landing-URL check (a request
 * that does not follow redirects) has real answers to read:
 * - `/p/<slug>`        200, an HTML page (optionally with the tracking script)
 * - `/r/<slug>`        301 → /p/<slug>           (a redirecting URL)
 * - `/upgrade/<slug>`  301 → https://…/p/<slug> (http→https counts as a redirect, TRK-3)
 * Query strings are kept across redirects, like real servers do.
 * `PUT /_sandbox/form {formId}` names the form of this system the page's form submits to (the demo
 * creates one at start, so "Send" creates a contact).
 */
export interface LandingSiteOptions {
  /** URL of the tracking script to include in pages (`/t.js` of the API), if any. */
  trackingScriptUrl?: string;
  /** Form id of this system for the page's form (`data-adtrack-form="<id>"`, wired by the tracking script). Read per request. */
  formId?: string;
  /** `required`: the script tag carries `data-consent="required"` (no tracking until the page grants it). Read per request. */
  consent?: 'required';
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const queryOf = (req: Request) => {
  const index = req.originalUrl.indexOf('?');
  return index >= 0 ? req.originalUrl.slice(index) : '';
};

export function createLandingSite(options: LandingSiteOptions = {}): { app: Express; visits: string[] } {
  const app = express();
  const visits: string[] = [];
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    visits.push(req.originalUrl);
    if (visits.length > 10_000) visits.shift();
    next();
  });
  app.put('/_sandbox/form', express.json(), (req, res) => {
    const formId: unknown = (req.body as { formId?: unknown } | undefined)?.formId;
    if (typeof formId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(formId)) {
      return void res.status(400).json({ error: { code: 'validation_failed', message: 'formId: 1-64 letters, digits, dash or underscore', details: {} } });
    }
    options.formId = formId;
    res.json({ formId });
  });
  app.get('/p/:slug', (req, res) => {
    const slug = escapeHtml(req.params.slug);
    const consent = options.consent === 'required' ? ' data-consent="required"' : '';
    const script = options.trackingScriptUrl ? `<script src="${escapeHtml(options.trackingScriptUrl)}"${consent} async></script>` : '';
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${slug} — Example landing page</title>${script}</head>
<body><h1>${slug}</h1>
<form id="lead-form" data-adtrack-form${options.formId ? `="${escapeHtml(options.formId)}"` : ''}>
  <label>Email <input type="email" name="email" required></label>
  <label>Name <input type="text" name="name"></label>
  <button type="submit">Send</button>
</form></body></html>`);
  });
  app.get('/r/:slug', (req, res) => res.redirect(301, `/p/${encodeURIComponent(req.params.slug)}${queryOf(req)}`));
  app.get('/upgrade/:slug', (req, res) =>
    res.redirect(301, `https://${req.headers.host ?? 'localhost'}/p/${encodeURIComponent(req.params.slug)}${queryOf(req)}`),
  );
  app.use((_req, res) => res.status(404).type('text').send('Not found'));
  return { app, visits };
}
