// Stage: render (Markdown). kramdown's attribute lists (Jekyll's Markdown): a line `{: #id .class}` just
// after or before a block gives that block attributes, `{:name: .class}` defines a named list, and
// `* TOC` followed by `{:toc}` is where kramdown writes a table of contents. Marked knows none of them, and
// they showed in the book as text (`{: .notice–info}`, with typography's dash in it). The lines are taken out
// of the text; the attributes of one after a heading go to the heading (an id that links are written for),
// the others are styling for the site and are left out; a `{:toc}` list is the chapter's own table of
// contents, as `[TOC]` is (render/headings.ts). One right after a span (`**strong**{: .x}`) is left out too.
import type { Token, TokenizerExtension, Tokens } from 'marked';
import { escapeAttr, escapeText } from './tree.js';
import { searchWithin } from './containers.js';
import { readAttributes, type HeadingAttrs } from './heading-attrs.js';
import { codeSpans, fencedLines } from '../articles/markdown-code.js';

/** A line that is only an attribute list or a definition of one (not `{::comment}` or `{:/comment}`). */
const LIST_LINE = /^ {0,3}\{:(?![:/])([^{}\n]*)\}[ \t]*$/;
/** A definition, `{:name: …}`, and a bare word: a reference to one (or `toc`). */
const DEFINITION = /^[\w-]+:/;
const WORD = /(?:^|\s)[A-Za-z_][\w-]*(?=\s|$)/g;

/** The attributes of an attribute list's text (after `{:`), the named lists it refers to left out. */
function readList(inner: string): HeadingAttrs | undefined {
  if (DEFINITION.test(inner.trim())) return undefined;
  return readAttributes(inner.replace(WORD, ' ').trim());
}

/**
 * Whether the text of `{:…}` is an attribute list: attributes and names of lists (`toc` among them), or a
 * definition. Not Clojure's or Ruby's `{:name "Ada"}`, `{:verbose => true}`, nor `{:}`.
 */
function isList(inner: string): boolean {
  const text = inner.trim();
  if (DEFINITION.test(text)) return true;
  const rest = text.replace(WORD, ' ').trim();
  return rest === '' ? text !== '' : readAttributes(rest) !== undefined;
}
const isListLine = (line: string): boolean => {
  const m = LIST_LINE.exec(line);
  return m !== null && isList(m[1]!);
};

/** Whether a line is an attribute list. */
export function isAttributeList(line: string): boolean {
  return isListLine(line);
}

/** A paragraph or a list item's text with the attribute lists of its first and last lines. */
export interface Stripped {
  /** The text without them; '' when it was nothing else. */
  text: string;
  /** The attributes of the lists after the text (or of all of them, when there is no text). */
  after: HeadingAttrs | undefined;
  toc: boolean;
}

/**
 * The text without the attribute lists on its first and last lines, or undefined when it has none. A
 * line-break marker (two spaces) at the end of the last line kept goes with them.
 */
export function stripAttributeLists(text: string): Stripped | undefined {
  if (!text.includes('{:')) return undefined;
  const lines = text.split('\n');
  let first = 0;
  let last = lines.length;
  while (first < last && isListLine(lines[first]!)) first++;
  const ending = last;
  while (last > first && isListLine(lines[last - 1]!)) last--;
  if (first === 0 && last === ending) return undefined;
  const lists = first === last ? lines : lines.slice(last);
  let after: HeadingAttrs | undefined;
  let toc = false;
  for (const line of lists) {
    const inner = LIST_LINE.exec(line)![1]!;
    if (/(?:^|\s)toc(?:\s|$)/.test(inner)) toc = true;
    const attrs = readList(inner);
    if (!attrs) continue;
    after ??= { classes: [], attrs: [] };
    if (attrs.id !== undefined) after.id = attrs.id;
    after.classes.push(...attrs.classes);
    after.attrs.push(...attrs.attrs);
  }
  return { text: lines.slice(first, last).join('\n').replace(/[ \t]+$/, ''), after, toc };
}

/** A heading token that attributes were given to (read by the heading renderer). */
export type Attributed = Tokens.Heading & { quireAttrs?: HeadingAttrs };

/**
 * Give `attrs` to `heading`, a heading just before an attribute list (kramdown's: no blank line between);
 * its own attributes (`{#id}` on its line) come first.
 */
