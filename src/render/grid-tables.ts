// Stage: render (Markdown). Pandoc's grid tables, drawn with `+`, `-`, `=` and `|`:
//   +---------+--------+
//   | Fruit   | Price  |
//   +=========+========+
//   | Bananas | $1.34  |
//   +---------+--------+
// Marked knows none, and one showed as a paragraph of its lines run together, the dashes made into em dashes.
// A cell holds Markdown blocks (lines of a cell are joined); `=` separates the header's rows from the body's;
// colons in that line (or in the first, without a header) align the columns. A table whose cells span
// columns or rows, or whose lines do not keep to the first line's columns, stays as written.
import type { Lexer, RendererExtension, Token, TokenizerExtension, Tokens } from 'marked';

/** A grid table as a token: its rows of cells (each cell a pseudo-token holding the cell's blocks). */
export interface GridTableToken extends Tokens.Generic {
  type: 'gridTable';
  raw: string;
  align: ('left' | 'right' | 'center' | null)[];
  /** How many of `rows` are the header's. */
  headerRows: number;
  rows: GridCell[][];
  /** Every cell in order, for the walk over tokens (Marked's childTokens). */
  cells: GridCell[];
}

interface GridCell {
  type: 'gridCell';
  raw: string;
  tokens: Token[];
}

/** A border line: `+` then runs of `-`, `=` or `:` each ended by `+`. */
const BORDER = /^(?:[-=:]+\+)+$/;
/** The most lines a grid table is read for (each line is looked at once). */
const MAX_LINES = 5000;

/**
 * What the render says of grid tables: whether the document may hold one (a line starting with `+-` or
 * `+=`), and how many more characters their lines may be read for, all attempts together (a line of
 * borders is tried again from each of its lines: `+--+` 20,000 times took seconds).
 */
export interface GridState {
  any: boolean;
  /** Whether the document has a line that may be a simple table's dashes (SIMPLE_DASHES). */
  simple: boolean;
  budget: { chars: number };
}

/** A simple table's line of dashes: two runs or more of three dashes or more, apart. */
export const SIMPLE_DASHES = /^ {0,3}-{3,}(?:[ \t]+-{3,})+[ \t]*$/;

/**
 * Pandoc's simple table: a header line, a line of dashes for its columns, then rows to a blank line (and an
 * optional last line of dashes). Each column reaches from its dashes' start to the next column's; the header's
 * place over its dashes aligns it (flush right: right; flush left: left; neither: centred). Marked read the
 * dashes as a rule, the header as a paragraph and indented rows as code.
 */
