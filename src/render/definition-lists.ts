// Stage: render (Markdown). Definition lists, as PHP Markdown Extra, kramdown (Jekyll), goldmark (Hugo),
// pandoc and MultiMarkdown write them: one or more lines of terms, then definitions that start with `: `.
//
//     Term
//     Another term
//     : A definition, its lines lazy
//       or indented.
//
//     :   A second definition, loose (after a blank line), and a second paragraph of it:
//
//         Indented as the first line's text is (four columns at most).
//
// Marked knows none of them: a term and its definitions were one paragraph, the terms run into the
// definitions with their colons showing (pandoc's manual, Hugo's and Jekyll's documentation use them for
// every option). A term is a line of text after a blank line (not a heading, a list item, a quote, a fence,
// a table row or a link's definition); a definition runs to a blank line, and on after it over lines indented
// as its text is; another group of terms may follow after a blank line. A definition is tight (its text
// bare in `<dd>`) unless a blank line comes before it or inside it, as pandoc has it.
import type { Lexer, RendererExtension, Token, TokenizerExtension, Tokens } from 'marked';
import { MAX_CONTAINER_DEPTH, type ContainerState } from './containers.js';

export interface DefinitionListToken extends Tokens.Generic {
  type: 'definitionList';
  raw: string;
  /** Terms and definitions in source order. */
  tokens: (DefinitionTerm | DefinitionDescription)[];
}
interface DefinitionTerm extends Tokens.Generic {
  type: 'definitionTerm';
  raw: string;
  tokens: Token[];
}
interface DefinitionDescription extends Tokens.Generic {
  type: 'definitionDescription';
  raw: string;
  tokens: Token[];
}

