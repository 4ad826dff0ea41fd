import { machineLine } from '../lib/machine.js';
import type { Report } from './report.js';

export function renderText(r: Report): string {
  const lines = [`machine: ${machineLine(r.machine)}`, JSON.stringify(r, null, 1)];
  return lines.join('\n');
}
export function renderMarkdown(r: Report): string {
  return renderText(r);
}
export function renderSvg(r: Report): string {
  return `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${r.startedAt} --></svg>`;
}