export function giveToHeading(heading: Token | undefined, attrs: HeadingAttrs | undefined): void {
  if (!attrs || heading?.type !== 'heading' || /\n[ \t]*\n$/.test(heading.raw)) return;
  const h = heading as Attributed;
  const own = h.quireAttrs;
  h.quireAttrs = { id: own?.id ?? attrs.id, classes: [...(own?.classes ?? []), ...attrs.classes], attrs: [...(own?.attrs ?? []), ...attrs.attrs] };
}

/** A span's attribute list, right after it: `**strong**{: .class}`. */
const SPAN_LIST = /^\{:(?![:/])[^{}\n]*\}/;
const SPANS = new Set(['em', 'strong', 'codespan', 'link', 'del', 'image']);

/**
 * Take out of `text` (a text token) an attribute list that starts it, when the token before it is a span
 * (emphasis, code, a link) that kramdown would have given it to.
 */
export function stripSpanList(text: Tokens.Text, before: Token | undefined): void {
  if (!before || !SPANS.has(before.type) || text.text.charCodeAt(0) !== 123) return;
  if (!text.text.startsWith('{:')) {
    // Pandoc's attributes of a code span, link, image or span (`![](fig.png){width=50%}`, `` `x`{.python} ``):
    // for its site or its printed page.
    const pandoc = PANDOC_LIST.exec(text.text);
    if (pandoc && before.type !== 'em' && before.type !== 'strong' && before.type !== 'del' && readAttributes(pandoc[1]!.trim())) text.text = text.text.slice(pandoc[0].length);
    return;
  }
  const m = SPAN_LIST.exec(text.text);
  if (m && isList(m[0].slice(2, -1)) && !DEFINITION.test(m[0].slice(2, -1).trim())) text.text = text.text.slice(m[0].length);
}
const PANDOC_LIST = /^\{([^{}\n]{1,500})\}/;

/**
 * kramdown's `markdown` attribute on an HTML element (`<div class="notice" markdown="1">`): what the element
 * holds is Markdown, its blocks read as blocks (`"1"`, `"block"`) or its text as a paragraph's (`"span"`),
 * blank lines or not. Jekyll themes write their notices so; without blank lines Marked took the element for
 * one piece of HTML, and its Markdown showed as written (`#### Title`, `*text*`). The element keeps its
 * other attributes; its tags are raw HTML (positioned and sanitised as any other), its content Markdown.
 */
export interface MarkdownElementToken extends Tokens.Generic {
  type: 'markdownElement';
  raw: string;
  /** The start tag, the content (blocks, or one text of inline tokens), the end tag. */
  tokens: Token[];
}

/** A start tag with a `markdown` attribute, at the start of a block, and the rest of its line. */
const MARKDOWN_START = /^ {0,3}<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'<>=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)\s*>/;
const MARKDOWN_ATTRIBUTE = /\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+))/i;

/** The elements whose content kramdown reads as text (its HTML content model). */
const SPAN_ELEMENTS = new Set('a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt'.split(' '));
/** The elements whose content kramdown reads as blocks (it keeps the others' raw: code, a list's or a table's structure, unknown ones). */
const BLOCK_ELEMENTS = new Set('address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form header hgroup iframe li main map menu nav noscript object section summary td'.split(' '));

/**
 * Whether a place of `src` (asked in increasing order, from `from` on) is in fenced code, or in a code span
 * of its line; `src` is read once, a line at a time.
 */
function codeReader(src: string, from: number): (at: number) => boolean {
  const fenced = fencedLines();
  let line = -1;
  let end = from - 1;
  let inFence = false;
  let inSpan: (at: number) => boolean = () => false;
  return (at) => {
    // The lines up to the one `at` is on, each read once.
    while (end < at && end < src.length) {
      line = end + 1;
      const nl = src.indexOf('\n', line);
      end = nl === -1 ? src.length : nl;
      inFence = fenced(src.slice(line, end));
      inSpan = codeSpans(src, line);
    }
    return inFence || inSpan(at);
  };
}

/**
 * The element with a `markdown` attribute at the start of `src`, read with `lexer`, or undefined (none, or
 * one its end tag does not close: it is raw HTML as before). The search for the end tag is charged to the
 * render's bound, so that a document of elements left open is not read in quadratic time.
 */
