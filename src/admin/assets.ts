import { Router } from 'express';

const STYLES = `
:root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; padding: .5rem 1rem; background: #123; color: #fff; }
header a, header button { color: #fff; }
nav { display: flex; gap: 1rem; align-items: center; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
.brand { font-weight: 700; }
.inline { display: inline; }
button, .button { font: inherit; padding: .35rem .8rem; border: 1px solid #345; border-radius: 4px; background: #f4f6f8; color: #123; cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: #1558b0; color: #fff; border-color: #1558b0; }
header button { background: transparent; color: #fff; border-color: #fff; }
button.danger { background: #b3261e; color: #fff; border-color: #b3261e; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.accounts { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.account { border: 1px solid #ccd; border-radius: 6px; padding: .75rem 1rem; }
.account h3 { margin: 0 0 .25rem; font-size: 1.05rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .75rem; margin: .5rem 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
.status-active { color: #176c2f; } .status-needs_reconnect { color: #9a5b00; } .status-disconnected { color: #666; }
.error { border: 1px solid #b3261e; background: #fdecea; padding: .75rem 1rem; border-radius: 6px; }
.notice { border: 1px solid #176c2f; background: #e8f5ec; padding: .75rem 1rem; border-radius: 6px; }
label { display: block; margin: .5rem 0 .25rem; font-weight: 600; }
input[type=password], input[type=text] { font: inherit; padding: .35rem; width: min(100%, 24rem); box-sizing: border-box; }
fieldset { border: 1px solid #ccd; border-radius: 6px; margin: 0 0 1rem; }
.check label { display: inline; font-weight: 400; }
.plain { list-style: none; padding-left: 0; }
.plain li { margin: .35rem 0; }
/* Ads, preview and tracking templates (issue 13) */
.muted { color: #555; }
.filters, .pager { display: flex; flex-wrap: wrap; gap: .75rem; margin: .75rem 0; align-items: center; }
.filters a[aria-current] { font-weight: 700; text-decoration: none; border-bottom: 3px solid #1558b0; }
.ad-list { list-style: none; padding: 0; display: grid; gap: .75rem; }
.ad-card { border: 1px solid #ccd; border-radius: 6px; padding: .5rem 1rem; }
.ad-card h3 { margin: .25rem 0; font-size: 1rem; overflow-wrap: anywhere; }
.ad-card p { margin: .25rem 0; }
.tracking-tracked { color: #176c2f; } .tracking-error { color: #b3261e; } .tracking-pending { color: #9a5b00; }
.reason { border-left: 4px solid #b3261e; padding: .25rem .75rem; background: #fdf6f5; }
.what-to-do .label { font-weight: 600; }
.params { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
.params code { overflow-wrap: anywhere; }
.review { color: #9a5b00; font-weight: 600; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #dde; vertical-align: top; }
.chart svg { width: 100%; max-width: 40rem; height: auto; fill: #1558b0; } .chart { margin: .5rem 0; }
.field-error { color: #b3261e; margin: .25rem 0; font-weight: 600; }
input[aria-invalid=true] { border: 2px solid #b3261e; }
.template { border-top: 1px solid #ccd; margin-top: 1rem; }
`;

/** Issue 13's events pages add four nav links: the nav wraps at phone width instead of scrolling sideways. */
const NAV_WRAP = `
nav[aria-label="Console"] { flex-wrap: wrap; gap: .25rem 1rem; }
`;

/** Stylesheet and htmx, served from this process (nothing is loaded from the internet). */
export function assetRoutes(): Router {
  const router = Router();
  router.get('/admin/assets/console.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(STYLES + NAV_WRAP);
  });
  const htmx = require.resolve('htmx.org/dist/htmx.min.js');
  router.get('/admin/assets/htmx.min.js', (_req, res) => {
    res.sendFile(htmx, { maxAge: '1h' });
  });
  return router;
}
