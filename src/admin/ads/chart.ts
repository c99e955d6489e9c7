import type { AdMetricDay } from '../../db/models/ad-metric';
import { html, type SafeHtml } from '../html';

const WIDTH = 600;
const HEIGHT = 120;

/** Clicks per day as an inline SVG bar chart (no script, no external asset); the table below it carries the numbers. */
export function metricsChart(days: readonly AdMetricDay[]): SafeHtml {
  const max = Math.max(1, ...days.map((d) => d.clicks));
  const step = WIDTH / days.length;
  const bars = days.map((d, i) => {
    const h = Math.round((d.clicks / max) * (HEIGHT - 4));
    return html`<rect x="${(i * step + 1).toFixed(1)}" y="${HEIGHT - h}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h}"><title>${d.date}: ${d.clicks} clicks</title></rect>`;
  });
  return html`<figure class="chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Clicks per day, ${days[0]?.date ?? ''} to ${days[days.length - 1]?.date ?? ''}, at most ${max}">${bars}</svg>
    <figcaption>Clicks per day (highest: ${max})</figcaption>
  </figure>`;
}
