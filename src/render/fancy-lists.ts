// Stage: render (Markdown). Pandoc's fancy lists: items marked with letters or roman numerals, `a.`, `b)`,
// `(c)`, `A.`, `iv.`, `(IV)`, with `#.` for a number left to the list, and its example lists, `(@)`,
// numbered through the document (a labelled one, `(@good)`, stays as written: `(@alice) hey` is a chat's
// line). CommonMark knows only numbers: the items ran together into one
// paragraph, their markers in the text. A list of letters or numerals needs two items at least, the second
// marked as the one after the first (`a.` then `b.`), so that a sentence that starts with an initial
// (`A. Smith wrote…`, which pandoc also reads as text: a capital and a period take two spaces) stays one.
import type { Token, TokenizerExtension, RendererExtension, Tokens } from 'marked';

/** A marker at the start of a line, with what follows it: its kind's word, its delimiters and the space after. */
const MARKER = /^ {0,3}(\()?(#|@|[ivxlcdm]{1,8}|[IVXLCDM]{1,8}|[a-z]|[A-Z])([.)])([ \t]+|$)/;

type Style = 'a' | 'A' | 'i' | 'I' | '#' | '@';
interface Marker {
  style: Style;
  value: number;
  /** `(x)`, `x)` or `x.`: items of one list share it. */
  delimiter: string;
  /** The marker's length with the space after it. */
  width: number;
}

function romanValue(s: string): number | undefined {
  const digits: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const d = digits[s[i]!.toLowerCase()]!;
    const next = i + 1 < s.length ? digits[s[i + 1]!.toLowerCase()]! : 0;
    total += d < next ? -d : d;
  }
  return total > 0 && toRoman(total) === s.toLowerCase() ? total : undefined;
}
function toRoman(n: number): string {
  const table: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [v, r] of table) while (n >= v) (out += r), (n -= v);
  return out;
}

/** The marker that starts `line`, if any; `roman` reads `i`, `v`, `x`… as numerals (a list that started so). */
function markerOf(line: string, roman: boolean | undefined): Marker | undefined {
  const m = MARKER.exec(line);
  if (!m) return undefined;
  const [, open, word, close, space] = m;
  if (open && close !== ')') return undefined;
  const delimiter = `${open ?? ''}${close}`;
  const width = m[0].length;
  if (word === '#') return { style: '#', value: 0, delimiter, width };
  if (word === '@') return { style: '@', value: 0, delimiter, width };
  // A capital letter and a period take two spaces after them (pandoc's rule: initials stay text).
  if (/^[A-Z]$/.test(word!) && close === '.' && !open && space!.length < 2 && space !== '\t') return undefined;
  const lower = word === word!.toLowerCase();
  const asRoman = word!.length > 1 || (roman ?? /^[iI]$/.test(word!));
  if (asRoman && /^[ivxlcdm]+$/i.test(word!)) {
    const value = romanValue(word!);
    if (value !== undefined) return { style: lower ? 'i' : 'I', value, delimiter, width };
  }
  if (word!.length !== 1) return undefined;
  return { style: lower ? 'a' : 'A', value: word!.toLowerCase().charCodeAt(0) - 96, delimiter, width };
}

type FancyList = Tokens.Generic & { type: 'fancyList'; style: Style; start: number; loose: boolean; items: { tokens: Token[] }[] };

/** The state of one render: whether the text has a line that may start such a list, and the examples' count. */
export interface FancyState {
  any: boolean;
  examples: number;
  /** How deep lists are read inside items, at most MAX_DEPTH. */
  depth: number;
}
const MAX_DEPTH = 32;
/**
 * A line that starts another block, or underlines a heading: it ends an item's lazy lines (a heading, a
 * fence, a quote, a list, HTML, a table's row, a rule, a container, math, a note's definition).
 */
const BLOCK_START = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|`{3}|~{3}|>|[-*+][ \t]|\d{1,9}[.)][ \t]|<|\||:::|!!!|\$\$|\[\^[^\]\n]*\]:|(?:[-*_=][ \t]*){3,}$|\+[-=]|[^\n|]*\|[ \t]*:?-{3,})/;

/** A line that may start a fancy list, for the render's `any`. */
export const FANCY_LINE = new RegExp(MARKER.source, 'm');

export function fancyListExtension(state: () => FancyState): TokenizerExtension & RendererExtension {
  return {
    name: 'fancyList',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.any || s.depth >= MAX_DEPTH) return undefined;
      const first = markerOf(src.slice(0, src.indexOf('\n') === -1 ? src.length : src.indexOf('\n')), undefined);
      if (!first) return undefined;
      const items: { text: string[] }[] = [];
      let at = 0;
      let loose = false;
      let previous: Marker | undefined;
      let end = 0;
      while (at < src.length) {
        const nl = src.indexOf('\n', at);
        const lineEnd = nl === -1 ? src.length : nl;
        const line = src.slice(at, lineEnd);
        const next = lineEnd === src.length ? lineEnd : lineEnd + 1;
        const marker = markerOf(line, first.style === 'i' || first.style === 'I');
        const follows = marker && previous && marker.style === first.style && marker.delimiter === first.delimiter && (first.style === '#' || first.style === '@' || marker.value === previous.value + 1);
        if (!previous || follows) {
          if (previous && items[items.length - 1]!.text.at(-1) === '') loose = true;
          items.push({ text: [line.slice(marker!.width)] });
          previous = marker!;
          end = next;
        } else if (!line.trim()) {
          items[items.length - 1]!.text.push('');
        } else if (/^[ \t]/.test(line) || (items[items.length - 1]!.text.at(-1) !== '' && !marker && !BLOCK_START.test(line))) {
          // Indented, or the lazy continuation of the item's paragraph.
          const item = items[items.length - 1]!;
          if (item.text.at(-1) === '') loose = true;
          item.text.push(line.replace(/^(?: {1,4}|\t)/, ''));
          end = next;
        } else break;
        at = next;
      }
      // Letters and numerals: two items at least, the second after the first.
      if (items.length < 2 && first.style !== '#' && first.style !== '@') return undefined;
      // Each item's blocks, read as Marked reads a list item's (not at the document's top: Marked's lexer
      // is back at the top after each).
      const top = this.lexer.state.top;
      s.depth++;
      let tokens: { tokens: Token[] }[];
      try {
        tokens = items.map((item) => {
          this.lexer.state.top = false;
          return { tokens: this.lexer.blockTokens(item.text.join('\n').replace(/\n+$/, ''), []) };
        });
      } finally {
        s.depth--;
        this.lexer.state.top = top;
      }
      // A loose list's texts are paragraphs, as Marked makes them in its own lists.
      if (loose) for (const item of tokens) for (const t of item.tokens) if (t.type === 'text') (t as Token).type = 'paragraph';
      const start = first.style === '@' ? s.examples + 1 : first.style === '#' ? 1 : first.value;
      if (first.style === '@') s.examples += items.length;
      return { type: 'fancyList', raw: src.slice(0, end), style: first.style, start, loose, items: tokens } as FancyList;
    },
    renderer(t) {
      const list = t as FancyList;
      const type = list.style === '#' || list.style === '@' ? '' : ` type="${list.style}"`;
      const start = list.start !== 1 ? ` start="${list.start}"` : '';
      const items = list.items.map((item) => `<li>${this.parser.parse(item.tokens)}</li>\n`);
      return `<ol${type}${start}>\n${items.join('')}</ol>\n`;
    },
  };
}