export function markdownElement(lexer: { blockTokens(src: string, tokens: Token[]): Token[]; inline(src: string): Token[] }, src: string, budget: { chars: number }): MarkdownElementToken | undefined {
  const start = MARKDOWN_START.exec(src);
  const attribute = start && MARKDOWN_ATTRIBUTE.exec(start[2]!);
  if (!start || !attribute) return undefined;
  const name = start[1]!.toLowerCase();
  let mode = (attribute[1] ?? attribute[2] ?? attribute[3]!).toLowerCase();
  if (mode !== '1' && mode !== 'block' && mode !== 'span') return undefined;
  // `1` is the element's own: its text for a paragraph, a heading, a cell of a table's head (kramdown's
  // content model), blocks for the others. A paragraph's text read as blocks was <p><p>.
  // Elements whose content kramdown keeps raw (code, a list's or a table's structure, unknown ones) stay raw HTML.
  if (mode === '1') {
    if (!SPAN_ELEMENTS.has(name) && !BLOCK_ELEMENTS.has(name)) return undefined;
    mode = SPAN_ELEMENTS.has(name) ? 'span' : 'block';
  }
  // The end tag that closes it, elements of the same name nesting inside; not tags in code (fenced, or a
  // code span on the tag's line), which are the content's text.
  const tags = new RegExp(`<(/?)${name}(?=[\\s/>])[^>]*>`, 'gi');
  const inCode = codeReader(src, start[0].length);
  let depth = 1;
  let close: RegExpExecArray | null = null;
  for (let m = searchWithin(tags, src, start[0].length, budget); m; m = searchWithin(tags, src, tags.lastIndex, budget)) {
    if (inCode(m.index)) continue;
    if (!m[1]) {
      if (!m[0].endsWith('/>')) depth++;
    } else if (--depth === 0) {
      close = m;
      break;
    }
  }
  if (!close) return undefined;
  // Only white space after the end tag, to the end of its line.
  const after = /^[ \t]*(?:\n|$)/.exec(src.slice(close.index + close[0].length));
  if (!after) return undefined;
  const content = src.slice(start[0].length, close.index).replace(/^[ \t]*\n/, '');
  const openTag = start[0].trimStart();
  const open: Tokens.HTML = { type: 'html', block: true, pre: false, raw: openTag, text: `${openTag.replace(MARKDOWN_ATTRIBUTE, '')}${mode === 'span' ? '' : '\n'}` };
  const end: Tokens.HTML = { type: 'html', block: true, pre: false, raw: close[0], text: `${close[0]}\n` };
  const inner: Token[] = mode === 'span' ? [{ type: 'text', raw: content, text: content.trim(), tokens: lexer.inline(content.trim()) } as Tokens.Text] : lexer.blockTokens(content, []);
  return { type: 'markdownElement', raw: src.slice(0, close.index + close[0].length + after[0].length), tokens: [open, ...inner, end] };
}

/**
 * Abbreviations' definitions, `*[HTML]: HyperText Markup Language` (PHP Markdown Extra, kramdown, MkDocs's
 * `abbr`), a line each, in a block of such lines: left out of the text, and each use of the abbreviation in
 * the article (a whole word, outside code) is an `<abbr>` with that title, which the render writes out after
 * its first use (abbreviations.ts). The lines showed as text, and the expansion nowhere else.
 */
const ABBREVIATION_LINE = /^ {0,3}\*\[([^[\]\n]{1,100})\]:[ \t]*([^\n*]{0,1000})(?:\n|$)/;
/** A line that may be a definition, for the render's `any`. */
export const MAY_DEFINE_ABBREVIATION = /^ {0,3}\*\[[^[\]\n]{1,100}\]:/m;
/** Abbreviations an article may define; past them, the lines stay as written. */
export const MAX_ABBREVIATIONS = 1000;

/** The definitions of an article, as its render reads them. */
export interface Abbreviations {
  /** Whether the article has a line that may be one: without, nothing is looked for. */
  any: boolean;
  titles: Map<string, string>;
  /** Made from the titles at the first text rendered (null: none has a title): the pattern, and the titles by the escaped names it matches. */
  matcher?: { pattern: RegExp; byEscaped: Map<string, string> } | null;
}

