import { badRequest, invalidParameter, notImplemented } from '../../http/errors.js';
import { COMMENT, EXTENSION, type Language, type WorkspaceObject } from './model.js';

/**
 * Import/export format handling (reference §2.7): SOURCE, AUTO, RAW, JUPYTER and HTML export are
 * emulated; DBC archives and directory archives answer 501 NOT_IMPLEMENTED.
 */

const CELL = 'COMMAND ----------';

export function header(language: Language): string {
  return `${COMMENT[language]} Databricks notebook source`;
}

const EXT_LANG: Record<string, Language> = { py: 'PYTHON', scala: 'SCALA', sql: 'SQL', r: 'R', R: 'R' };

export interface ImportPlan {
  path: string;
  type: 'NOTEBOOK' | 'FILE';
  language?: Language;
  content: Buffer;
}

export function planImport(path: string, format: string, language: Language | undefined, content: Buffer): ImportPlan {
  switch (format) {
    case 'SOURCE':
      if (isZip(content)) throw notImplemented('Importing directory archives is not supported by the emulator.');
      if (!language) throw invalidParameter('The language parameter is required when importing a notebook in SOURCE format.');
      return { path, type: 'NOTEBOOK', language, content };
    case 'RAW':
      return { path, type: 'FILE', content };
    case 'JUPYTER':
      return { path: path.replace(/\.ipynb$/, ''), type: 'NOTEBOOK', language: language ?? 'PYTHON', content: Buffer.from(fromJupyter(content), 'utf8') };
    case 'AUTO': {
      const ext = /\.([A-Za-z]+)$/.exec(path)?.[1];
      if (ext === 'ipynb') return { path: path.slice(0, -'.ipynb'.length), type: 'NOTEBOOK', language: 'PYTHON', content: Buffer.from(fromJupyter(content), 'utf8') };
      const lang = ext ? EXT_LANG[ext] : undefined;
      if (lang && content.toString('utf8').startsWith(header(lang))) return { path: path.slice(0, -(ext?.length ?? 0) - 1), type: 'NOTEBOOK', language: lang, content };
      return { path, type: 'FILE', content };
    }
    default:
      throw notImplemented(`Importing in ${format} format is not supported by the emulator.`);
  }
}

export function exportObject(o: WorkspaceObject, format: string): { content: Buffer; file_type?: string } {
  const raw = Buffer.from(o.content ?? '', 'base64');
  if (o.object_type === 'DIRECTORY' || o.object_type === 'REPO') {
    if (format === 'SOURCE' || format === 'DBC' || format === 'AUTO') throw notImplemented('Exporting directories is not supported by the emulator.');
    throw invalidParameter(`Directories cannot be exported in ${format} format.`);
  }
  if (o.object_type === 'FILE') return { content: raw };
  const lang = o.language ?? 'PYTHON';
  const source = raw.toString('utf8');
  const withHeader = source.startsWith(header(lang)) ? source : `${header(lang)}\n${source}`;
  switch (format) {
    case 'SOURCE':
    case 'AUTO':
      return { content: Buffer.from(withHeader, 'utf8'), file_type: EXTENSION[lang] };
    case 'HTML':
      return { content: Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(o.path)}</title></head><body><pre>${escapeHtml(withHeader)}</pre></body></html>`), file_type: 'html' };
    case 'JUPYTER':
      return { content: Buffer.from(toJupyter(withHeader, lang)), file_type: 'ipynb' };
    case 'RAW':
      throw badRequest('INVALID_PARAMETER_VALUE', 'Notebooks cannot be exported in RAW format; use SOURCE.');
    default:
      throw notImplemented(`Exporting in ${format} format is not supported by the emulator.`);
  }
}

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function fromJupyter(content: Buffer): string {
  let nb: unknown;
  try {
    nb = JSON.parse(content.toString('utf8'));
  } catch {
    throw invalidParameter('The content is not a valid Jupyter notebook (invalid JSON).');
  }
  const cells = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw invalidParameter('The content is not a valid Jupyter notebook (no cells).');
  const sources = cells.map((c) => {
    const s = (c as { source?: unknown }).source;
    return Array.isArray(s) ? s.join('') : typeof s === 'string' ? s : '';
  });
  return `${header('PYTHON')}\n${sources.join(`\n\n# ${CELL}\n\n`)}`;
}

function toJupyter(source: string, lang: Language): string {
  const body = source.split('\n').slice(1).join('\n');
  const cells = body.split(new RegExp(`\\n*${COMMENT[lang].replace(/\//g, '\\/')} ${CELL}\\n*`)).map((src) => ({ cell_type: 'code', metadata: {}, source: src.trim(), outputs: [], execution_count: null }));
  return JSON.stringify({ cells, metadata: { language_info: { name: lang.toLowerCase() } }, nbformat: 4, nbformat_minor: 0 });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
