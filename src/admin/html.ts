/**
 * Server-rendered HTML for the admin console: a tagged template that escapes every interpolated
 * value unless it is itself `html` output, so a page cannot forget to escape an ad name.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

export interface PageOptions {
  title: string;
  /** Present when signed in: the sign-out form needs the session's CSRF token. */
  csrfToken?: string;
  body: SafeHtml;
}

export function page({ title, csrfToken, body }: PageOptions): string {
  const nav = csrfToken
    ? html`<nav aria-label="Console">
        <a href="/admin/accounts">Accounts</a>
        <a href="/admin/templates">Tracking templates</a>
        <a href="/admin/conversions">Conversion events</a> <a href="/admin/lead-sync">Lead sync</a> <a href="/admin/reports">Ads report</a> <a href="/admin/contacts">Contacts</a>
        <form method="post" action="/admin/sign-out" class="inline">
          <input type="hidden" name="_csrf" value="${csrfToken}">
          <button type="submit">Sign out</button>
        </form>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · adtrack</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/assets/console.css">
<script src="/admin/assets/htmx.min.js" defer></script>
</head>
<body>
<header><span class="brand">adtrack</span>${nav}</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value;
}