/** The block extension, reading the render's definitions from `state()`. */
export function abbreviationExtension(state: () => Abbreviations): TokenizerExtension {
  return {
    name: 'abbreviationDefinitions',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.any || !/^ {0,3}\*\[/.test(src)) return undefined;
      // Each line read whole (its length bounded); one whose text holds a `*` is emphasis
      // (`*[Update]: the API changed*`), not a definition.
      const line = (from: number) => src.slice(from, from + 1_200);
      let at = 0;
      for (let m = ABBREVIATION_LINE.exec(line(0)); m && s.titles.size < MAX_ABBREVIATIONS; m = ABBREVIATION_LINE.exec(line(at))) {
        const name = m[1]!.trim();
        if (name && !s.titles.has(name)) s.titles.set(name, m[2]!.trim());
        at += m[0].length;
        if (at >= src.length) break;
      }
      return at === 0 ? undefined : ({ type: 'space', raw: src.slice(0, at) } as Tokens.Space);
    },
  };
}

/** `html`, a text's HTML (escaped), with each abbreviation defined in `s` in an `<abbr>`. */
export function withAbbreviations(html: string, s: Abbreviations): string {
  if (!s.titles.size) return html;
  if (s.matcher === undefined) {
    const names = [...s.titles.keys()].filter((n) => s.titles.get(n)).sort((a, b) => b.length - a.length);
    // An entity (`&amp;`) is passed over whole: an abbreviation `amp` is not inside it.
    const pattern = new RegExp(`&(?:#\\d+|#x[\\da-fA-F]+|\\w+);|(?<![\\p{L}\\p{N}_])(?:${names.map((n) => escapeText(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
    s.matcher = names.length ? { pattern, byEscaped: new Map(names.map((n) => [escapeText(n), s.titles.get(n)!])) } : null;
  }
  if (!s.matcher) return html;
  const { pattern, byEscaped } = s.matcher;
  return html.replace(pattern, (name) => {
    const title = byEscaped.get(name);
    return title === undefined ? name : `<abbr title="${escapeAttr(title)}">${name}</abbr>`;
  });
}

/**
 * kramdown's extensions, on lines of their own: `{::comment}` … `{:/comment}` (or `{:/}`), text kramdown
 * leaves out, as an HTML comment is; `{::nomarkdown}` … `{:/nomarkdown}`, HTML written as it is; and
 * `{::options … /}`, settings for kramdown. Their lines showed as text, and a comment's text with them. One
 * left open stays as written.
 */
const EXTENSION_OPEN = /^ {0,3}\{::(comment|nomarkdown|options)\b[^{}\n]{0,500}?(\/)?\}[ \t]*(?:\n|$)/;
const COMMENT_CLOSE = /^ {0,3}\{:\/(?:comment)?\}[ \t]*$/gm;
const NOMARKDOWN_CLOSE = /^ {0,3}\{:\/(?:nomarkdown)?\}[ \t]*$/gm;
/** A line that may open one, for the render's `any`. */
export const MAY_EXTEND = /^ {0,3}\{::(?:comment|nomarkdown|options)\b/m;

/** The block extension, reading from `state()` whether the text has such a line and how far it may look. */
export function kramdownExtension(state: () => { any: boolean; budget: { chars: number } }): TokenizerExtension {
  return {
    name: 'kramdownExtension',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.any || src.charCodeAt(src.search(/\S/)) !== 123) return undefined;
      const open = EXTENSION_OPEN.exec(src.length > 600 ? src.slice(0, 600) : src);
      if (!open) return undefined;
      const name = open[1]!;
      if (open[2] || name === 'options') return { type: 'space', raw: open[0] } as Tokens.Space;
      const close = searchWithin(name === 'comment' ? COMMENT_CLOSE : NOMARKDOWN_CLOSE, src, open[0].length, s.budget);
      if (!close) return undefined;
      const end = Math.min(src.length, close.index + close[0].length + 1);
      if (name === 'comment') return { type: 'space', raw: src.slice(0, end) } as Tokens.Space;
      const html = src.slice(open[0].length, close.index);
      return { type: 'html', block: true, pre: false, raw: src.slice(0, end), text: html.endsWith('\n') ? html : `${html}\n` } as Tokens.HTML;
    },
  };
}
