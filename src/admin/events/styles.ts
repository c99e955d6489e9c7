/** The events pages' own rules (served as /admin/assets/events.css), on top of console.css. */
export const EVENTS_STYLES = `
h1 { overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.card { border: 1px solid #ccd; border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
.card h2, .card h3 { margin: 0 0 .25rem; font-size: 1.05rem; overflow-wrap: anywhere; }
.counts { grid-template-columns: repeat(4, max-content 1fr); }
.reasons ul { margin: .25rem 0; padding-left: 1.2rem; }
.stacked { max-width: 44rem; }
.field { margin: 0 0 .75rem; }
.field.check label, .check label { display: inline; font-weight: 400; }
.hint { display: block; color: #555; }
.field-error { color: #b3261e; font-weight: 600; margin: .25rem 0 0; }
[aria-invalid="true"] { border-color: #b3261e; outline: 2px solid #b3261e; }
select, input[type=date] { font: inherit; padding: .3rem; max-width: 100%; box-sizing: border-box; }
.row { display: flex; flex-wrap: wrap; gap: 0 1rem; }
.columns { columns: 3 12rem; }
.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
.table-scroll { overflow-x: auto; max-width: 100%; position: relative; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #dde; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #99a; }
.chart { margin: 1rem 0; }
.chart svg { width: 100%; height: auto; max-width: 48rem; }
.pager { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; margin: 1rem 0; }
.note { color: #444; max-width: 48rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 40rem) { .counts { grid-template-columns: max-content 1fr; } .cards { grid-template-columns: 1fr; } }
`;
