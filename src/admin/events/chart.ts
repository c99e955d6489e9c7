import { html, type SafeHtml } from '../html';

/**
 * A grouped horizontal bar chart as inline SVG, drawn on the server (no chart library, nothing
 * loaded by the browser). Colours come from presentation attributes, which the CSP allows.
 */

export interface ChartSeries {
  key: string;
  label: string;
  colour: string;
}

export interface ChartRow {
  label: string;
  values: Record<string, number>;
}

const LABEL_WIDTH = 220;
const BAR_AREA = 460;
const BAR = 10;
const GAP = 14;

const short = (text: string, max = 32) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function barChart(o: { id: string; title: string; series: ChartSeries[]; rows: ChartRow[] }): SafeHtml {
  const max = Math.max(1, ...o.rows.flatMap((r) => o.series.map((s) => r.values[s.key] ?? 0)));
  const groupHeight = o.series.length * BAR + GAP;
  const legendHeight = 24;
  const height = legendHeight + o.rows.length * groupHeight + 4;
  const width = LABEL_WIDTH + BAR_AREA + 60;
  const groups = o.rows.map((row, i) => {
    const top = legendHeight + i * groupHeight;
    return html`<g class="chart-row">
      <text x="${LABEL_WIDTH - 8}" y="${top + (o.series.length * BAR) / 2 + 4}" text-anchor="end" font-size="12">${short(row.label)}</text>
      ${o.series.map((s, j) => {
        const value = row.values[s.key] ?? 0;
        const w = Math.round((value / max) * BAR_AREA);
        const y = top + j * BAR;
        return html`<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(w, value > 0 ? 1 : 0)}" height="${BAR - 2}" fill="${s.colour}"><title>${row.label} — ${s.label}: ${value}</title></rect>
          <text x="${LABEL_WIDTH + w + 4}" y="${y + BAR - 2}" font-size="10">${value}</text>`;
      })}
    </g>`;
  });
  const legend = o.series.map(
    (s, i) => html`<rect x="${LABEL_WIDTH + i * 170}" y="4" width="12" height="12" fill="${s.colour}"></rect><text x="${LABEL_WIDTH + i * 170 + 16}" y="14" font-size="12">${s.label}</text>`,
  );
  return html`<figure class="chart">
    <svg id="${o.id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${o.id}-title" preserveAspectRatio="xMinYMin meet">
      <title id="${o.id}-title">${o.title}</title>
      ${legend}${groups}
    </svg>
    <figcaption>${o.title}. The table below has the same numbers.</figcaption>
  </figure>`;
}
