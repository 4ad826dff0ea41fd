import { invalidParameter } from '../../http/errors.js';
import { COMMENT, type Language } from './model.js';

/**
 * Jupyter (.ipynb) ⇄ Databricks notebook source. In source form, cells are separated by
 * `<comment> COMMAND ----------` and a markdown cell is a run of `<comment> MAGIC` lines that starts
 * with `%md`; that is how a notebook round-trips between the two formats.
 */

const CELL_SEPARATOR = 'COMMAND ----------';
const DATABRICKS_NOTEBOOK = 'application/vnd.databricks.v1+notebook';
const LANGUAGE_NAMES: Readonly<Record<string, Language>> = { python: 'PYTHON', scala: 'SCALA', sql: 'SQL', r: 'R' };

export function notebookHeader(language: Language): string {
  return `${COMMENT[language]} Databricks notebook source`;
}

export interface JupyterNotebook {
  cells: { cell_type: string; text: string }[];
  /** From the Databricks notebook metadata, the kernel's language_info, or the kernelspec, in that order. */
  language?: Language;
}

export function parseJupyter(content: Buffer): JupyterNotebook {
  let nb: unknown;
  try {
    nb = JSON.parse(content.toString('utf8'));
  } catch {
    throw invalidParameter('The content is not a valid Jupyter notebook (invalid JSON).');
  }
  if (typeof nb !== 'object' || nb === null || !Array.isArray((nb as { cells?: unknown }).cells)) {
    throw invalidParameter('The content is not a valid Jupyter notebook (no cells).');
  }
  const cells = ((nb as { cells: unknown[] }).cells).map((cell, i) => {
    if (typeof cell !== 'object' || cell === null) throw invalidParameter(`The content is not a valid Jupyter notebook (cell ${i} is not an object).`);
    const { cell_type, source } = cell as { cell_type?: unknown; source?: unknown };
    const text = Array.isArray(source) ? source.filter((s) => typeof s === 'string').join('') : typeof source === 'string' ? source : '';
    return { cell_type: typeof cell_type === 'string' ? cell_type : 'code', text };
  });
  const language = languageOf((nb as { metadata?: unknown }).metadata);
  return { cells, ...(language ? { language } : {}) };
}

function languageOf(metadata: unknown): Language | undefined {
  const m = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as Record<string, { language?: unknown; name?: unknown } | undefined>;
  for (const name of [m[DATABRICKS_NOTEBOOK]?.language, m.language_info?.name, m.kernelspec?.language]) {
    const language = typeof name === 'string' ? LANGUAGE_NAMES[name.toLowerCase()] : undefined;
    if (language) return language;
  }
  return undefined;
}

export function jupyterToSource(nb: JupyterNotebook, language: Language): string {
  const comment = COMMENT[language];
  const cells = nb.cells.map(({ cell_type, text }) => {
    const body = text.replace(/\n$/, '');
    if (cell_type !== 'markdown') return body;
    return [`${comment} MAGIC %md`, ...body.split('\n').map((line) => (line ? `${comment} MAGIC ${line}` : `${comment} MAGIC`))].join('\n');
  });
  return `${notebookHeader(language)}\n${cells.join(`\n\n${comment} ${CELL_SEPARATOR}\n\n`)}`;
}

/** nbformat 4 for a source notebook (with or without its header line); `name` is the notebook's. */
export function sourceToJupyter(source: string, language: Language, name: string): string {
  const comment = COMMENT[language];
  const body = source.startsWith(notebookHeader(language)) ? source.slice(notebookHeader(language).length).replace(/^\n/, '') : source;
  const separator = new RegExp(`\\n*^${escapeRegExp(`${comment} ${CELL_SEPARATOR}`)}$\\n*`, 'm');
  const magic = new RegExp(`^${escapeRegExp(`${comment} MAGIC`)} ?`);
  const cells = body.split(separator).map((cell) => {
    const lines = cell.replace(/^\n+|\n+$/g, '').split('\n');
    const isMarkdown = lines[0] === `${comment} MAGIC %md` || lines[0]?.startsWith(`${comment} MAGIC %md `);
    if (!isMarkdown) return { cell_type: 'code', metadata: {}, source: asLines(lines), outputs: [], execution_count: null };
    const first = lines[0]!.slice(`${comment} MAGIC %md`.length).trim();
    const text = [...(first ? [first] : []), ...lines.slice(1).map((l) => l.replace(magic, ''))];
    return { cell_type: 'markdown', metadata: {}, source: asLines(text) };
  });
  const lang = language.toLowerCase();
  return JSON.stringify({ cells, metadata: { [DATABRICKS_NOTEBOOK]: { language: lang, notebookName: name }, language_info: { name: lang } }, nbformat: 4, nbformat_minor: 0 });
}

/** nbformat's multi-line string: one entry per line, each but the last ending in a newline. */
function asLines(lines: string[]): string[] {
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
