import { badRequest, invalidParameter, notImplemented } from '../../http/errors.js';
import { jupyterToSource, notebookHeader as header, parseJupyter, sourceToJupyter } from './jupyter.js';
import { EXTENSION, type Language, type WorkspaceObject } from './model.js';
import { escapeHtml } from '../../http/html.js';

/**
 * Import/export format handling (reference §2.7): SOURCE, AUTO, RAW, JUPYTER and HTML export are
 * emulated; DBC archives and directory archives answer 501 NOT_IMPLEMENTED.
 */

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
      return fromJupyter(path, language, content);
    case 'AUTO': {
      const ext = /\.([A-Za-z]+)$/.exec(path)?.[1];
      if (ext === 'ipynb') return fromJupyter(path, language, content);
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
      return { content: Buffer.from(sourceToJupyter(withHeader, lang, o.path.split('/').pop() ?? ''), 'utf8'), file_type: 'ipynb' };
    case 'RAW':
      throw badRequest('INVALID_PARAMETER_VALUE', 'Notebooks cannot be exported in RAW format; use SOURCE.');
    default:
      throw notImplemented(`Exporting in ${format} format is not supported by the emulator.`);
  }
}

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** The language parameter wins over the notebook's own metadata; PYTHON when neither says. */
function fromJupyter(path: string, language: Language | undefined, content: Buffer): ImportPlan {
  const nb = parseJupyter(content);
  const lang = language ?? nb.language ?? 'PYTHON';
  return { path: path.replace(/\.ipynb$/, ''), type: 'NOTEBOOK', language: lang, content: Buffer.from(jupyterToSource(nb, lang), 'utf8') };
}