function readSimpleTable(lexer: Lexer, src: string, budget: { chars: number }): GridTableToken | undefined {
  const firstEnd = src.indexOf('\n');
  if (firstEnd === -1) return undefined;
  const secondEnd = src.indexOf('\n', firstEnd + 1);
  const dashes = src.slice(firstEnd + 1, secondEnd === -1 ? src.length : secondEnd);
  if (!SIMPLE_DASHES.test(dashes) || secondEnd === -1) return undefined;
  const header = src.slice(0, firstEnd);
  // Not a line that starts another block (code fences, headings, quotes, lists, HTML, a table's row): those
  // are read first, as pandoc reads them.
  if (!header.trim() || /^(?: {4}|\t)| {0,3}(?:```|~~~|#|>|[-*+][ \t]|\d{1,9}[.)][ \t]|<|\|)/.test(header)) return undefined;
  const runs = [...dashes.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const rows: string[] = [];
  let at = secondEnd + 1;
  let end = at;
  while (at < src.length && budget.chars > 0) {
    const nl = src.indexOf('\n', at);
    const lineEnd = nl === -1 ? src.length : nl;
    const line = src.slice(at, lineEnd);
    budget.chars -= line.length + 1;
    if (!line.trim()) break;
    end = nl === -1 ? src.length : nl + 1;
    at = end;
    if (SIMPLE_DASHES.test(line)) break;
    rows.push(line);
  }
  // No more cells than the table has characters (800 runs of dashes over 800 one-letter rows made 640,000).
  if (!rows.length || runs.length > 64 || runs.length * (rows.length + 1) > end) return undefined;
  const starts = runs.map(([start]) => start);
  const cellsOf = (line: string) => starts.map((start, i) => line.slice(i === 0 ? 0 : start, i + 1 < starts.length ? starts[i + 1] : undefined).trim());
  const align = runs.map(([start, stop]) => {
    const left = header[start] !== undefined && header[start] !== ' ' && (start === 0 || header[start - 1] === ' ' || header[start - 1] === undefined);
    const right = header[stop - 1] !== undefined && header[stop - 1] !== ' ' && (header[stop] === undefined || header[stop] === ' ');
    return left && right ? null : right ? 'right' : left ? 'left' : 'center';
  });
  const cells: GridCell[] = [];
  const cell = (text: string): GridCell => {
    const c: GridCell = { type: 'gridCell', raw: text, tokens: text ? [{ type: 'paragraph', raw: text, text, tokens: lexer.inline(text) } as Tokens.Paragraph] : [] };
    cells.push(c);
    return c;
  };
  const tableRows = [header, ...rows].map((line) => cellsOf(line).map(cell));
  return { type: 'gridTable', raw: src.slice(0, end), align, headerRows: 1, rows: tableRows, cells };
}

/** The extension, reading the render's state from `state()`. */
export function gridTableExtension(state: () => GridState): TokenizerExtension & RendererExtension {
  return {
    name: 'gridTable',
    level: 'block',
    // No `start`: a table follows a blank line, as in pandoc, and is not looked for inside a paragraph (a
    // search from every paragraph to the next `+-` line was quadratic, and an indented one cut paragraphs).
    tokenizer(src) {
      const s = state();
      if (s.simple && s.budget.chars > 0 && src.charCodeAt(0) !== 43) {
        const simple = readSimpleTable(this.lexer, src, s.budget);
        if (simple) return simple;
      }
      if (!s.any || s.budget.chars <= 0 || !/^ {0,3}\+[-=:]/.test(src)) return undefined;
      return readGridTable(this.lexer, src, s.budget);
    },
    renderer(t) {
      const token = t as GridTableToken;
      const cellHtml = (cell: GridCell) => {
        const only = cell.tokens.length === 1 && cell.tokens[0]!.type === 'paragraph' ? (cell.tokens[0] as Tokens.Paragraph) : undefined;
        return only ? this.parser.parseInline(only.tokens) : this.parser.parse(cell.tokens).trim();
      };
      const row = (cells: GridCell[], tag: 'th' | 'td') =>
        `<tr>\n${cells.map((c, i) => `<${tag}${token.align[i] ? ` align="${token.align[i]}"` : ''}>${cellHtml(c)}</${tag}>\n`).join('')}</tr>\n`;
      const head = token.rows.slice(0, token.headerRows);
      const body = token.rows.slice(token.headerRows);
      const caption = (token as { quireCaption?: Token[] }).quireCaption;
      return withCaption(`<table>\n${head.length ? `<thead>\n${head.map((r) => row(r, 'th')).join('')}</thead>\n` : ''}${body.length ? `<tbody>${body.map((r) => row(r, 'td')).join('')}</tbody>` : ''}</table>\n`, caption && this.parser.parseInline(caption));
    },
    childTokens: ['cells'],
  };
}

/** The grid table that starts `src`, or undefined when it is not one quire can read whole. */
function readGridTable(lexer: Lexer, src: string, budget: { chars: number }): GridTableToken | undefined {
  const indent = /^ */.exec(src)![0].length;
  const lines: string[] = [];
  let at = 0;
  while (at < src.length && lines.length < MAX_LINES && budget.chars > 0) {
    const nl = src.indexOf('\n', at);
    const end = nl === -1 ? src.length : nl;
    budget.chars -= end - at + 1;
    const line = src.slice(at, end).replace(/[ \t]+$/, '');
    if (!line.startsWith(' '.repeat(indent)) || !/^[+|]/.test(line.slice(indent))) break;
    lines.push(line.slice(indent));
    at = end + 1;
  }
  if (lines.length < 3 || !BORDER.test(lines[0]!.slice(1))) return undefined;
  // The columns: where the first line has its `+`.
  const first = lines[0]!;
  const bars: number[] = [];
  for (let i = 0; i < first.length; i++) if (first[i] === '+') bars.push(i);
  const width = first.length;
  // The table ends at its last border line.
  let last = lines.length - 1;
  while (last > 0 && !lines[last]!.startsWith('+')) last--;
  if (last < 2) return undefined;
  const rows: string[][][] = [];
  let current: string[][] | undefined;
  let headerRows = 0;
  let separator = first;
  for (let n = 0; n <= last; n++) {
    const line = lines[n]!;
    if (line.length !== width) return undefined;
    if (line.startsWith('+')) {
      if (!BORDER.test(line.slice(1)) || bars.some((b) => line[b] !== '+')) return undefined;
      if (n > 0 && !current) return undefined;
      if (current) rows.push(current);
      current = undefined;
      if (line.includes('=')) {
        if (headerRows || n === 0 || n === last) return undefined;
        headerRows = rows.length;
        separator = line;
      }
      continue;
    }
    if (bars.some((b) => line[b] !== '|')) return undefined;
    current ??= bars.slice(1).map(() => []);
    for (let c = 0; c + 1 < bars.length; c++) current[c]!.push(line.slice(bars[c]! + 1, bars[c + 1]!));
  }
  if (!rows.length) return undefined;
  const align = bars.slice(1).map((b, c) => {
    const spec = separator.slice(bars[c]! + 1, b);
    const left = spec.startsWith(':');
    const right = spec.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
  const cells: GridCell[] = [];
  const tableRows = rows.map((row) =>
    row.map((cellLines) => {
      // The cell's lines, less the indentation they share (a cell's text starts a space after its bar).
      const shared = cellLines.filter((l) => l.trim()).reduce((a, l) => Math.min(a, /^ */.exec(l)![0].length), 1_000);
      const text = cellLines.map((l) => l.slice(shared).replace(/[ \t]+$/, '')).join('\n').trim();
      const cell: GridCell = { type: 'gridCell', raw: text, tokens: lexer.blockTokens(text, []) };
      cells.push(cell);
      return cell;
    }),
  );
  // The source up to the end of the last border's line.
  const lastLineEnd = nthLineEnd(src, last);
  const raw = src.slice(0, lastLineEnd === -1 ? src.length : lastLineEnd + 1);
  return { type: 'gridTable', raw, align, headerRows, rows: tableRows, cells };
}

/** Where the `n`th line (from 0) of `text` ends, or -1 when it is the last. */
function nthLineEnd(text: string, n: number): number {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/** A table's HTML with its caption (pandoc's, render/markdown.ts), when it has one, first in it. */
export function withCaption(html: string, caption: string | undefined): string {
  return caption === undefined ? html : html.replace(/^<table>\n?/, `<table>\n<caption>${caption}</caption>\n`);
}
