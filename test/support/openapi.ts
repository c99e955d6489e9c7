import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument, openApiPath } from '../../src/api/openapi/document';
import { OPERATIONS } from '../../src/api/openapi/operations';

type Json = Record<string, any>;
const PREFIX = '#/components/schemas/';

/** Component `$ref`s → the ids the schemas are registered under in ajv. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX) ? value.slice(PREFIX.length) : rewriteRefs(value)]),
    );
  }
  return node;
}

const templates = OPERATIONS.map((op) => ({
  method: op.method,
  path: openApiPath(op.path),
  pattern: new RegExp(`^${op.path.replace(/[.]/g, '\\.').replace(/:(\w+)/g, '[^/]+')}$`),
}));

/**
 * Validates a real response against the document: finds the operation for the concrete method + URL,
 * then the response for the status, then checks the JSON body with ajv (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses). Returns the problems (empty = conforms).
 */
export function createResponseValidator() {
  const document: Json = openApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const [id, schema] of Object.entries(document.components.schemas as Record<string, Json>)) ajv.addSchema(rewriteRefs(schema) as Json, id);
  return (method: string, url: string, status: number, body: unknown): { operation?: string; problems: string[] } => {
    const pathname = new URL(url, 'http://x').pathname;
    const template = templates.find((t) => t.method === method && t.pattern.test(pathname));
    if (!template) return { problems: [`${method} ${pathname} is not in the document`] };
    const operation = `${method} ${template.path}`;
    const response = document.paths[template.path][method.toLowerCase()].responses[String(status)] as Json | undefined;
    if (!response) return { operation, problems: [`${operation} does not document status ${status}`] };
    const schema = response.content?.['application/json']?.schema as Json | undefined;
    if (!schema) return { operation, problems: [] };
    const validate = ajv.compile(rewriteRefs(schema) as Json);
    if (validate(body)) {
      const codes = response['x-error-codes'] as string[] | undefined;
      const code = (body as { error?: { code?: string } }).error?.code;
      return { operation, problems: codes && code && !codes.includes(code) ? [`${operation} ${status}: error.code ${code} is not documented (${codes.join(', ')})`] : [] };
    }
    return { operation, problems: (validate.errors ?? []).map((e) => `${operation} ${status}: ${e.instancePath || '(body)'} ${e.message}`) };
  };
}
