import type { Request } from 'express';
import { ApiError } from '../../api/errors';
import { html, type SafeHtml } from '../html';

/**
 * A service's 4xx refusal, placed next to the form fields it names. The API's envelope names fields
 * in `details.issues[].path` (the JSON shape, prefixed `body.` / `query.`) or
 * `details.problems[].field` (conversion-event rules); each form says which of those its controls show.
 */
export interface FormProblems {
  status: number;
  message: string;
  /** Form field key → messages; what no field shows stays in `unplaced`. */
  byField: Map<string, string[]>;
  unplaced: string[];
}

interface Named {
  path?: string;
  field?: string;
  message?: string;
}

function namedProblems(details: unknown): { name: string; message: string }[] {
  const d = (details ?? {}) as { issues?: Named[]; problems?: Named[] };
  return [...(d.issues ?? []), ...(d.problems ?? [])].map((p) => ({
    name: (p.path ?? p.field ?? '').replace(/^(body|query|path)\.?/, ''),
    message: p.message ?? '',
  }));
}

/**
 * `fields`: the form's field keys; a problem goes to the longest key that equals its path or is a
 * prefix of it (`sharedFields.email` → `sharedFields`), or through `aliases` (`adAccountId` → `account`).
 * Errors that are not refusals (5xx, outages) are thrown on: the console's error page handles them.
 */
export function formProblems(error: unknown, fields: readonly string[], aliases: Record<string, string> = {}): FormProblems {
  if (!(error instanceof ApiError) || error.status >= 500) throw error;
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  const named = namedProblems(error.details);
  for (const { name, message } of named) {
    const key = aliases[name] ?? [...fields].sort((a, b) => b.length - a.length).find((f) => name === f || name.startsWith(`${f}.`));
    if (key) byField.set(key, [...(byField.get(key) ?? []), message]);
    else unplaced.push(name ? `${name}: ${message}` : message);
  }
  if (named.length === 0) unplaced.push(error.message);
  return { status: error.status, message: error.message, byField, unplaced };
}

const errorId = (key: string) => `error-${key.replace(/[^\w-]/g, '-')}`;

/** Attributes of a control whose field has problems: marked invalid and described by the message. */
export function invalidAttrs(problems: FormProblems | undefined, key: string): SafeHtml | '' {
  return problems?.byField.has(key) ? html`aria-invalid="true" aria-describedby="${errorId(key)}"` : '';
}

/** The message(s) next to a field. */
export function fieldError(problems: FormProblems | undefined, key: string): SafeHtml | '' {
  const messages = problems?.byField.get(key);
  return messages ? html`<p class="field-error" id="${errorId(key)}" data-field="${key}">${messages.join(' ')}</p>` : '';
}

/** The summary at the top of a refused form. */
export function problemSummary(problems: FormProblems | undefined): SafeHtml | '' {
  if (!problems) return '';
  return html`<div class="error" role="alert" id="form-problems">
    <p>Nothing was saved. ${problems.byField.size ? 'The messages next to the fields below say why.' : problems.message}</p>
    ${problems.unplaced.length ? html`<ul>${problems.unplaced.map((m) => html`<li>${m}</li>`)}</ul>` : ''}
  </div>`;
}

/** Every value of a urlencoded field (checkbox groups repeat their name). */
export function formValues(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A trimmed text field, or undefined when empty (the form leaves the option out). */
export function optionalText(req: Request, name: string): string | undefined {
  const value = formValues(req, name)[0]?.trim();
  return value ? value : undefined;
}
