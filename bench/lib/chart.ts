/**
 * The chart of the page: a horizontal bar chart, written as SVG by hand
 * (a few rectangles and labels need no library), of each HTTP variant's CPU
 * per request relative to bare, for node:http and Express.
 */
import { HTTP_VARIANTS } from '../scenarios/http.ts';
import type { ScenarioReport } from './report-types.ts';

/** A bar series. */
interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

const ROW = 22;
const BAR = 9;
const LABEL_WIDTH = 360;
const PLOT_WIDTH = 380;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Renders grouped horizontal bars: one group per category, one bar per series. */
export function barChart(title: string, unit: string, categories: readonly string[], series: readonly Series[]): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
  const scale = PLOT_WIDTH / (Math.ceil(max) || 1);
  const top = 48;
  const height = top + categories.length * ROW + 40;
  const width = LABEL_WIDTH + PLOT_WIDTH + 70;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  series.forEach((s, i) => {
    const x = LABEL_WIDTH + i * 120;
    out.push(`<rect x="${x}" y="30" width="10" height="10" fill="${s.color}"/>`, `<text x="${x + 14}" y="39">${escapeXml(s.name)}</text>`);
  });
  for (let tick = 0; tick <= Math.ceil(max); tick++) {
    const x = (LABEL_WIDTH + tick * scale).toFixed(1);
    out.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${height - 30}" stroke="${tick === 1 ? '#888' : '#ddd'}"/>`,
      `<text x="${x}" y="${height - 16}" text-anchor="middle" fill="#555">${tick}${unit}</text>`,
    );
  }
  categories.forEach((category, row) => {
    const y = top + row * ROW;
    out.push(`<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeXml(category)}</text>`);
    series.forEach((s, i) => {
      const value = s.values[row] ?? Number.NaN;
      if (!Number.isFinite(value)) return;
      const barY = y + 2 + i * BAR;
      out.push(
        `<rect x="${LABEL_WIDTH}" y="${barY}" width="${(value * scale).toFixed(1)}" height="${BAR - 1}" fill="${s.color}"/>`,
        `<text x="${(LABEL_WIDTH + value * scale + 4).toFixed(1)}" y="${barY + BAR - 2}" font-size="9">${value.toFixed(2)}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The page's chart, when the HTTP scenario ran. */
export function chartOf(reports: readonly ScenarioReport[]): string | undefined {
  const http = reports.find((r) => r.id === 'http');
  if (http === undefined) return undefined;
  const relative = (framework: string) =>
    HTTP_VARIANTS.map((v) => (http.figures[`http.${framework}.${v.id}.cpu`] ?? Number.NaN) / (http.figures[`http.${framework}.bare.cpu`] ?? Number.NaN));
  return barChart('Server CPU per request, × bare (lower is better)', '×', HTTP_VARIANTS.map((v) => v.label), [
    { name: 'node:http', color: '#4878d0', values: relative('node') },
    { name: 'Express', color: '#ee854a', values: relative('express') },
  ]);
}