/** A definition's first line: up to three spaces, a colon, then white space and its text. */
const MARKER = /^( {0,3}:[ \t]+)\S/;
/** Whether a document may hold a definition list at all (a definition's line anywhere). */
export const MAY_DEFINE = /(?:^|\n)[ \t>]*:[ \t]+\S/;
/** Lines that start a block of their own, so cannot be a term: headings, quotes, fences, lists, HTML, tables, rules, links' and notes' definitions, math, shortcodes, attribute lists. */
const NOT_TERM = /^(?: {0,3}(?:#|>|```|~~~|<|\||[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[[^\]\n]*\]:|\$\$|\{\{|\{:|(?:[-=_*][ \t]*){3,}$|=+[ \t]*$)| {4}|\t)/;
/** Lines that end a definition's lazy text as they would end a paragraph. */
const INTERRUPTS = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|>|```|~~~|<[A-Za-z/!?]|(?:[-_*][ \t]*){3,}$)/;
/** How many lines of terms one definition may have. */
const MAX_TERMS = 8;

const blank = (line: string) => !/\S/.test(line);

/** The columns of leading white space in `line`, a tab counting to the next multiple of four. */
function indentOf(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

/** `line` less up to `columns` of its leading white space (a tab that goes past them is kept as spaces). */
function outdent(line: string, columns: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < columns) {
    const ch = line[i]!;
    if (ch === ' ') col++;
    else if (ch === '\t') {
      const next = col + 4 - (col % 4);
      if (next > columns) return ' '.repeat(next - columns) + line.slice(i + 1);
      col = next;
    } else break;
    i++;
  }
  return line.slice(i);
}

/**
 * The lines of a text, split as far as they are read: a definition list splits only its own lines, not the
 * rest of the document (which every list of a long document would otherwise split again).
 */
class Lines {
  private readonly starts: number[] = [0];
  private readonly lines: string[] = [];
  constructor(private readonly src: string) {}

  /** Line `i`, or undefined past the end. */
  at(i: number): string | undefined {
    while (this.lines.length <= i) {
      const start = this.starts[this.lines.length]!;
      if (start > this.src.length) return undefined;
      const nl = this.src.indexOf('\n', start);
      const end = nl === -1 ? this.src.length : nl;
      this.lines.push(this.src.slice(start, end));
      this.starts.push(end + 1);
    }
    return this.lines[i];
  }

  /** Where line `i` starts in the text (its length, past the end). */
  offset(i: number): number {
    if (i > 0) this.at(i - 1);
    return Math.min(this.starts[i] ?? this.src.length, this.src.length);
  }
}

const isBlank = (line: string | undefined) => line !== undefined && blank(line);

/** The terms at line `at` on, and where their first definition's line is; undefined when none follows. */
function termsAt(lines: Lines, at: number): { terms: number; marker: number } | undefined {
  let i = at;
  for (let line = lines.at(i); line !== undefined && i - at < MAX_TERMS && !blank(line) && !MARKER.test(line) && !NOT_TERM.test(line); line = lines.at(++i));
  const terms = i - at;
  if (terms === 0) return undefined;
  while (isBlank(lines.at(i))) i++;
  const marker = lines.at(i);
  return marker !== undefined && MARKER.test(marker) ? { terms, marker: i } : undefined;
}

/** The extension, reading the render's state from `state()`: whether the document has a definition's line, and the containers' depth (a definition is lexed inside the list, as a container's blocks are). */
export function definitionListExtension(state: () => { any: boolean; containers: ContainerState }): TokenizerExtension & RendererExtension {
  return {
    name: 'definitionList',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.any || s.containers.depth >= MAX_CONTAINER_DEPTH) return undefined;
      const lines = new Lines(src);
      return termsAt(lines, 0) ? definitionList(this.lexer, s.containers, lines, src) : undefined;
    },
    renderer(t) {
      return `<dl>\n${this.parser.parse((t as DefinitionListToken).tokens)}</dl>\n`;
    },
  };
}

/** The definition list's two kinds of item, rendered. */
export const definitionItems: RendererExtension[] = [
  {
    name: 'definitionTerm',
    renderer(t) {
      return `<dt>${this.parser.parseInline((t as DefinitionTerm).tokens)}</dt>\n`;
    },
  },
  {
    name: 'definitionDescription',
    renderer(t) {
      return `<dd>${this.parser.parse((t as DefinitionDescription).tokens)}</dd>\n`;
    },
  },
];

/** Read the definition list at the start of `src` (whose terms termsAt has found). */
function definitionList(lexer: Lexer, containers: ContainerState, lines: Lines, src: string): DefinitionListToken {
  const items: (DefinitionTerm | DefinitionDescription)[] = [];
  let i = 0;
  let end = 0;
  containers.depth++;
  try {
    for (let group = termsAt(lines, 0); group; group = termsAt(lines, i)) {
      for (let k = i; k < i + group.terms; k++) {
        const text = lines.at(k)!.trim();
        items.push({ type: 'definitionTerm', raw: lines.at(k)!, text, tokens: lexer.inline(text) });
      }
      let loose = group.marker > i + group.terms;
      i = group.marker;
      // Each definition of the group.
      for (let line = lines.at(i); line !== undefined && MARKER.test(line); line = lines.at(i)) {
        const from = i;
        const marker = MARKER.exec(line)![1]!;
        const width = Math.min(indentOf(marker.replace(':', ' ')), 4);
        const body = [line.slice(marker.length)];
        i++;
        let inner = false;
        for (let next = lines.at(i); next !== undefined; next = lines.at(i)) {
          if (!blank(next)) {
            if (MARKER.test(next) || (indentOf(next) < width && INTERRUPTS.test(next))) break;
            body.push(outdent(next, 4));
            i++;
            continue;
          }
          // After blank lines: more of this definition where the text is indented as its first line's is.
          let after = i;
          while (isBlank(lines.at(after))) after++;
          const more = lines.at(after);
          if (more === undefined || indentOf(more) < width || MARKER.test(more)) break;
          for (; i < after; i++) body.push('');
          inner = true;
        }
        items.push(description(lexer, src.slice(lines.offset(from), lines.offset(i - 1) + lines.at(i - 1)!.length), body.join('\n'), loose || inner));
        end = i;
        // A blank line, then another definition of the same terms: that one is loose.
        let after = i;
        while (isBlank(lines.at(after))) after++;
        const more = lines.at(after);
        if (after > i && more !== undefined && MARKER.test(more)) {
          i = after;
          loose = true;
        }
      }
      i = end;
      // Blank lines, then another group of terms.
      let after = i;
      while (isBlank(lines.at(after))) after++;
      if (after === i) break;
      i = after;
    }
  } finally {
    containers.depth--;
  }
  return { type: 'definitionList', raw: src.slice(0, lines.offset(end)), tokens: items };
}

/** A definition: its text lexed as the blocks of a list item are, its paragraphs bare unless it is loose. */
function description(lexer: Lexer, raw: string, text: string, loose: boolean): DefinitionDescription {
  const top = lexer.state.top;
  lexer.state.top = false;
  const tokens: Token[] = [];
  try {
    lexer.blockTokens(text, tokens);
  } finally {
    lexer.state.top = top;
  }
  if (loose) for (const t of tokens) if (t.type === 'text') t.type = 'paragraph';
  return { type: 'definitionDescription', raw, text, tokens };
}
