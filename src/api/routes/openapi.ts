import path from 'node:path';
import express, { Router } from 'express';
import { absolutePath } from 'swagger-ui-dist';
import { openApiDocument } from '../openapi/document';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>adtrack API</title><link rel="icon" href="/docs/assets/favicon-32x32.png"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="reference"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body>
</html>`;

// A separate script, not inline: helmet's Content-Security-Policy allows scripts from this origin only.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true });`;

/**
 * The contract (`GET /openapi.json`) and its reference page (`GET /docs`), rendered by swagger-ui-dist
 * served from node_modules: nothing is loaded from the internet.
 */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.json(openApiDocument()));
  router.get('/docs', (_req, res) => void res.type('html').send(PAGE));
  router.get('/docs/init.js', (_req, res) => void res.type('text/javascript').send(INIT));
  router.use('/docs/assets', express.static(path.resolve(absolutePath()), { index: false }));
  return router;
}
