// Markdown -> HTML with one private Marked instance (GFM, footnotes).
// Links, images and raw HTML carry their source offset into the HTML so later stages can point at the line.
import { Lexer, Marked, Renderer, Tokenizer, type Token, type Tokens, type TokensList } from 'marked';
import { decodeHTMLStrict } from 'entities';
import markedAlert from 'marked-alert';
import markedFootnote from 'marked-footnote';
import { placeOf } from '../diagnostics.js';
import { closingBracket, footnoteReference, inlineNote, settleNotes, type NoteFinding } from './footnote-labels.js';
import { readAttributes, splitHeadingAttrs, type HeadingAttrs } from './heading-attrs.js';
import { readCodeInfo } from './code-info.js';
import { definitionItems, definitionListExtension, MAY_DEFINE } from './definition-lists.js';
import { gridTableExtension, SIMPLE_DASHES, withCaption, type GridState } from './grid-tables.js';
import { blocksExtension, calloutOf, GITHUB_ALERTS, containerAhead, containerExtension, MAY_MKDOCS, mkdocsExtension, containerToken, findContainer, MAX_CONTAINER_DEPTH, MYST_DIRECTIVE, mystInfo, type ContainerState, type ContainerToken } from './containers.js';
import type { MkDocsSyntax } from '../articles/mkdocs.js';
import { INCLUDE, MKDOCS_SNIPPET, MKDOCS_SNIPPET_LINES, PARTIAL_USE, snippetKey, VITEPRESS_DIRECTIVE, withPartialProps } from '../articles/includes.js';
import { STRING_EXPRESSION, withJsxTags } from './jsx-tags.js';
import { FANCY_LINE, fancyListExtension, type FancyState } from './fancy-lists.js';
import { wikilinkExtension, withoutVaultMarks } from './obsidian.js';
import { backtickRuns } from '../articles/markdown-code.js';
import { liquidExtension, liquidValues, rawEndLine, rawTags, withLiquidDestination, withLiquidValues, withoutRawLines, withoutRawTags } from './liquid.js';
import { abbreviationExtension, kramdownExtension, MAY_DEFINE_ABBREVIATION, MAY_EXTEND, giveToHeading, isAttributeList, markdownElement, stripAttributeLists, stripSpanList, withAbbreviations, type Abbreviations, type MarkdownElementToken } from './kramdown.js';
import { escapedShortcode, opensBlock, shortcodeExtension, unescapeShortcodes, withRefDestination } from './shortcodes.js';
import { highlightKey, highlightXhtml, mayHighlight } from './highlight.js';
import { escapeUnknownEntities, POS_COMMENT } from './html-parse.js';
import { CONTENTS_PLACE } from './headings.js';
import { DOC_LINK } from './link-names.js';
import { ANY_LINK, ANY_TITLED, LABEL_PLACE, labelId, readDirectiveOptions, REF_LINK, TARGET_LINE } from './myst.js';
import { EMOJI } from './emoji.js';
import { docRoleHtml, toctreeHtml } from './toctree.js';
import { inlineMathEnd, MAX_TEX, texToMathml } from './math.js';
import { escapeAttr, escapeText, stripForbidden } from './tree.js';
import { excerpt } from './sanitize-state.js';

/** Attribute that carries a source offset on rendered `<a>` and `<img>`; removed by the XHTML stage. */
export const POS_ATTR = 'data-quire-pos';
/** Attribute of a fenced block's `<code>` that the serialiser highlights, naming its language (removed by the sanitiser). */
export const HIGHLIGHT_ATTR = 'data-quire-highlight';
/** Marks a heading's text that its id leaves out (a placeholder GitHub drops): taken off by the sanitiser. */
export const UNSLUGGED_ATTR = 'data-quire-unslugged';
/** Comment that precedes raw HTML from the Markdown, giving its source span: `<!--quire-pos:123:140-->` (defined in html-parse.ts). */
export { POS_COMMENT } from './html-parse.js';

type Positioned = Token & { quirePos?: number; quireHolds?: boolean; quireReport?: boolean };

/**
 * The tokens whose offset the renderer writes out (withPos, raw HTML's comment, math's problems); any other
 * token whose place a problem gives is marked `quireReport`.
 */
const POSITIONED_TYPES = new Set(['link', 'image', 'html', 'math', 'mathBlock', 'code']);

const defaultRenderer = new Renderer();

/** A link's or image's URL whose host is an IPv6 address, as Marked writes it: the brackets percent-encoded. */
const ENCODED_IPV6_HOST = /^(<(?:a href|img src)="[a-z][a-z0-9+.-]*:\/\/(?:[^/?#"@]*@)?)%5B([0-9a-f:.]+)%5D/i;

/**
 * Marked writes a link's or image's URL through encodeURI, which percent-encodes the brackets of an IPv6
 * host (`http://[::1]/a.png` became `http://%5B::1%5D/a.png`, which no reader opens and no image download
 * could fetch): they are put back.
 */
function withIpv6Host(html: string): string {
  return html.includes('%5B') ? html.replace(ENCODED_IPV6_HOST, '$1[$2]') : html;
}

function withPos(html: string, tag: string, token: Positioned): string {
  if (token.quirePos === undefined || !html.startsWith(`<${tag}`)) return html;
  return `<${tag} ${POS_ATTR}="${token.quirePos}"${html.slice(tag.length + 1)}`;
}

/** Choices that change how Markdown becomes HTML. */
export interface MarkdownOptions {
  /** `$…$` and `$$…$$` are TeX math. */
  math: boolean;
  /** Fenced code with a language is highlighted. */
  highlight?: boolean;
  /**
   * Where highlighted blocks are put, by highlightKey, when they are highlighted now: the serialiser, which
   * otherwise highlights them, takes them from there. Without it they are highlighted as they are serialised.
   */
  highlighted?: Map<string, string>;
  /** What the article's mdBook includes stand for, by directive (articles/includes.ts). */
  includes?: Record<string, string>;
  /**
   * An article of an Obsidian vault (articles/vault.ts): its `[[links]]`, `![[embeds]]` and `==marks==` are
   * read, and its links lead to the files named here, by the name written.
   */
  vault?: Record<string, string>;
  /** An MDX file: its ESM statements (`import`, `export`) and `{/* comments *\/}` are the site's, not text. */
  mdx?: boolean;
  /** An article of an MkDocs project: the pymdownx inline syntax its configuration turns on (articles/mkdocs.ts), maybe none. */
  mkdocs?: MkDocsSyntax;
  /** An article of an mdBook book: its Rust code's hidden lines are shown without their `#`. */
  mdbook?: boolean;
  /** An article of a VitePress site: Shiki's notations in its code are the site's (withoutCodeNotations). */
  vitepress?: boolean;
  /** An article of a Jekyll site: its configuration's values, which `{{ site.… }}` shows (liquid.ts withLiquidValues). */
  jekyll?: Record<string, string>;
  /** With `jekyll`: the values `{{ page.… }}` shows, from the article's front matter (liquid.ts pageValues). */
  page?: Record<string, string>;
}

/** A problem found while rendering, at an offset of the body. */
export interface MarkdownProblem {
  pos: number;
  code: 'math-invalid' | 'table-cells-dropped' | 'include-unreadable' | 'html-unclosed' | 'container-not-read' | NoteFinding['code'];
  message: string;
}

// One render at a time per thread: the extensions read the current options and record problems here.
let current: MarkdownOptions = { math: true };
let problems: MarkdownProblem[] = [];
let renderedBody = '';

/**
 * What an article's includes may add to it, counted at each use: the load stage bounds the text of the files
 * read, and a directive written a thousand times is that text a thousand times (300 lines naming a 1 MB file
 * took 4 GB and 97 s, and the build died).
 */
const MAX_EXPANDED_CHARS = 8 * 1024 * 1024;
/**
 * And in blocks and headings, as the article's own text is bounded (render/chapter.ts, countBlocks): 1 MB
 * of short paragraphs put in 4 times took 21 s and 2.5 GB, 8 times more than 4 GB, with no word.
 */
const MAX_EXPANDED_BLOCKS = 50_000;
const MAX_EXPANDED_HEADINGS = 10_000;
let expansion = { full: false, chars: 0, blocks: 0, headings: 0, uses: new Map<string, number>(), warned: new Set<string>(), open: new Set<string>() };

/** What the include `directive` stands for, as the load stage read it; undefined when it could not. */
function includedText(directive: string): string | undefined {
  // (A file imported as a string, `{Source}`, is code in a `<CodeBlock>` only: never Markdown in place.)
  return current.includes && Object.hasOwn(current.includes, directive) && !/^\{[A-Za-z_$]/.test(directive) ? current.includes[directive]! : undefined;
}

/**
 * An include's Markdown in place of its directive's block `raw` (an mdBook include, a VitePress Markdown
 * include, an MDX partial): a plain block holding its blocks, read a level deeper.
 */
function includedBlock(lexer: Lexer, raw: string, text: string, directive: string): ContainerToken {
  // While its text is read, the include is open: the same include in that text is not put in again.
  const reopened = expansion.open.has(directive);
  expansion.open.add(directive);
  try {
    return containerToken(lexer, containers, raw, { kind: undefined, classes: [], id: undefined, title: undefined }, `${text}\n`);
  } finally {
    if (!reopened) expansion.open.delete(directive);
  }
}

/**
 * Whether the include `directive` may be put in place of its text `value` (a warning at the first that may
 * not); `markdown`: the text is read as Markdown (not put in a code block), and its blocks count.
 */
function mayExpand(directive: string, value: string, markdown = true): boolean {
  // A part that includes itself (or a part that includes it): mdBook stops after 10 levels; put in at each
  // level, two such includes in a part doubled its text at each (exit 70 after 10 s and 930 MB).
  if (expansion.open.has(directive)) {
    refuseInclude(directive, 'is shown as written where the text it puts in includes it again');
    return false;
  }
  // Past a bound, the includes after it are shown as written (said once).
  if (expansion.full) return false;
  const uses = (expansion.uses.get(directive) ?? 0) + 1;
  expansion.uses.set(directive, uses);
  if ((expansion.chars += value.length) > MAX_EXPANDED_CHARS) {
    expansion.full = true;
    refuseInclude(directive, `and the includes after it are shown as written: they would add more than ${MAX_EXPANDED_CHARS / 1024 / 1024} MB of text to the article`);
    return false;
  }
  if (!markdown) return true;
  const added = headingsAndBlocks(value);
  expansion.blocks += added.blocks;
  expansion.headings += added.headings;
  if (expansion.blocks <= MAX_EXPANDED_BLOCKS && expansion.headings <= MAX_EXPANDED_HEADINGS) return true;
  expansion.full = true;
  refuseInclude(directive, `and the includes after it are shown as written: they would add more than ${expansion.blocks > MAX_EXPANDED_BLOCKS ? `${MAX_EXPANDED_BLOCKS} paragraphs and other blocks` : `${MAX_EXPANDED_HEADINGS} headings`} to the article`);
  return false;
}

/**
 * A heading's line, at the top level or after quote and list markers, the line indented three spaces at
 * most. Each space is the run's after a marker (no two ways to read one: `> `.repeat(3000) made a
 * pattern that could give it to the marker or to the next one try 2^3000 ways).
 */
const HEADING_LINE = /^ {0,3}(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)*(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$)/gm;

/**
 * The headings (in list items and quotes too, `- # a`, `> # a`, not in indented code) and the blank-line
 * separated blocks of a Markdown text, counted without reading it: the bounds of an article's size
 * (render/chapter.ts, countBlocks) and of what its includes add (mayExpand).
 */
export function headingsAndBlocks(text: string): { headings: number; blocks: number } {
  let headings = 0;
  for (const _ of text.matchAll(HEADING_LINE)) headings++;
  let blocks = 1;
  for (const _ of text.matchAll(/\n[ \t]*\n(?=[ \t]*\S)/g)) blocks++;
  return { headings, blocks: blocks + nestedOpened(text) };
}

/**
 * `body` without the lines of its fenced blocks at the top level that are closed: one left open, or in a
 * quote or a list item (which Marked ends with its container), is kept as it is, so that no fence hides
 * headings from the size limits (render/chapter.ts, countBlocks) nor end tags from endsInBody.
 */
export function outsideFences(body: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  let held: string[] = [];
  // In an HTML block that ends at a marker (a comment, `<pre>`, `<script>`...), a fence is not one.
  let html: string | undefined;
  for (const line of body.split('\n')) {
    if (html !== undefined) {
      out.push(line);
      if (line.toLowerCase().includes(html)) html = undefined;
      continue;
    }
    if (fence === undefined) {
      const block = /^ {0,3}(?:<(script|pre|style|textarea)(?=[\s>]|$)|<!--)/i.exec(line);
      if (block) {
        const end = block[1] ? `</${block[1].toLowerCase()}` : '-->';
        const rest = line.slice(block[0].length).toLowerCase();
        if (!rest.includes(end)) html = end;
        out.push(line);
        continue;
      }
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open && !(open[1]![0] === '`' && line.includes('`', open[0].length))) {
        fence = open[1]!;
        held = [line];
      } else out.push(line);
      continue;
    }
    held.push(line);
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
    if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) {
      fence = undefined;
      held = [];
      out.push('');
    }
  }
  for (const line of held) out.push(line);
  return out.join('\n');
}

/** A line that starts with two container markers or more (`> > x`, `- - x`, `1. > x`): [the markers]. */
const NESTED_MARKERS = / {0,3}(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*){2,}/y;
const MARKER = />|[-*+][ \t]|\d{1,9}[.)][ \t]/g;
/**
 * The lists, items and quotes that lines opening several at once open beyond their first: `- - - x` opens
 * three lists and their items on one line, and a line of sixty, repeated, made sixty elements a line that no
 * count of blocks saw (40,000 such lines: past 100 s and 7 GB). A line of quote markers opens only what is
 * deeper than the quotes still open: a lazy line of fewer markers (`> > > x` then `> y`) closes none, a
 * blank line or a block (`>` alone, `> # h`) closes those deeper than it.
 */
function nestedOpened(text: string): number {
  let opened = 0;
  // The deepest quote since the last blank line: a line of fewer or as many `>` continues what is open (a
  // paragraph's lazy line, `> > > x` then `> y`), and opens nothing.
  let deepest = 0;
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const next = end === -1 ? text.length : end + 1;
    // Looked for only where a marker can start the line (a regular expression tried at every line start
    // took 15 ms more for the 6 MB of the benchmark's articles).
    let c = text.charCodeAt(at);
    for (let k = 1; c === 32 && k < 4; k++) c = text.charCodeAt(at + k);
    if (c === 10 || c === 13 || Number.isNaN(c) || ((c === 32 || c === 9) && BLANK_REST.test(text.slice(at, next)))) deepest = 0;
    else if (c === 62 || c === 45 || c === 42 || c === 43 || (c >= 48 && c <= 57)) {
      NESTED_MARKERS.lastIndex = at;
      const m = NESTED_MARKERS.exec(text);
      const markers = m && !THEMATIC_BREAK.test(text.slice(at, next)) ? m[0].match(MARKER) : null;
      if (markers) {
        const quotes = markers.every((mk) => mk === '>') ? markers.length : 0;
        if (!quotes) opened += markers.length - 1;
        else {
          opened += Math.max(0, quotes - Math.max(1, deepest));
          deepest = quotes >= deepest || !continues(text.slice(at + m![0].length, next)) ? quotes : deepest;
        }
      } else if (c === 62) deepest = deepest > 1 && continues(text.slice(text.indexOf('>', at) + 1, next)) ? deepest : 1;
      else if (deepest && !continues(text.slice(at, next))) deepest = 0;
    } else if (deepest && !continues(text.slice(at, next))) deepest = 0;
    at = next;
  }
  return opened;
}
const BLANK_REST = /^[ \t]*\r?\n?$/;
/**
 * Whether a line's text after its quote markers may go on a paragraph of a deeper quote (a lazy line), and
 * so closes nothing: not when blank, nor when it starts a block of its own (a heading, a rule, a fence, a
 * list's item, HTML).
 */
function continues(rest: string): boolean {
  return !BLANK_REST.test(rest) && !THEMATIC_BREAK.test(rest.trimStart()) && !BLOCK_START.test(rest);
}
/** A heading, a fence, a list's item or HTML at the start of a line's text. */
const BLOCK_START = /^[ \t]*(?:#{1,6}(?:[ \t]|\r?\n?$)|`{3,}|~{3,}|[-*+][ \t]|\d{1,9}[.)][ \t]|<)/;
/** `- - -`, `* * *`: a rule, not lists. */
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\r?\n?$/;

/** A warning, once per reason, that `directive` (at its latest use, as written in the body) is shown as written. */
function refuseInclude(directive: string, why: string): void {
  if (expansion.warned.has(why)) return;
  expansion.warned.add(why);
  let pos = -1;
  for (let n = 0; n < (expansion.uses.get(directive) ?? 1); n++) {
    const at = renderedBody.indexOf(directive, pos + 1);
    if (at === -1) break;
    pos = at;
  }
  problems.push({ pos: Math.max(0, pos), code: 'include-unreadable', message: `\`${directive}\` ${why}` });
}

type MathToken = Positioned & { text: string; display: boolean };

function renderMath(token: MathToken, block: boolean): string {
  const result = texToMathml(token.text, token.display);
  if (result.ok) return block ? `<div class="math-display">${result.mathml}</div>\n` : result.mathml;
  problems.push({ pos: token.quirePos ?? 0, code: 'math-invalid', message: `math not rendered (${result.message}); it is shown as TeX` });
  const code = `<code class="math-error">${escapeText(token.raw.trim())}</code>`;
  return block ? `<p>${code}</p>\n` : code;
}

/** A Quarto or knitr chunk's braces: its engine, then a label or options (`{r setup, include=FALSE}`, `{python}`). */
const CHUNK = /^\{([A-Za-z][\w+-]*)(?:[ \t,][^{}]*)?\}$/;
/** The engines of Quarto's and knitr's chunks (none a MyST directive's name). */
const CHUNK_ENGINES = new Set(['r', 'python', 'julia', 'ojs', 'bash', 'sh', 'zsh', 'sql', 'js', 'javascript', 'rcpp', 'cpp', 'c', 'stan', 'dot', 'mermaid', 'octave', 'perl', 'ruby', 'scala', 'rust', 'go', 'java', 'css', 'sass', 'scss', 'fortran', 'haskell', 'powershell', 'tikz', 'asy', 'latex', 'tex', 'html', 'markdown', 'md', 'yaml', 'json', 'toml']);

const marked = new Marked({ gfm: true, breaks: false, async: false });
// Math is registered before the footnotes: Marked tries the extension registered last first, and the
// footnote extension must see the first block of every document (it keeps its notes in the first token).
marked.use({
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      // No `start`: a display formula that follows text without a blank line is found by the inline rule.
      tokenizer(src) {
        if (!current.math || !/^ {0,3}\$\$/.test(src)) return undefined;
        const m = /^ {0,3}\$\$((?:[^$\\]|\\[^]|\$(?!\$))+?)\$\$[ \t]*(?:\n+|$)/.exec(src.slice(0, MAX_TEX + 8));
        if (!m || /\n[ \t]*\n/.test(m[1]!) || !m[1]!.trim()) return undefined;
        return { type: 'mathBlock', raw: m[0], text: m[1]!.trim(), display: true };
      },
      renderer: (token) => renderMath(token as MathToken, true),
    },
    {
      name: 'math',
      level: 'inline',
      // No `start`, which Marked calls on the rest of the paragraph at every piece of text: text stops
      // before a `$` instead (the inlineText tokenizer below, and nextDollar).
      tokenizer(src) {
        if (!current.math || src[0] !== '$') return undefined;
        // GitHub's own inline form, $`…`$, which no Markdown emphasis can break.
        const github = /^\$`([^`\n]+)`\$/.exec(src);
        if (github) return { type: 'math', raw: github[0], text: github[1]!.trim(), display: false };
        if (src[1] === '$') {
          const m = /^\$\$((?:[^$\\]|\\[^]|\$(?!\$))+?)\$\$/.exec(src.slice(0, MAX_TEX + 4));
          // Nor across a code span (`$$` in prose, then `$$` in code: the text between became a formula).
          if (!m || /\n[ \t]*\n/.test(m[1]!) || !m[1]!.trim() || m[1]!.includes('`')) return undefined;
          return { type: 'math', raw: m[0], text: m[1]!.trim(), display: true };
        }
        const end = inlineMathEnd(src);
        if (end === -1) return undefined;
        return { type: 'math', raw: src.slice(0, end), text: src.slice(1, end - 1), display: false };
      },
      renderer: (token) => renderMath(token as MathToken, false),
    },
  ],
});
// Fenced containers (`::: tip`) and Hugo's shortcodes (`{{< note >}}`), before the footnotes for the same
// reason. A render may look for fences through CONTAINER_BUDGET times its text: Marked reads the text of
// nested blocks again at each level (four levels of lists: 9.5 times the text), and a document of fences left
// open, or of many blocks and no blank line, stays text past that instead of taking quadratic time.
const CONTAINER_BUDGET = 64;
// Pandoc's lists of letters and numerals (`a.`, `(ii)`), `#.` and examples (`(@)`), in a document with such a line.
let fancy: FancyState = { any: false, examples: 0, depth: 0 };
marked.use({ extensions: [fancyListExtension(() => fancy)] });
// kramdown's extensions on lines of their own, `{::comment}`, `{::nomarkdown}`, `{::options /}` (kramdown.ts).
let kramdownExtensions = { any: false, budget: { chars: 0 } };
marked.use({ extensions: [kramdownExtension(() => kramdownExtensions)] });
// Abbreviations' definitions, `*[HTML]: HyperText Markup Language` (kramdown.ts), in a document that has such a line.
let abbreviations: Abbreviations = { any: false, titles: new Map() };
marked.use({ extensions: [abbreviationExtension(() => abbreviations)] });
// Obsidian's links and embeds, `[[Other note|text]]`, `![[image.png]]`, in an article of a vault that has a `[[`.
let wikilinks = false;
marked.use({ extensions: [wikilinkExtension(() => (wikilinks ? current.vault : undefined))] });
// Highlighted text, `==marked==`, in an article of a vault that has a `==`: `<mark>`. Not inside a word
// (`a==b==c` in code written as text stays as it is), nor around spaces. Elsewhere it stays as written, as
// GitHub and CommonMark show it (Haskell's `(==)`, a wiki's `==Heading==`).
let marks = false;
const MARK = /^==(?![\s=])((?:[^\n=]|=(?!=)){0,500}?[^\s=])==(?![=A-Za-z0-9])/;
marked.use({
  extensions: [
    {
      name: 'mark',
      level: 'inline',
      start: (src) => startAt(marks, src, 'mark', '=='),
      tokenizer(src) {
        if (!marks || src.charCodeAt(0) !== 61 || src.charCodeAt(1) !== 61) return undefined;
        const top = reading[reading.length - 1];
        const at = restAt(top, src);
        if (top && at > 0 && /[A-Za-z0-9=]/.test(top.text[at - 1]!)) return undefined;
        const m = MARK.exec(src.length > 600 ? src.slice(0, 600) : src);
        return m ? { type: 'mark', raw: m[0], tokens: this.lexer.inlineTokens(m[1]!) } : undefined;
      },
      renderer(t) {
        return wrapped.call(this, 'mark', t);
      },
    },
  ],
});
// pymdownx's caret and tilde, in an MkDocs project that turns them on: `^^inserted^^`, `x^2^` and `H~2~O`
// (a superscript or subscript holds no space but an escaped one, `\ `). GitHub shows `~2~` as strikethrough,
// and `^2^` as written: there the chemist's formula came out struck through. `~~deleted~~` stays
// strikethrough.
let carets = false;
let tildes = false;
const INSERT = /^\^\^(?![\s^])((?:[^\n^]|\^(?!\^)){0,500}?[^\s^\\])\^\^(?!\^)/;
const SUPERSCRIPT = /^\^(?![\^[])((?:\\[^\n]|[^\s^\\]){1,500}?)\^(?!\^)/;
const SUBSCRIPT = /^~(?!~)((?:\\[^\n]|[^\s~\\]){1,500}?)~(?!~)/;
marked.use({
  extensions: [
    {
      name: 'caret',
      level: 'inline',
      start: (src) => startAt(carets, src, 'sup', '^'),
      tokenizer(src) {
        if (!carets || src.charCodeAt(0) !== 94) return undefined;
        const head = src.length > 1100 ? src.slice(0, 1100) : src;
        const insert = INSERT.exec(head);
        if (insert) return { type: 'caret', raw: insert[0], tag: 'ins', tokens: this.lexer.inlineTokens(insert[1]!) };
        const sup = SUPERSCRIPT.exec(head);
        return sup ? { type: 'caret', raw: sup[0], tag: 'sup', tokens: this.lexer.inlineTokens(sup[1]!.replace(/\\ /g, ' ')) } : undefined;
      },
      renderer(t) {
        return wrapped.call(this, (t as Tokens.Generic).tag as string, t);
      },
    },
    {
      name: 'subscript',
      level: 'inline',
      tokenizer(src) {
        if (!tildes || src.charCodeAt(0) !== 126) return undefined;
        const sub = SUBSCRIPT.exec(src.length > 1100 ? src.slice(0, 1100) : src);
        return sub ? { type: 'subscript', raw: sub[0], tokens: this.lexer.inlineTokens(sub[1]!.replace(/\\ /g, ' ')) } : undefined;
      },
      renderer(t) {
        return wrapped.call(this, 'sub', t);
      },
    },
  ],
});
// pymdownx.keys, in an MkDocs project that turns it on: `++ctrl+alt+del++` is the keys to press, each a
// `<kbd>` named as the extension names it (`Ctrl`, `Alt`, `Del`), joined by `+`; a quoted name
// (`++ctrl+"My key"++`) as written. It showed as written, `++ctrl+alt+del++`.
let keys = false;
const KEYS = /^\+\+((?:"[^"\n]{1,100}"|[A-Za-z0-9][\w-]{0,30})(?:\+(?:"[^"\n]{1,100}"|[A-Za-z0-9][\w-]{0,30})){0,9})\+\+/;
const KEY_NAMES: Record<string, string> = {
  ctrl: 'Ctrl', control: 'Ctrl', alt: 'Alt', option: 'Option', shift: 'Shift', cmd: 'Cmd', command: 'Cmd', meta: 'Meta', super: 'Super',
  windows: 'Win', win: 'Win', fn: 'Fn', enter: 'Enter', return: 'Return', tab: 'Tab', space: 'Space', esc: 'Esc', escape: 'Esc',
  backspace: 'Backspace', del: 'Del', delete: 'Del', insert: 'Ins', ins: 'Ins', home: 'Home', end: 'End', 'page-up': 'Page Up',
  'page-down': 'Page Down', pgup: 'Page Up', pgdn: 'Page Down', up: 'Up', down: 'Down', left: 'Left', right: 'Right',
  'arrow-up': 'Up', 'arrow-down': 'Down', 'arrow-left': 'Left', 'arrow-right': 'Right', 'caps-lock': 'Caps Lock',
  'print-screen': 'Print Screen', 'num-lock': 'Num Lock', 'scroll-lock': 'Scroll Lock', pause: 'Pause', break: 'Break',
  plus: '+', minus: '-', 'left-button': 'Left Button', 'right-button': 'Right Button', 'middle-button': 'Middle Button',
};
/** A key's name as pymdownx.keys shows it: its own for the keys it knows, a letter upper case, `F5`, else as written. */
function keyName(key: string): string {
  if (key.startsWith('"')) return key.slice(1, -1);
  const lower = key.toLowerCase();
  return KEY_NAMES[lower] ?? (/^(?:[a-z]|f\d{1,2})$/.test(lower) ? lower.toUpperCase() : key);
}
marked.use({
  extensions: [
    {
      name: 'keys',
      level: 'inline',
      start: (src) => startAt(keys, src, 'plus', '++'),
      tokenizer(src) {
        if (!keys || src.charCodeAt(0) !== 43 || src.charCodeAt(1) !== 43) return undefined;
        const m = KEYS.exec(src.length > 1200 ? src.slice(0, 1200) : src);
        if (!m) return undefined;
        const names = m[1]!.match(/"[^"\n]*"|[^+]+/g)!.map(keyName);
        return { type: 'keys', raw: m[0], names };
      },
      renderer(t) {
        return ((t as Tokens.Generic).names as string[]).map((n) => `<kbd>${escapeText(n)}</kbd>`).join('+');
      },
    },
  ],
});
let containers: ContainerState = { any: false, budget: { chars: 0 }, depth: 0 };
/** A Jekyll article's `{{ page.… }}` and `{{ site.… }}` values, by that name, when it has a `{{` (liquid.ts). */
let liquid: Record<string, string> | undefined;
marked.use({ extensions: [containerExtension(() => containers), mkdocsExtension(() => containers), blocksExtension(() => containers, () => current.mkdocs !== undefined), shortcodeExtension(() => containers), liquidExtension(() => containers), escapedShortcode] });
// VitePress's code snippets (`<<< @/snippets/app.js`) and Markdown includes (`<!--@include: ./part.md-->`), on
// lines of their own: the code block, or the blocks, that the load stage read for them (articles/includes.ts).
// The snippet's line showed as text and the code was missing; the include, an HTML comment, vanished with the
// text it stood for. One the load stage could not read stays as written.
marked.use({
  extensions: [
    {
      name: 'vitePressInclude',
      level: 'block',
      tokenizer(src) {
        if ((!current.includes && !markdownIncludes) || (src.charCodeAt(0) !== 60 && src.charCodeAt(0) !== 32)) return undefined;
        const m = VITEPRESS_DIRECTIVE.exec(src);
        const key = m && (m[1] !== undefined ? snippetKey(m[1]) : m[2]!);
        if (!key) return undefined;
        const line = m[0].trim();
        // One the load stage could not read (it warned): a snippet's line is text; an include, a comment, is
        // shown as written rather than hidden.
        const value = includedText(key);
        if (value === undefined && m[1] !== undefined) return undefined;
        if (value === undefined || !mayExpand(line, value, m[1] === undefined)) {
          return { type: 'paragraph', raw: m[0], text: line, tokens: [{ type: 'codespan', raw: line, text: line }] } as Tokens.Paragraph;
        }
        if (m[1] !== undefined) {
          const nl = value.indexOf('\n');
          return { type: 'code', raw: m[0], lang: value.slice(0, nl), text: value.slice(nl + 1) } as Tokens.Code;
        }
        if (containers.depth >= MAX_CONTAINER_DEPTH) return undefined;
        return includedBlock(this.lexer, m[0], value, line);
      },
    },
  ],
});
// VitePress's Markdown include in a line's text (`See <!--@include: ./version.md-->.`): its text, as inline
// Markdown, in its place; one the load stage could not read is shown as written.
let markdownIncludes = false;
const INLINE_INCLUDE = /^<!--[ \t]*@include:[ \t]*[^\n]{0,500}?[ \t]*-->/;
marked.use({
  extensions: [
    {
      name: 'vitePressInlineInclude',
      level: 'inline',
      tokenizer(src) {
        if (!markdownIncludes || src.charCodeAt(0) !== 60) return undefined;
        const m = INLINE_INCLUDE.exec(src);
        if (!m) return undefined;
        const value = includedText(m[0]);
        // A part that includes itself is put in as deep as containers nest, then shown as written.
        const tooDeep = value !== undefined && containers.depth >= MAX_CONTAINER_DEPTH;
        if (tooDeep) refuseInclude(m[0], `is shown as written where its text includes it again, ${MAX_CONTAINER_DEPTH} deep`);
        if (value === undefined || tooDeep || !mayExpand(m[0], value)) return { type: 'codespan', raw: m[0], text: m[0] } as Tokens.Codespan;
        containers.depth++;
        try {
          return { type: 'vitePressInlineInclude', raw: m[0], tokens: this.lexer.inlineTokens(value.trim()) };
        } finally {
          containers.depth--;
        }
      },
      renderer(t) {
        return this.parser.parseInline((t as Tokens.Generic).tokens!);
      },
    },
  ],
});
// kramdown's `markdown="1"` on an HTML element: its content is Markdown (kramdown.ts), looked for only in a
// document that has the attribute.
let markdownAttributes = false;
marked.use({
  extensions: [
    {
      name: 'markdownElement',
      level: 'block',
      tokenizer(src) {
        if (!markdownAttributes || (src.charCodeAt(0) !== 60 && !/^ {1,3}</.test(src)) || containers.depth >= MAX_CONTAINER_DEPTH) return undefined;
        containers.depth++;
        try {
          return markdownElement(this.lexer, src, containers.budget);
        } finally {
          containers.depth--;
        }
      },
      renderer(t) {
        return this.parser.parse((t as MarkdownElementToken).tokens);
      },
    },
  ],
});
// MDX (Docusaurus, Nextra): a block of ESM statements (`import Tabs from '@theme/Tabs';`, `export const x = …`)
// and a block of comments (`{/* … *\/}`) are for the site's build, and are left out; a comment inside text
// too (walkTokens). They showed as text. An import's names may be over lines (`import {\n  Tabs,\n} from …`,
// as Prettier writes a long one).
/** How many quotes the blocks being read are in. */
let quoteDepth = 0;
const MDX_ESM = /^(?:import\s+(?:(?:[\w$]+\s*,\s*)?\{[^{}]{0,4000}\}\s*from\s*|[\w$*{][^\n]*?\sfrom\s*)?['"][^'"\n]+['"]|export\s+(?:const|let|var|function|class|default|async|\{|\*))/;
const MDX_COMMENTS = /^(?:[ \t]*\{\/\*[^]*?\*\/\}[ \t]*)+(?:\n|$)/;
/**
 * How far a comment's block is looked through for its end (one left open is text), within a bound of the
 * render's so that the text is not looked through again from each block: past it, 256 characters.
 */
const MAX_MDX_COMMENT = 64 * 1024;
let mdxBudget = { chars: 0 };
marked.use({
  extensions: [
    {
      name: 'mdxSiteCode',
      level: 'block',
      tokenizer(src) {
        if (!current.mdx) return undefined;
        const c = src.charCodeAt(0);
        if (c === 123) {
          const within = src.slice(0, mdxBudget.chars > 0 ? MAX_MDX_COMMENT : 256);
          const close = within.indexOf('*/}', 2);
          mdxBudget.chars -= close === -1 ? within.length : close;
          const comments = close === -1 ? null : MDX_COMMENTS.exec(src.slice(0, close + 64));
          return comments ? ({ type: 'space', raw: comments[0] } as Tokens.Space) : undefined;
        }
        // Statements are the document's own, at its top level, not in a quote or a list's item.
        if ((c !== 105 && c !== 101) || !this.lexer.state.top || quoteDepth > 0 || !MDX_ESM.test(src)) return undefined;
        // The statements run to a blank line.
        const blank = /\n[ \t]*\n/.exec(src);
        const end = blank ? blank.index + 1 : src.length;
        return { type: 'space', raw: src.slice(0, end) } as Tokens.Space;
      },
    },
  ],
});
marked.use({
  extensions: [
    {
      name: 'mdxElementLine',
      level: 'block',
      tokenizer(src) {
        if (!current.mdx || src.charCodeAt(src.search(/\S/)) !== 60) return undefined;
        const nl = src.indexOf('\n');
        const line = nl === -1 ? src : src.slice(0, nl);
        const element = elementLine(line);
        // A partial closed at once (`<Shared></Shared>`) is the partial's Markdown (the html rule).
        const partial = element && current.includes ? PARTIAL_USE.exec(line.trimEnd()) : null;
        if (!element || (partial && includedText(`<${partial[1]} />`) !== undefined)) return undefined;
        const raw = nl === -1 ? src : src.slice(0, nl + 1);
        return { type: 'mdxElementLine', raw, open: element.open.trimStart(), close: element.close, tokens: this.lexer.inlineTokens(element.text) } as ElementLine;
      },
      renderer(token) {
        const t = token as ElementLine;
        // A component is unwrapped (renameComponents): its text is a paragraph, as it was before.
        const inline = this.parser.parseInline(t.tokens);
        const component = COMPONENT_START.test(t.open) && !/^<[a-z]/.test(t.open);
        return component ? `${renameComponents(t.open)}<p>${inline}</p>${renameComponents(t.close)}\n` : `${t.open}${inline}${t.close}\n`;
      },
    },
  ],
});
// MDX: a template literal alone as a block, `{`code`}`, as Docusaurus's `<CodeBlock language="jsx">` holds its
// code: a code block, in the language of the `<CodeBlock>` just before it. It showed as a code span in
// braces, its lines run together.
const TEMPLATE_BLOCK = /^[ \t]*\{[ \t]*`([^`$\\]*)`[ \t]*\}[ \t]*(?:\n|$)/;
const CODE_BLOCK_LANGUAGE = /<CodeBlock\b[^<>]*?\slanguage=["']([\w#+.-]{1,40})["']/;
marked.use({
  extensions: [
    {
      name: 'mdxTemplateBlock',
      level: 'block',
      tokenizer(src) {
        if (!current.mdx || !/^[ \t]*\{[ \t]*`/.test(src)) return undefined;
        const m = TEMPLATE_BLOCK.exec(src.length > 200_000 ? src.slice(0, 200_000) : src);
        if (!m || !m[1]!.includes('\n')) return undefined;
        const last = this.lexer.state.lastToken;
        const lang = last?.type === 'html' ? (CODE_BLOCK_LANGUAGE.exec(last.raw)?.[1] ?? '') : '';
        return { type: 'code', raw: m[0], lang, text: m[1]!.replace(/^\n/, '').replace(/\n$/, '') } as Tokens.Code;
      },
    },
  ],
});
// MDX: a file's text imported as a string (articles/includes.ts) in a `<CodeBlock>`, on its lines or one:
// `<CodeBlock language="jsx" title="App.js">{Source}</CodeBlock>`, a code block of the file's text, in that
// language, titled by its name. It showed as `{Source}`.
const RAW_SOURCE_BLOCK = /^[ \t]*<CodeBlock\b([^<>]{0,1000})>\s*\{[ \t]*([A-Za-z_$][\w$]{0,100})[ \t]*\}\s*<\/CodeBlock>[ \t]*(?:\n|$)/;
marked.use({
  extensions: [
    {
      name: 'mdxRawSource',
      level: 'block',
      tokenizer(src) {
        if (!current.mdx || !current.includes || !/^[ \t]*<CodeBlock\b/.test(src)) return undefined;
        const m = RAW_SOURCE_BLOCK.exec(src.length > 2000 ? src.slice(0, 2000) : src);
        const text = m ? current.includes[`{${m[2]}}`] : undefined;
        if (!m || text === undefined) return undefined;
        const lang = /\slanguage=["']([\w#+.-]{1,40})["']/.exec(m[1]!)?.[1] ?? '';
        const title = /\stitle=(?:"([^"\n]*)"|'([^'\n]*)')/.exec(m[1]!);
        const name = title ? (title[1] ?? title[2])!.trim() : '';
        return { type: 'code', raw: m[0], lang: name ? `${lang || 'text'} title="${name.replace(/"/g, '')}"` : lang, text: text.replace(/\n$/, '') } as Tokens.Code;
      },
    },
  ],
});
// Pandoc's grid tables, looked for only in a document that has a line starting `+-` or `+=`.
let gridTables: GridState = { any: false, simple: false, budget: { chars: 0 } };
const SIMPLE_DASHES_LINE = new RegExp(SIMPLE_DASHES.source, 'm');
marked.use({ extensions: [gridTableExtension(() => gridTables)] });
// Definition lists (`Term` then `: Definition`), looked for only in a document that has a definition's line.
let definitions = false;
marked.use({ extensions: [definitionListExtension(() => ({ any: definitions, containers })), ...definitionItems] });
// pandoc's table captions: a paragraph starting `Table:` (or `table:`, or `:` alone) right before or after a
// table is its caption (walkTokens gives it to the table); beside no table it is the paragraph it was. It
// showed as a paragraph `Table: …` under the table.
let captions = false;
const CAPTION = /^ {0,3}((?:[Tt]able)?:)[ \t]+(?=\S)/;
const CAPTION_ENDS = /^ {0,3}(?:#{1,6}(?:[ \t\n]|$)|>|`{3,}|~{3,}|[-*+][ \t]|\d{1,9}[.)][ \t]|(?:[-*_][ \t]*){3,}(?:\n|$)|<[A-Za-z/!?])/;
marked.use({
  extensions: [
    {
      name: 'tableCaption',
      level: 'block',
      tokenizer(src) {
        if (!captions || (src.charCodeAt(0) !== 84 && src.charCodeAt(0) !== 116 && src.charCodeAt(0) !== 58 && src.charCodeAt(0) !== 32)) return undefined;
        const m = CAPTION.exec(src.length > 20 ? src.slice(0, 20) : src);
        if (!m) return undefined;
        // Its lines, to a blank line, a table's line or a line that starts another block (a heading, a
        // quote, a list's item, a fence, a rule, HTML), as a paragraph's. They were caption, and a fence's
        // closing line then opened a block of code to the article's end.
        let end = src.indexOf('\n');
        while (end !== -1 && end + 1 < src.length && !/^[ \t]*(?:\n|$|\||\+[-=])/.test(src.slice(end + 1, end + 3)) && !CAPTION_ENDS.test(src.slice(end + 1, end + 80))) end = src.indexOf('\n', end + 1);
        const raw = end === -1 ? src : src.slice(0, end + 1);
        // Pandoc's and Quarto's attributes at its end (`{#tbl-summary}`, which `@tbl-summary` refers to)
        // are the table's, not words of its caption, where they showed.
        const whole = raw.slice(m[0].length).trim();
        const attrs = /[ \t]*(\{#[^{}\n]*\})$/.exec(whole);
        const text = attrs ? whole.slice(0, attrs.index) : whole;
        return { type: 'tableCaption', raw, prefix: m[1], tokens: this.lexer.inline(text), ...(attrs && { attrs: attrs[1] }) };
      },
      renderer(t) {
        // A caption beside no table: a paragraph, as written.
        const token = t as Tokens.Generic;
        return `<p>${escapeText(token.prefix as string)} ${this.parser.parseInline(token.tokens as Token[])}${token.attrs ? ` ${escapeText(token.attrs as string)}` : ''}</p>\n`;
      },
    },
  ],
});
/** Each caption beside a table given to it: a table with one before it and one after takes the first. */
function giveCaptions(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'tableCaption') continue;
    const near = (step: number) => {
      let j = i + step;
      while (tokens[j]?.type === 'space') j += step;
      const n = tokens[j] as (Token & { quireCaption?: Token[] }) | undefined;
      return n && (n.type === 'table' || n.type === 'gridTable') && !n.quireCaption ? n : undefined;
    };
    const table = near(-1) ?? near(1);
    if (!table) continue;
    table.quireCaption = (t as Tokens.Generic).tokens as Token[];
    (t as { type: string }).type = 'space';
  }
}

// What runs on every token between lexing and parsing (Marked's walkTokens, which quire calls itself: see
// walkTokens below). The footnote extension moves its notes after the document's blocks.
// Its references are read by quire's tokenizer (footnote-labels.ts), which matches labels as GitHub does;
// the extension's renderer writes them.
const { walkTokens: moveNotes, ...footnotes } = markedFootnote({ description: 'Footnotes', keepLabels: false });
// A definition may start right after a paragraph's line, as on GitHub: Marked asks from each paragraph
// where the next one starts (looked for as containers are, within the same bound).
const footnoteStart = (src: string): number | undefined => {
  const at = notesAny ? containerAhead(src, containers.budget, DEFINITION_LINE, () => true) : -1;
  return at === -1 ? undefined : at;
};
const DEFINITION_LINE = /\n[ \t]*\n|\n\[\^[^\]\n]+\]:/g;
let notesAny = false;
marked.use({ ...footnotes, extensions: footnotes.extensions!.map((e) => (e.name === 'footnoteRef' ? { ...e, tokenizer: footnoteReference } : e.name === 'footnote' ? { ...e, start: footnoteStart } : e)) });
// Pandoc's bracketed spans, `[small caps]{.smallcaps}`, `[texte]{lang=fr}`: the text in a span with those
// attributes (its class, id, lang, dir and title), where the brackets and attributes showed as written.
// Looked for only in a document that has a `]{`.
let bracketedSpans = false;
type BracketedSpan = Tokens.Generic & { attrs: HeadingAttrs; tokens: Token[] };
// MDX's expressions that are only a string, in the text: `{' '}` (a space that JSX keeps, which Prettier
// writes at the end of lines), `{'<Component />'}`, `` {`a`} ``: the string, as text. They showed as written,
// quotes and braces.
const MDX_STRING = new RegExp(STRING_EXPRESSION.source.replace(/\$$/, ''));
marked.use({
  extensions: [
    {
      name: 'mdxString',
      level: 'inline',
      start(src) {
        if (!current.mdx) return undefined;
        const at = nextBrace(src);
        return at === -1 ? undefined : at;
      },
      tokenizer(src) {
        if (!current.mdx || src.charCodeAt(0) !== 123) return undefined;
        const m = MDX_STRING.exec(src.length > 2000 ? src.slice(0, 2000) : src);
        return m ? { type: 'mdxString', raw: m[0], text: m[1] ?? m[2] ?? m[3] ?? '' } : undefined;
      },
      renderer(t) {
        return escapeText((t as Tokens.Generic).text as string);
      },
    },
  ],
});
marked.use({
  extensions: [
    {
      name: 'bracketedSpan',
      level: 'inline',
      tokenizer(src) {
        if (!bracketedSpans || src.charCodeAt(0) !== 91 || notesBudget.chars <= 0) return undefined;
        // Not an index in code written as text (`arr[i]{key=1}`, `m[k]{}`): a span follows no Latin letter or
        // digit (in writing without spaces, 这是[重要]{.mark}, it follows a word).
        const top = reading[reading.length - 1];
        const at = restAt(top, src);
        if (top && at > 0 && /[A-Za-z0-9_]/.test(top.text[at - 1]!)) return undefined;
        const end = closingBracket(src, 0);
        notesBudget.chars -= end === -1 ? Math.min(src.length, 10_000) : end;
        if (end === -1 || src.charCodeAt(end + 1) !== 123) return undefined;
        const m = /^\{([^{}\n]{1,500})\}/.exec(src.slice(end + 1, end + 503));
        const attrs = m && readAttributes(m[1]!.trim());
        if (!attrs) return undefined;
        return { type: 'bracketedSpan', raw: src.slice(0, end + 1 + m[0].length), attrs, tokens: this.lexer.inlineTokens(src.slice(1, end)) } as BracketedSpan;
      },
      renderer(t) {
        const { attrs, tokens } = t as BracketedSpan;
        const id = attrs.id ? ` id="${escapeAttr(attrs.id)}"` : '';
        const classes = attrs.classes.length ? ` class="${escapeAttr(attrs.classes.join(' '))}"` : '';
        const rest = attrs.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
        return `<span${id}${classes}${rest}>${this.parser.parseInline(tokens)}</span>`;
      },
    },
  ],
});
// Pandoc's inline notes, `^[text]`, looked for only in a document that has one (text stops before each: nextCaret).
let inlineNotes = false;
const NOT_BEFORE_NOTE = '/"\'(|[\\`=:';
let notesBudget = { chars: 0 };
marked.use({
  extensions: [
    {
      name: 'inlineNote',
      level: 'inline',
      tokenizer(src) {
        if (!inlineNotes || src.charCodeAt(0) !== 94) return undefined;
        // Not a regular expression's start written as text (`/^[a-z]+$/`, `"^[A-Z]"`, `(^[0-9])`).
        const top = reading[reading.length - 1];
        const at = restAt(top, src);
        const before = top && at > 0 ? top.text[at - 1]! : undefined;
        if (before !== undefined && NOT_BEFORE_NOTE.includes(before)) return undefined;
        return inlineNote.call(this, src, notesBudget, before === undefined || /\s/.test(before));
      },
    },
  ],
});
// GitHub's alerts (`> [!NOTE]`, TIP, IMPORTANT, WARNING, CAUTION): a titled box, as GitHub shows it, without
// GitHub's icons (drawings that e-readers would show at any size).
// The extension expects the quote to start with text; one that starts with a table or a code block stays a quote.
const alerts = markedAlert({ variants: GITHUB_ALERTS.map((type) => ({ type, icon: '' })) });
const { walkTokens: markAlert, ...alertSyntax } = alerts;
marked.use(alertSyntax);
function markAlerts(token: Token): void {
  const first = token.type === 'blockquote' ? (token as Tokens.Blockquote).tokens[0] : undefined;
  if (first && 'tokens' in first && Array.isArray(first.tokens) && first.tokens.length > 0) void markAlert!.call(marked, token);
}
// GitHub's emoji shortcodes (`:tada:`, `:+1:`) become the emoji themselves, as on GitHub and in pandoc. They
// are replaced in the text Marked found (so never in code, URLs or raw HTML), after lexing: an inline rule
// would have Marked look for the next shortcode from every text token on, which is quadratic in a long
// paragraph.
// A shortcode stands apart: not inside a word or a path (`a::b::c`, `module::up::down`) nor an IPv6
// address (`2001:db8:a:b::1`), where GitHub's names (`b`, `up`, `x`) are parts of what is written. Shortcodes
// written one after the other (`:+1::tada:`) are still each an emoji.
const SHORTCODES = /:([a-z0-9_+-]+):/g;
const JOINED = /[\p{L}\p{N}:]/u;
const NEXT_SHORTCODE = /:([a-z0-9_+-]+):/y;
function replaceShortcodes(token: Token): void {
  if (token.type !== 'text' || ('tokens' in token && token.tokens?.length) || !token.text.includes(':')) return;
  const text = token.text;
  let lastEmoji = -1;
  token.text = text.replace(SHORTCODES, (code: string, name: string, at: number) => {
    const emoji = EMOJI.get(name);
    if (!emoji) return code;
    const end = at + code.length;
    if (at > 0 && at !== lastEmoji && JOINED.test(text[at - 1]!)) return code;
    if (end < text.length && JOINED.test(text[end]!)) {
      NEXT_SHORTCODE.lastIndex = end;
      const next = text[end] === ':' ? NEXT_SHORTCODE.exec(text) : null;
      if (!next || !EMOJI.has(next[1]!)) return code;
    }
    lastEmoji = end;
    return emoji;
  });
}

/**
 * What Marked's walkTokens does with the extensions' callbacks (each token, before what it holds, with the
 * last registered callback first), without the arrays Marked makes for every token and callback: on the
 * real-docs corpus, Marked's walk took 8% of the Markdown stage.
 */
/** The `{% raw %}` tags alone on their lines that the walk has passed and no endraw tag has closed yet (withoutRawTags). */
const rawLines = { open: 0 };
function walkTokens(tokens: readonly Token[], inHeading = false, inLink = false): void {
  if (!current.mdx) filterTags(tokens as Token[], inHeading);
  holdRawText(tokens as Token[]);
  if (captions) giveCaptions(tokens as Token[]);
  if (notesAny || inlineNotes) refsAfterRawLinks(tokens as Token[]);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const rawLine = (t as { quireRawLine?: number }).quireRawLine;
    if (rawLine) rawLines.open = Math.max(0, rawLines.open + rawLine);
    if (t.type === 'text' && i > 0) stripSpanList(t as Tokens.Text, tokens[i - 1]);
    if (t.type === 'codespan' && i > 0) withoutRole(tokens[i - 1]!, t as Tokens.Codespan, inLink);
    replaceShortcodes(t);
    // Text as written (in code too) that a site's tags change: shown as the site shows it.
    if ((t.type === 'text' || t.type === 'codespan' || t.type === 'code') && !('tokens' in t && t.tokens?.length)) {
      if (containers.any) t.text = unescapeShortcodes(t.text);
      // A Jekyll page's and site's variables, before the raw tags that keep some of them as written go.
      if (liquid && !(t as { escaped?: boolean }).escaped) t.text = withLiquidValues(t.text, liquid, containers.rawTags);
      if (containers.liquid) t.text = withoutRawTags(t.text, rawLines);
      if (t.type === 'code' && current.includes) t.text = withIncludes(t.text, current.includes);
    }
    if (t.type === 'html' && markdownIncludes && t.text.includes('@include:')) t.text = t.raw = withMarkdownIncludes(t.text);
    markAlerts(t);
    void moveNotes!.call(marked, t);
    if ((t as { quireCaption?: Token[] }).quireCaption) walkTokens((t as { quireCaption?: Token[] }).quireCaption!);
    if (t.type === 'table') {
      const table = t as Tokens.Table;
      for (const cell of table.header) walkTokens(cell.tokens);
      for (const row of table.rows) for (const cell of row) walkTokens(cell.tokens);
    } else if (t.type === 'list') walkTokens((t as Tokens.List).items);
    else {
      const names = marked.defaults.extensions?.childTokens?.[t.type];
      const any = t as Tokens.Generic;
      if (names) for (const name of names) walkTokens((any[name] as Token[]).flat(Infinity) as Token[]);
      else if (any.tokens) walkTokens(any.tokens as Token[], inHeading || t.type === 'heading', inLink || t.type === 'link');
    }
  }
}
// Heading attributes (`## Title {#id .class}`, MDX's `{/*id*/}`) leave the heading's text before its inline
// Markdown is read, so that nothing of them shows; the renderer gives them to the heading element.
type AttributedHeading = Tokens.Heading & { quireAttrs?: HeadingAttrs };
/** The entry of Marked's inline queue that will read the inline text of the token holding `tokens` (the last one queued). */
function queued(lexer: Lexer, tokens: Token[] | undefined): Lexer['inlineQueue'][number] | undefined {
  const queue = lexer.inlineQueue;
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.tokens === tokens) return queue[i];
  return undefined;
}

/**
 * A quote that starts with an alert or a callout in any case (`> [!note]`, `> [!TIP] Title`, Obsidian's
 * `> [!faq]- Folded`), as a titled box: before, only GitHub's upper-case alerts alone on their line were
 * boxes, and the others showed their marker in a quote, or made a box whose text began with the title.
 * Folded callouts are shown open. The first paragraph's inline text, queued, loses its first line.
 */
function asCallout(lexer: Lexer, quote: Tokens.Blockquote): ContainerToken | undefined {
  const first = quote.tokens[0];
  if (first?.type !== 'paragraph' || !first.text.startsWith('[!')) return undefined;
  const callout = calloutOf(first.text, current.vault !== undefined);
  const entry = callout && queued(lexer, (first as Tokens.Paragraph).tokens);
  if (!callout || !entry) return undefined;
  const tokens = quote.tokens.slice();
  const rest = first.text.slice(callout.length);
  if (rest.trim()) entry.src = first.text = rest;
  else {
    entry.src = '';
    tokens.shift();
  }
  if (callout.title !== undefined) tokens.unshift({ type: 'paragraph', raw: callout.title, text: callout.title, tokens: lexer.inline(callout.title) } as Tokens.Paragraph);
  return { type: 'container', raw: quote.raw, kind: callout.kind, classes: [], id: undefined, titled: callout.title !== undefined, tokens };
}

/**
 * Pandoc's line block, a paragraph whose lines each start with `| ` (a poem, an address): each line stays a
 * line, its leading spaces kept, where the lines ran together into one with their bars. A line that starts
 * with a space continues the one before; a paragraph whose lines all end with `|` is a table's rows, left
 * as it is. The paragraph's text, queued for the inline pass, is given the lines joined by hard breaks.
 */
function asLineBlock(lexer: Lexer, paragraph: Tokens.Paragraph): void {
  const lines = paragraph.text.split('\n');
  // Two lines at least, none with a bar inside (`| Name | Value` rows without their delimiter row).
  if (lines.length < 2 || !lines.every((l) => /^\|(?: |$)|^ /.test(l)) || lines.some((l) => l.includes(' | ') || /\|[ \t]*$/.test(l.slice(1)))) return;
  const entry = queued(lexer, paragraph.tokens);
  if (!entry) return;
  const joined: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) joined[joined.length - 1] += ` ${line.trim()}`;
    else joined.push(line.slice(2).replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length)));
  }
  // An empty line (`|` alone) stays a line, of one no-break space.
  entry.src = paragraph.text = joined.map((l) => l.replace(/[ \t]+$/, '') || '\u00a0').join('  \n');
}

function withHeadingAttrs(this: Tokenizer, token: Tokens.Heading | undefined): Tokens.Heading | undefined {
  const split = token && splitHeadingAttrs(token.text);
  if (!token || !split) return token;
  // The tokenizer queued the heading's text for the inline pass: that entry is given the shorter text.
  const entry = queued(this.lexer, token.tokens);
  if (entry) entry.src = split.text;
  token.text = split.text;
  (token as AttributedHeading).quireAttrs = split.attrs;
  return token;
}
/**
 * Where, in the block whose text Marked took as `raw` (the start of `src`), a line starts that ends it: a
 * container's or a shortcode's that is closed, as in VitePress and Hugo, or (`lists`) an attribute list of
 * kramdown's. Marked took such a line for a table's row, or for the lazy continuation of a list item's or
 * a quote's paragraph. `indent`: the most spaces before it (a list's and a quote's own lines are indented or
 * marked, a lazy line is not). -1 when there is none.
 */
function blockAfter(raw: string, src: string, indent: number, lists: boolean): number {
  const any = containers.any && (indent > 0 ? /\n {0,3}(?::::|\{\{)/ : /\n(?::::|\{\{)/).test(raw);
  if (!any && !(lists && raw.includes('{:'))) return -1;
  for (let at = raw.indexOf('\n'); at !== -1 && at < raw.length - 1; at = raw.indexOf('\n', at + 1)) {
    const start = at + 1;
    let p = start;
    while (p - start < indent && raw.charCodeAt(p) === 32) p++;
    const c = raw.charCodeAt(p);
    if (c !== 58 && c !== 123) continue;
    const end = raw.indexOf('\n', start);
    if (lists && isAttributeList(raw.slice(start, end === -1 ? raw.length : end))) return start;
    if (!any) continue;
    const rest = src.slice(start);
    if (c === 58 ? findContainer(rest, containers.budget) !== undefined : opensBlock(rest, containers.budget)) return start;
  }
  return -1;
}

/**
 * VitePress's Markdown includes in HTML as written (`<td><!--@include: ./cell.md--></td>`): the included
 * text as it is, which VitePress too puts there (it is sanitised with the HTML around it); one that could
 * not be read, as written.
 */
function withMarkdownIncludes(html: string): string {
  return html.replace(new RegExp(INLINE_INCLUDE.source.slice(1), 'g'), (directive) => {
    const value = includedText(directive);
    return value !== undefined && mayExpand(directive, value) ? value.trim() : escapeText(directive);
  });
}

/**
 * `text`, read inline, less MDX's comments (`{/* … *\/}`) outside code spans, each to the first closing after
 * it; one left open is text. They are taken out before the text is read: their stars were taken for
 * emphasis (`Text {/* here *\/} and {/* open` had `<em>/} and {/</em>`). A regular expression looked for the
 * closing from each `{/*`: 100,000 left open took 17 s.
 */
function withoutMdxComments(text: string): string {
  let kept = '';
  let from = 0;
  // Where the next run of backticks of each length is (-1: none), as the text is read.
  const nextRun = backtickRuns(text);
  // The next backtick and the next comment's start, each found again only once passed.
  let tick = -2;
  let open = -2;
  for (let i = 0; i < text.length; ) {
    if (tick !== -1 && tick < i) tick = text.indexOf('`', i);
    if (open !== -1 && open < i) open = text.indexOf('{/*', i);
    if (open === -1) break;
    if (tick !== -1 && tick < open) {
      // A code span: past its closing run, if it has one.
      let end = tick;
      while (text.charCodeAt(end) === 96) end++;
      const close = nextRun(end - tick, end);
      i = close === -1 ? end : close + (end - tick);
      continue;
    }
    const close = text.indexOf('*/}', open + 3);
    if (close === -1) break;
    kept += text.slice(from, open);
    from = i = close + 3;
  }
  if (from === 0) return text;
  // A comment that ends the text takes the space before it along (`## Title {/* note */}`).
  const rest = text.slice(from);
  return rest.trim() ? kept + rest : kept.trimEnd() + rest;
}

/**
 * A line of MDX's tags only (`<TabItem value="npm" label="npm">`, `</TabItem>`, `<Tabs><TabItem>`,
 * `<div style="…">`): components, PascalCase as renameComponents knows them, and in MDX HTML's elements too
 * (but those whose text is raw: `<pre>`, `<script>`...). MDX reads the lines between such tags as Markdown,
 * blank lines around them or not; CommonMark reads them into the HTML block of the tag's line, and
 * `This is **bold**` inside a `<TabItem>` showed its asterisks.
 */
const TAG_ATTRS = `(?:\\s(?:[^<>"'{}\\n]|"[^"\\n]*"|'[^'\\n]*'|\\{[^{}\\n]*\\})*)?`;
const COMPONENT_NAME = '[A-Z][A-Z0-9]*[a-z][A-Za-z0-9]*(?:\\.[A-Za-z0-9]+)*';
// Any indentation: MDX has no indented code, and Prettier indents nested tags four spaces and more.
const COMPONENT_LINE = new RegExp(`^[ \\t]*(?:<\\/?(?:${COMPONENT_NAME}|(?!(?:pre|script|style|textarea)\\b)[a-z][a-z0-9-]*)${TAG_ATTRS}\\/?>[ \\t]*)+$`);
const COMPONENT_START = /^[ \t]*<\/?(?:[A-Z][A-Z0-9]*[a-z]|(?!(?:pre|script|style|textarea)\b)[a-z])/;

/**
 * Where the Markdown starts in an HTML block that opens with lines of component tags only (see
 * COMPONENT_LINE): after those lines; -1 when the block is only such lines (`all`: their length), or the
 * first is not one.
 */
function componentLinesAhead(raw: string, all = false): number {
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf('\n', at);
    const end = nl === -1 ? raw.length : nl;
    const line = raw.slice(at, end);
    if (!line.trim()) return all && at > 0 ? at : -1;
    if (!COMPONENT_LINE.test(line)) return at === 0 ? -1 : at;
    at = end + 1;
  }
  return all && at > 0 ? Math.min(at, raw.length) : -1;
}

/** Where a line of component tags only starts at the margin in a list's text, after its first line; -1 when none. */
function componentLineAtMargin(raw: string): number {
  for (let nl = raw.indexOf('\n<'); nl !== -1; nl = raw.indexOf('\n<', nl + 1)) {
    const end = raw.indexOf('\n', nl + 1);
    if (COMPONENT_LINE.test(raw.slice(nl + 1, end === -1 ? raw.length : end))) return nl + 1;
  }
  return -1;
}

/**
 * Where a line of component tags only (see COMPONENT_LINE) starts in the paragraph `src` starts with, after
 * its first line and before a blank line; -1 when none.
 */
function componentLineIn(src: string): number {
  for (let nl = src.indexOf('\n'); nl !== -1 && nl < src.length - 1; nl = src.indexOf('\n', nl + 1)) {
    const end = src.indexOf('\n', nl + 1);
    const line = src.slice(nl + 1, end === -1 ? src.length : end);
    if (!line.trim()) return -1;
    if (line.includes('<') && (COMPONENT_LINE.test(line) || elementLine(line) !== undefined)) return nl + 1;
  }
  return -1;
}

/**
 * A line that is one element, its text between its tags (`<TabItem value="mac">Use ⌘ + C.</TabItem>`,
 * `<summary>More</summary>`, `<td>A **bold** cell</td>`), in MDX: a component's or a block element's
 * (CommonMark's HTML blocks that end at a blank line). MDX reads it as a block of its own, its text as
 * Markdown; the tabs' texts ran into one paragraph, and a `<summary>` line took the Markdown after it into
 * its HTML block. Its tags and the text between them, if it is one; the line is read up to its end.
 */
function elementLine(line: string): { open: string; text: string; close: string } | undefined {
  const open = ELEMENT_OPEN.exec(line);
  if (!open) return undefined;
  const end = line.trimEnd();
  const close = `</${open[1]}>`;
  if (!end.endsWith(close) || end.length - close.length < open[0].length) return undefined;
  const text = end.slice(open[0].length, end.length - close.length);
  // One element: its text does not end it and start another.
  return text.includes(close) ? undefined : { open: open[0], text, close };
}
const ELEMENT_OPEN = new RegExp(
  `^[ \\t]*<(${COMPONENT_NAME}|(?:address|article|aside|blockquote|caption|center|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|legend|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?=[\\s>]))${TAG_ATTRS}>`,
);

/** An element on a line of its own in MDX (see elementLine): its tags as HTML, its text read inline. */
type ElementLine = Tokens.Generic & { open: string; close: string; tokens: Token[] };

/** An HTML block repaired, and what its warning says. */
type RepairedHtml = Positioned & Tokens.HTML & { quireRepair: { offset: number; message: string } };
/** The HTML blocks of the document being read that were repaired (see endedAtBlankLine and withTagsEnded). */
const repairedHtml: RepairedHtml[] = [];

/**
 * The HTML blocks CommonMark ends only at their end marker: a comment, `<?…?>`, `<![CDATA[…]]>`, a
 * declaration (`<!DOCTYPE …>`), `<script>`, `<pre>`, `<style>` and `<textarea>`. Left open, one runs to the
 * end of the article (or of its list item or quote): a forgotten `-->` hid every paragraph after it, without
 * a word.
 */
const ENDS_AT_MARKER = /^ {0,3}(?:<(script|pre|style|textarea)(?=[\s>]|$)|<!--(?!-?>)|<\?|<!\[CDATA\[|<![A-Za-z])/i;

/**
 * Where an HTML block of ENDS_AT_MARKER's kinds that `src` starts with is left open, to be ended at its first
 * blank line: the offset of that line's break, or -1 when the block is closed (or has nothing after it but
 * blank lines). Left open is: no end marker after it (CommonMark runs it to the end of the article); for a
 * comment, another comment's `<!--` starting a line before the `-->` (comments do not nest: the first one's
 * `-->` was forgotten); for `<![CDATA[…` and `<!DOCTYPE…`, an end after a blank line. Decided before
 * Marked's rule reads the block, which reads an open one to the end each time (30,000 of them: 72 s).
 */
/**
 * What ends a block of ENDS_AT_MARKER's kinds (`m`, its opening): the marker looked for (an element's end tag
 * without its `>`, matched in any case) and what is added to end it.
 */
function blockEnd(m: RegExpExecArray): { marker: string; closer: string } {
  const opener = m[0].trim();
  const name = m[1]?.toLowerCase();
  if (name) return { marker: `</${name}`, closer: `</${name}>` };
  const marker = opener === '<!--' ? '-->' : opener === '<?' ? '?>' : opener === '<![CDATA[' ? ']]>' : '>';
  return { marker, closer: marker };
}

function openBlockCut(src: string, m: RegExpExecArray): number {
  const opener = m[0].trim();
  const name = m[1];
  const end = endMarkerAt(src, m[0].length, blockEnd(m).marker);
  // The first blank line, looked for no further than the end marker (the block Marked reads anyway).
  const blank = /\n[ \t]*\n/.exec(src.slice(m[0].length, end === -1 ? m[0].length + 64 * 1024 : end));
  if (!blank) return -1;
  const cut = m[0].length + blank.index + 1;
  if (!src.slice(cut, cut + 4096).trim() && !/\S/.test(src.slice(cut))) return -1;
  if (end === -1) return cut;
  if (opener === '<!--') return /\n {0,3}<!--/.test(src.slice(cut - 1, end)) ? cut : -1;
  // A declaration (`<!DOCTYPE`) or CDATA is a line or two: one that ends only after a blank line was left open.
  return name || opener === '<?' ? -1 : cut;
}

/**
 * The texts Marked's block lexer is reading, innermost last (a quote's or a list item's text inside the
 * body's), each with its end markers' next places: the tokenizers are given what is left of the innermost
 * one. Pushed and popped by the lexer (MathLexer.blockTokens).
 */
const blockTexts: { text: string; markers?: Map<string, { from: number; at: number }> }[] = [];

/** Whether `src` is the rest of `text` (its last characters), checked at three places. */
function isRestOf(text: string, src: string): boolean {
  const base = text.length - src.length;
  return base >= 0 && src.length > 0 && text.charCodeAt(base) === src.charCodeAt(0) && text.charCodeAt(text.length - 1) === src.charCodeAt(src.length - 1) && text.charCodeAt(base + (src.length >> 1)) === src.charCodeAt(src.length >> 1);
}

/**
 * Where `marker` (case-folded for an element's end tag) next stands in `src` from `from` on, or -1. When
 * `src` is the rest of the text the block lexer is reading (the body, a quote's or a list item's text), the
 * answer of an earlier search in that text is used again where it still holds: open blocks one after
 * another would each search to the end (30,000 at the top level: 72 s; 40,000 `<pre>` in a quote: 5.2 s).
 */
function endMarkerAt(src: string, from: number, marker: string): number {
  const pattern = new RegExp(marker.replace(/[?\]]/g, '\\$&'), 'gi');
  const inner = blockTexts[blockTexts.length - 1];
  const [text, memos] = inner && isRestOf(inner.text, src) ? [inner.text, (inner.markers ??= new Map())] : [undefined, undefined];
  if (text === undefined) {
    pattern.lastIndex = from;
    return pattern.exec(src)?.index ?? -1;
  }
  const base = text.length - src.length;
  const absFrom = base + from;
  const memo = memos.get(marker);
  if (memo && absFrom >= memo.from && (memo.at === -1 || memo.at >= absFrom)) return memo.at === -1 ? -1 : memo.at - base;
  pattern.lastIndex = absFrom;
  const at = pattern.exec(text)?.index ?? -1;
  memos.set(marker, { from: absFrom, at });
  return at === -1 ? -1 : at - base;
}

/**
 * The block `src` starts with, when openBlockCut finds it left open: ended at its first blank line (its end
 * marker added), with a warning; the Markdown after it is read. A self-closed component named like one
 * (`<Script src="…" />`, Next.js's) is ended the same way, without a warning.
 */
function endedAtBlankLine(this: Tokenizer, src: string): RepairedHtml | undefined {
  const m = ENDS_AT_MARKER.exec(src);
  if (!m) return undefined;
  const cut = openBlockCut(src, m);
  if (cut === -1) return undefined;
  const token = Tokenizer.prototype.html.call(this, src.slice(0, cut)) as Tokens.HTML | undefined;
  return token && endedWithMarker(token, src.slice(0, cut), m, 'at the first blank line after it', 'that is shown (CommonMark hides all of it)');
}

/**
 * The HTML block `raw` (`token`'s, of ENDS_AT_MARKER's kind `m`) ended with its end marker, with a warning
 * that it was ended `where` and the text after `shownAfter`. A self-closed component named like one
 * (`<Script src="…" />`, Next.js's) is left as it is, without a warning.
 */
function endedWithMarker(token: Tokens.HTML, raw: string, m: RegExpExecArray, where: string, shownAfter: string, offset = 0): RepairedHtml {
  const opener = m[0].trim();
  const name = m[1];
  const shown = name ? `<${name}>` : opener === '<![CDATA[' || opener === '<?' || opener === '<!--' ? opener : `${/^<![A-Za-z]+/.exec(raw.trimStart())![0]}…`;
  const { closer } = blockEnd(m);
  const component = name !== undefined && /^[A-Z][a-z]/.test(name) && /\/>[ \t]*(?:\n|$)/.test(raw.slice(0, raw.indexOf('\n') + 1 || undefined));
  const message = `\`${shown}\` is not closed: it is ended ${where}, with \`${closer}\`, and the text after ${shownAfter}; add the \`${closer}\` where it belongs`;
  const repaired = { ...token, raw, text: component ? raw : `${raw.replace(/\n+$/, '')}${closer}\n`, quireReport: !component, quireRepair: { offset, message } } as RepairedHtml;
  if (!component) repairedHtml.push(repaired);
  return repaired;
}

/**
 * A block of ENDS_AT_MARKER's kinds that runs to the end of its text without its end marker, and with no
 * blank line to be ended at (endedAtBlankLine): in a quote or a list item, `> <!--` and the quote's lines.
 * Its HTML ended the quote's no more, and the rest of the chapter was read into the comment (or the `<pre>`)
 * without a word. It is ended at its block's end, with a warning.
 */
function endedAtItsEnd(token: Tokens.HTML | Tokens.Tag): RepairedHtml | undefined {
  // At the top level it runs to the article's end, with nothing after it to hide: left as it is.
  if (token.type !== 'html' || !(token as Tokens.HTML).block || blockTexts.length <= 1) return undefined;
  const m = ENDS_AT_MARKER.exec(token.text);
  if (!m) return undefined;
  const { marker } = blockEnd(m);
  // A comment is ended when its last `<!--` is (`<!-- a --> <!-- b` is not).
  const from = m[1] ? m[0].length : Math.max(m[0].length, token.text.lastIndexOf(m[0].trim()) + m[0].trim().length);
  if ((m[1] ? token.text.toLowerCase() : token.text).includes(marker, from)) return undefined;
  // Reported at the comment left open (`<!-- a --> <!-- b`: the second).
  return endedWithMarker(token as Tokens.HTML, token.text, m, 'at the end of its quote, list item or container', 'it is shown', m[1] ? 0 : from - m[0].trim().length);
}

/**
 * An HTML block that ends where CommonMark ends it (its `-->` line, its blank line) with a comment still open
 * in it: `<!-- a --> <!-- b`, `<div>` then `<!-- note` and `</div>`. The HTML parser read the rest of the
 * chapter into the comment, and it was gone without a word. The comment is ended at the block's end (and any
 * tag left open at its line's), with a warning. A block with nothing after it in the article is left as it is;
 * one that starts with `<!--` and runs on is endedAtBlankLine's or endedAtItsEnd's (asked first).
 */
const NOT_SPACE = /\S/g;
function withCommentEnded(token: Tokens.HTML | Tokens.Tag, src: string): Tokens.HTML | undefined {
  if (token.type !== 'html' || !(token as Tokens.HTML).block || !token.text.includes('<!--')) return undefined;
  const at = openCommentAt(token.text);
  if (at === -1) return undefined;
  const ended = { ...(token as Tokens.HTML), text: `${token.text.replace(/\n+$/, '')}-->\n` };
  NOT_SPACE.lastIndex = token.raw.length;
  if (blockTexts.length <= 1 && !NOT_SPACE.test(src)) {
    // Nothing of the text is after it, but the notes are, written after the chapter's text: ended, without
    // a word (a `<!-- TODO` left on the last line took every note with it).
    return notesAny || inlineNotes ? ended : undefined;
  }
  // A comment that a `-->` further on ends, with no comment starting a line before it, is one the author
  // wrote across blocks (`<div>`, `<!--`, paragraphs, `-->`, `</div>`): it hides what it was meant to.
  const end = endMarkerAt(src, token.raw.length, '-->');
  if (end !== -1) {
    const another = endMarkerAt(src, token.raw.length - 1, '\n<!--');
    if (another === -1 || another > end) return undefined;
  }
  return withTagsEnded(ended, at);
}

/**
 * Where the comment that `html` leaves open starts, as the HTML parser reads it, or -1: tags' attribute
 * values (`title = "<!--"`, in end tags too) and raw-text elements' text (a script's `'<!--'`) are passed
 * over, as are `<!…>`, `<?…>` and `</3…>` (bogus comments to the next `>`); `<!-->` and `<!--->` are empty
 * comments, and `--!>` ends one as `-->` does. In an inline drawing or formula (`<svg>`, `<math>`), a
 * `<style>` or `<title>` holds elements, and CDATA runs to its `]]>`.
 */
function openCommentAt(html: string): number {
  const lowered: { text?: string } = {};
  // The next `-->` and `--!>`, looked for again only once passed: each comment looking for them to the end
  // made a long block quadratic.
  let dashes = -2;
  let bang = -2;
  let foreign = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    const next = html.charCodeAt(i + 1);
    if (next === 33 || next === 63 || (next === 47 && !/[A-Za-z]/.test(html[i + 2] ?? ''))) {
      // `<!`, `<?`, `</` not before a letter.
      if (html.startsWith('<!--', i)) {
        if (html.startsWith('>', i + 4) || html.startsWith('->', i + 4)) continue;
        if (dashes !== -1 && dashes < i + 4) dashes = html.indexOf('-->', i + 4);
        if (bang !== -1 && bang < i + 4) bang = html.indexOf('--!>', i + 4);
        const end = dashes === -1 ? bang : bang === -1 ? dashes : Math.min(dashes, bang);
        if (end === -1) return i;
        i = end + 2;
        continue;
      }
      if (next === 47 && html[i + 2] === '>') continue;
      const close = foreign > 0 && html.startsWith('<![CDATA[', i) ? html.indexOf(']]>', i + 9) : html.indexOf('>', i + 2);
      if (close === -1) return -1;
      i = close;
      continue;
    }
    const endTag = next === 47;
    if (!/[A-Za-z]/.test(html[endTag ? i + 2 : i + 1] ?? '')) continue;
    // The tag, to its `>`, its quoted values passed over.
    let j = i + 1;
    let afterEquals = false;
    while (j < html.length && html[j] !== '>') {
      const c = html[j]!;
      if ((c === '"' || c === "'") && afterEquals) {
        const close = html.indexOf(c, j + 1);
        if (close === -1) return -1;
        j = close;
      }
      if (c === '=') afterEquals = true;
      else if (c !== ' ' && c !== '\t' && c !== '\n') afterEquals = false;
      j++;
    }
    const name = /^<\/?([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(i, i + 12))![1]!.toLowerCase();
    if (name === 'svg' || name === 'math') {
      if (endTag) foreign = Math.max(0, foreign - 1);
      else if (html[j - 1] !== '/') foreign++;
    }
    const end = !endTag && foreign === 0 ? rawTextEnd(html, i, j, lowered) : undefined;
    if (end === -1) return -1;
    if (end !== undefined) j = end - 1;
    i = j;
  }
  return -1;
}

/**
 * A bare address with an entity in it (`…?a=1&amp;b=2`, as HTML writes it): the entity is read, as GitHub
 * reads it (it finds addresses in text whose entities are decoded). Marked kept it as written, and its `&`
 * was escaped again: the link led to `?a=1&amp;b=2`.
 */
function withEntitiesDecoded(url: Tokens.Link | undefined): Tokens.Link | undefined {
  if (!url || !/&#?[A-Za-z0-9]+;/.test(url.raw)) return url;
  const text = decodeHTMLStrict(url.text);
  const href = decodeHTMLStrict(url.href);
  return { ...url, text, href, tokens: (url.tokens ?? []).map((t) => (t.type === 'text' ? { ...t, text: decodeHTMLStrict(t.text) } : t)) };
}

/**
 * An autolink at `lastIndex`: CommonMark's with a scheme of 2-32 characters and `://`, or `mailto:`, or an
 * e-mail address. (Not any scheme: `<xsl:apply-templates/>` is XSLT's tag.)
 */
const AUTOLINK_AT = /<(?:((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:\/\/|mailto:)[^\s<>\x00-\x1f]*)|([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*))>/y;

/**
 * An HTML block's `<` that starts no tag a writer meant: one before the name of what the HTML parser would
 * read as a start tag's attribute (`<td>if a<b then c</td>`: a tag `b` with the attributes `then`, `c<`,
 * `td`), or an end tag's `</` before no name (`I </3 Mondays`, a bogus comment to the next `>`). The parser
 * took the text after it, up to the next `>`, and the end tag there with it; the `<` is shown as written.
 */
function lessThansShown<T extends Tokens.HTML | Tokens.Tag>(token: T): T {
  if (token.type !== 'html' || !(token as Tokens.HTML).block || !token.text.includes('<')) return token;
  const html = token.text;
  const n = html.length;
  let out = '';
  let last = 0;
  const lowered: { text?: string } = {};
  /** Whether the block holds a drawing or a formula (looked for once, when first asked). */
  let drawn: boolean | undefined;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    const c = html.charCodeAt(i + 1);
    if (c === 33 || c === 63) {
      // A comment, `<!…>` or `<?…>`: passed over.
      const end = html.startsWith('<!--', i) ? html.indexOf('-->', i + 4) : html.indexOf('>', i + 2);
      if (end === -1) break;
      i = end;
      continue;
    }
    if (c === 47) {
      const d = html[i + 2];
      if (d === undefined || d === '>' || /[A-Za-z]/.test(d)) continue;
      out += `${html.slice(last, i)}&lt;`;
      last = i + 1;
      continue;
    }
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) continue;
    // A web or e-mail address in angle brackets (`<https://x.org>`, `<help@x.org>`): a link, as it is in
    // Markdown's text; the HTML parser read a tag, and the address was lost.
    AUTOLINK_AT.lastIndex = i;
    const address = AUTOLINK_AT.exec(html);
    if (address) {
      const target = (address[1] ?? address[2])!;
      out += `${html.slice(last, i)}<a href="${escapeAttr(address[1] ?? `mailto:${address[2]}`)}">${escapeText(target)}</a>`;
      last = i + address[0].length;
      i = last - 1;
      continue;
    }
    // (Each scan stops at the next `<` that starts a tag: scanning on to a space, `<abc<abc…` without one
    // took time in the square of its length.)
    let j = i + 1;
    let stray = false;
    while (j < n && !/[\s/>]/.test(html[j]!)) {
      if (html[j] === '<' && /[A-Za-z/]/.test(html[j + 1] ?? '')) {
        stray = true;
        break;
      }
      j++;
    }
    while (!stray && j < n && html[j] !== '>') {
      if (/[\s/]/.test(html[j]!)) {
        j++;
        continue;
      }
      // An attribute's name, then its value. A `<` there that starts an end tag or a tag (`then c</td>`)
      // makes the tag a writer's less-than sign; one before a space or a template's `<?`, `<%` does not.
      while (j < n && !/[\s/>=]/.test(html[j]!)) {
        if (html[j] === '<' && /[A-Za-z/]/.test(html[j + 1] ?? '')) {
          stray = true;
          break;
        }
        j++;
      }
      if (stray) break;
      while (j < n && /\s/.test(html[j]!)) j++;
      if (html[j] !== '=') continue;
      j++;
      while (j < n && /\s/.test(html[j]!)) j++;
      const q = html[j];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, j + 1);
        j = close === -1 ? n : close + 1;
      } else while (j < n && !/[\s>]/.test(html[j]!)) j++;
    }
    // A placeholder or a type (`Optional<String> name` in a `<pre>`, `List<Item>`): a tag of no element HTML
    // has, bare, that the article ends nowhere, as in a sentence (filterTags). Not beside a drawing's or a
    // formula's elements, and not in MDX, whose components are written so.
    if (!stray && html[j] === '>' && !current.mdx && j - i < 100) {
      const written = PLACEHOLDER.exec(html.slice(i, j + 1))?.[1];
      const name = written?.toLowerCase();
      if (name !== undefined && !HTML_ELEMENTS.has(name) && !(FOREIGN_NAME.test(name) && (drawn ??= /<(?:svg|math)[\s/>]/i.test(html))) && !endsInBody(name)) stray = true;
    }
    if (stray) {
      out += `${html.slice(last, i)}&lt;`;
      last = i + 1;
      continue;
    }
    // A raw-text element's text (a script's `a<b`) is its own.
    const end = rawTextEnd(html, i, j, lowered);
    if (end === -1) break;
    if (end !== undefined) j = end;
    i = Math.max(i, j - 1);
  }
  if (!last) return token;
  return { ...token, text: out + html.slice(last) };
}

/**
 * An HTML block whose text ends inside a tag: an attribute's quote or the tag itself left open
 * (`<div title="x>`). The HTML parser would read on into the next blocks' HTML, as the attribute's value or
 * more attributes, and every paragraph up to the next quote or `>` was lost. The quote is closed at the end
 * of its line and the tag ended there, with a warning.
 */
function withTagsEnded(token: Tokens.HTML | Tokens.Tag, commentAt?: number): RepairedHtml | undefined {
  if (token.type !== 'html' || !(token as Tokens.HTML).block || !token.text.includes('<') || (ENDS_AT_MARKER.test(token.text) && commentAt === undefined)) return undefined;
  let text = token.text;
  let first: { offset: number; message: string } | undefined = commentAt !== undefined ? { offset: commentAt, message: '`<!--` is not closed: it is ended at the end of its block, with `-->`, and the text after it is shown; add the `-->` where it belongs' } : undefined;
  for (let from = 0, guard = 0; guard < 1000; guard++) {
    const open = openTagAt(text, from);
    if (!open) break;
    const lineEnd = text.indexOf('\n', open.at);
    const at = lineEnd === -1 ? text.replace(/\s+$/, '').length : lineEnd;
    const closer = `${open.quote}>`;
    text = text.slice(0, at) + closer + text.slice(at);
    first ??= {
      offset: open.tag,
      message: open.quote
        ? `this HTML tag's attribute value is not closed (\`${open.quote}\`): it is closed at the end of the line, with the tag, and the text after it is shown (a browser reads it into the attribute); close the quote where it belongs`
        : 'this HTML tag is not closed with `>`: it is closed at the end of its text, and the text after it is shown (a browser reads it as the tag\'s attributes); add the `>` where it belongs',
    };
    from = at + closer.length;
  }
  if (!first) return undefined;
  const repaired = { ...(token as Tokens.HTML), text, quireReport: true, quireRepair: first } as RepairedHtml;
  repairedHtml.push(repaired);
  return repaired;
}

/**
 * The first tag of `html` from `from` on that its text leaves open, as the HTML parser reads tags: where the
 * tag starts, where the open quote is, and the quote (empty when the tag's `>` is missing). Comments are
 * passed over.
 */
function openTagAt(html: string, from: number): { tag: number; at: number; quote: string } | undefined {
  const lowered: { text?: string } = {};
  for (let i = html.indexOf('<', from); i !== -1; i = html.indexOf('<', i + 1)) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end === -1) return undefined;
      i = end + 2;
      continue;
    }
    const next = html.charCodeAt(i + 1) === 47 ? html[i + 2] : html[i + 1];
    if (!next || !/[A-Za-z]/.test(next)) continue;
    let j = i + 1;
    for (; j < html.length && html[j] !== '>'; j++) {
      if (html[j] !== '=') continue;
      let k = j + 1;
      while (k < html.length && /[ \t\n]/.test(html[k]!)) k++;
      const q = html[k];
      if (q !== '"' && q !== "'") continue;
      const close = html.indexOf(q, k + 1);
      if (close === -1) return { tag: i, at: k, quote: q };
      j = close;
    }
    if (j >= html.length) return { tag: i, at: i, quote: '' };
    // The text of a raw-text element (a script's `a <b`) is no tag: passed over to its end tag.
    const end = rawTextEnd(html, i, j, lowered);
    if (end === -1) return undefined;
    if (end !== undefined) j = end;
    i = j;
  }
  return undefined;
}

/** Where an HTML block may start (Marked asks its rule at every block that nothing else took). */
const HTML_START = /^ {0,3}</;
/** The HTML blocks that end at their closing (`<pre>`, a comment), not at a blank line. */
const HTML_TO_ITS_END = /^ {0,3}<(?:script|pre|style|textarea|!|\?)/i;
const BLANK_OR_INCLUDE = /\n(?:[ \t]*\n| {0,3}<!--[ \t]*@include:)/g;
/**
 * Where in `src`, before its first blank line, a line starts that is a VitePress Markdown include; -1 when
 * none. It looks no further than the HTML block it is asked for would reach.
 */
function includeLineAhead(src: string): number {
  BLANK_OR_INCLUDE.lastIndex = 0;
  for (let m = BLANK_OR_INCLUDE.exec(src); m; m = BLANK_OR_INCLUDE.exec(src)) {
    if (m[0].endsWith('\n') && m[0].length > 1) return -1;
    const m2 = VITEPRESS_DIRECTIVE.exec(src.slice(m.index + 1));
    if (m2 && m2[2] !== undefined) return m.index + 1;
  }
  return -1;
}

/**
 * A MyST (Sphinx) role before a code span, {ref}`text <target>`: the role is left out of the text before it,
 * and a reference's code shows its text, not its target (`{ref}` is a link on the site; `{doc}` is a link to
 * the document, toctree.ts).
 * A PEP or an RFC shows what it is with its number, as Sphinx writes it: {pep}`440` is "PEP 440".
 * A superscript or subscript role is that, not code.
 */
function withoutRole(before: Token, code: Tokens.Codespan, inLink = false): void {
  if (before.type !== 'text' || !before.text.endsWith('}')) return;
  const role = /\{([a-z][\w:-]*)\}$/.exec(before.text);
  if (!role) return;
  before.text = before.text.slice(0, role.index);
  // A link to the document, named by its title or by the title given ({doc}`Title <path>`); it showed the path as code.
  // (In a link's text, a role that links is the code it was: a link in a link split the outer one, its words
  // after the role out of it.)
  if (role[1] === 'doc' && code.text.trim() && !inLink) {
    Object.assign(code, { type: 'html', block: false, text: docRoleHtml(code.text) });
    return;
  }
  // A reference to a label, `(label)=` or a directive's `:name:`: a link to it, named by the heading it
  // stands before (myst.ts, REF_LINK) or by the text given ({ref}`Text <label>`); it showed as code.
  // Sphinx's `{any}` is one too, or a link to the document of that name, found at settle (links.ts); it showed as code.
  if ((role[1] === 'ref' || role[1] === 'any') && code.text.trim() && !inLink) {
    Object.assign(code, { type: 'html', block: false, text: refRoleHtml(code.text, role[1] === 'any') });
    return;
  }
  const named = /^(.*?)\s*(?:<|&lt;)[^<>]*(?:>|&gt;)$/.exec(code.text);
  if (named && named[1]) code.text = named[1];
  else if ((role[1] === 'pep' || role[1] === 'rfc') && /^\d+(?:#\S*)?$/.test(code.text)) {
    Object.assign(code, { type: 'text', text: `${role[1].toUpperCase()} ${code.text}`, escaped: false });
  }
  // Sphinx's {file} and {samp} read `\\`, `\{` and `\}` as escapes: `C:\\ProgramData` is shown `C:\ProgramData`.
  else if (role[1] === 'file' || role[1] === 'samp') code.text = code.text.replace(/\\([\\{}])/g, '$1');
  // A glossary's term is its text, as the site shows it but for the link to the glossary, which quire does not read.
  if (role[1] === 'term') Object.assign(code, { type: 'text', text: code.text, escaped: false });
  // Docutils' superscript and subscript: a note's mark, `compatible{sup}\`1\``, is raised, not code.
  const raised = ROLE_TAGS[role[1]!];
  if (raised) Object.assign(code, { type: raised === 'sup' ? 'caret' : 'subscript', tag: raised, tokens: [{ type: 'text', raw: code.text, text: code.text, escaped: false }] });
}
/**
 * The MyST target, `(label)=`, whose line starts `src`, when its label has an id: the anchor it is, an HTML
 * block of the empty element the chapter names (myst.ts, LABEL_PLACE).
 */
function targetAt(src: string): Tokens.HTML | undefined {
  const target = src.charCodeAt(0) === 40 || src.charCodeAt(0) === 32 ? TARGET_LINE.exec(src) : null;
  const id = target ? labelId(target[1]!) : '';
  return id ? { type: 'html', block: true, raw: target![0], pre: false, text: `<span id="${escapeAttr(id)}" class="${LABEL_PLACE}"></span>\n` } : undefined;
}

/** A `{ref}` role's link, from its code's text: `label` (named at settle) or `Text <label>`. */
function refRoleHtml(code: string, any = false): string {
  const titled = /^(.*?)\s*<([^<>]+)>$/.exec(code.trim());
  const title = titled?.[1]?.trim();
  const label = (titled && title ? titled[2]! : code).trim();
  // The label as written (links.ts names it so when it is not in the book), its id found at settle.
  const href = `#${escapeAttr(encodeURIComponent(label))}`;
  // (An `{any}` that leads nowhere is shown as code, its text given or not: links.ts.)
  if (any) return `<a class="${DOC_LINK} ${REF_LINK} ${ANY_LINK}${title ? ` ${ANY_TITLED}` : ''}" href="${href}">${escapeText(title || label)}</a>`;
  return title ? `<a class="${REF_LINK}" href="${href}">${escapeText(title)}</a>` : `<a class="${DOC_LINK} ${REF_LINK}" href="${href}">${escapeText(label)}</a>`;
}
const ROLE_TAGS: Record<string, 'sup' | 'sub'> = { sup: 'sup', superscript: 'sup', sub: 'sub', subscript: 'sub' };

/** Whether the article defines a link named `toc` (`[toc]: url`): then `[toc]` is that link. */
let tocIsLink = false;
/** Whether a snippet's text is being read (snippetParagraph). */
let inSnippet = false;
/** The block form of MkDocs's snippets: a line `--8<--` alone, then a file on each line, then `--8<--` again. */
const SNIPPET_BLOCK_MARK = /^-{1,20}8<-{1,20}$/;

/**
 * A paragraph's (or a line's) `text`, whose `raw` it is, with MkDocs's snippets in it: each line of a
 * snippet read at the load stage (or a block of them) replaced by the file's Markdown, and the whole read
 * as blocks, as pymdownx puts the files in before the Markdown is read; a single line that was not read,
 * or escaped, shown as code; undefined when it holds neither. Its inline text queued by Marked is taken back.
 */
function snippetParagraph(lexer: Lexer, raw: string, text: string): Token | undefined {
  const lines = text.split('\n');
  const out: string[] = [];
  let put = false;
  // In a snippet's text, its snippets are in already: what is left is shown as written.
  for (let i = 0; i < lines.length && !inSnippet; i++) {
    const line = lines[i]!.trim();
    if (SNIPPET_BLOCK_MARK.test(line)) {
      // The block form: each file read, else the block as written.
      let j = i + 1;
      const values: string[] = [];
      let read = true;
      for (; j < lines.length && !SNIPPET_BLOCK_MARK.test(lines[j]!.trim()); j++) {
        const name = lines[j]!.trim();
        if (!name || name.startsWith(';')) continue;
        const value = includedText(`--8<-- "${name}"`);
        if (value === undefined) read = false;
        else values.push(value);
      }
      if (j < lines.length && read) {
        for (const value of values) out.push(value);
        put = true;
        i = j;
      } else out.push(lines[i]!);
      continue;
    }
    const m = line.includes('8<-') ? MKDOCS_SNIPPET.exec(line) : null;
    const value = m && !m[2] ? includedText(m[3]!) : undefined;
    if (value === undefined) out.push(lines[i]!);
    else {
      out.push(value);
      put = true;
    }
  }
  const joined = out.join('\n');
  const directive = put ? lines.find((l) => l.includes('8<-'))!.trim() : '';
  if (put && containers.depth < MAX_CONTAINER_DEPTH && mayExpand(directive, joined)) {
    lexer.inlineQueue.pop();
    inSnippet = true;
    try {
      // The files' escaped snippets less their `;`, as the article's are.
      return includedBlock(lexer, raw, joined.replace(/^([ \t]*);(;*-{1,20}8<-)/gm, '$1$2'), directive);
    } finally {
      inSnippet = false;
    }
  }
  const one = lines.length === 1 ? MKDOCS_SNIPPET.exec(lines[0]!.trim()) : null;
  if (!one) return undefined;
  lexer.inlineQueue.pop();
  const shown = (inSnippet ? one[2]! : one[2]!.slice(1)) + one[3]!;
  return { type: 'paragraph', raw, text: shown, tokens: [{ type: 'codespan', raw: shown, text: shown }] } as Tokens.Paragraph;
}

/** A paragraph asking for a table of contents: `[TOC]`, `[[toc]]`, `[[_TOC_]]`, `${toc}`, `{{< toc >}}`, `{{% toc %}}`. */
/** What follows a marker's line (TOC_MARKER) in a list item when no text goes on from it: the end, or a blank line. */
const TOC_LINE_ALONE = /^(?:\n?$|\n[ \t]*(?:\n|$))/;
const TOC_MARKER = /^(?:\[toc\]|\[\[_?toc_?\]\]|\$\{toc\}|\{\{<[ \t]*toc[ \t]*>\}\}|\{\{%[ \t]*toc[ \t]*%\}\})$/i;
/**
 * markdown-it-toc's marker, `@[toc]` or `@[toc](A title)` (CSDN's editor starts a post with
 * `@[TOC](这里写自定义目录标题)`): the contents, under the title written. It showed as `@` and a link to the title.
 */
const TOC_TITLED = /^@\[toc\](?:\(([^()\n]{0,200})\))?$/i;

/** The HTML of the contents' place for a paragraph that asks for them (TOC_MARKER, TOC_TITLED), or undefined. */
function contentsPlace(text: string | undefined): string | undefined {
  if (!text || text.length > 210) return undefined;
  const titled = text.charCodeAt(0) === 64 ? TOC_TITLED.exec(text) : null;
  if (!titled && !(text.length < 20 && TOC_MARKER.test(text) && !(tocIsLink && /^\[toc\]$/i.test(text)))) return undefined;
  const title = titled?.[1]?.trim();
  return `${title ? `<p class="contents-title">${escapeText(title)}</p>\n` : ''}<div class="${CONTENTS_PLACE}"></div>\n`;
}

/** mdBook's page title directive, a paragraph of its own. */
const MDBOOK_TITLE = /^\{\{#title[ \t][^}\n]*\}\}$/;

/**
 * `text` with each mdBook include and MkDocs snippet line it holds replaced by what it stands for (those that
 * could not be read stay), a snippet's lines indented as its line is.
 */
function withIncludes(text: string, includes: Record<string, string>): string {
  if (text.includes('8<-')) {
    // MkDocs shows an escaped snippet (`;--8<-- "file"`) less one `;`.
    text = text.replace(MKDOCS_SNIPPET_LINES, (line: string, indent: string, escape: string, directive: string) => {
      if (escape) return current.mkdocs ? `${indent}${escape.slice(1)}${directive}` : line;
      if (!Object.hasOwn(includes, directive) || !mayExpand(directive, includes[directive]!, false)) return line;
      // The file's own escaped snippets are shown less their `;`, as the article's are.
      return includes[directive]!.split('\n').map((l) => (l ? indent + l.replace(/^([ \t]*);(;*-{1,20}8<-)/, '$1$2') : l)).join('\n');
    });
  }
  if (!text.includes('{{#')) return text;
  // mdBook shows an escaped directive (`\{{#include …}}`) without its backslash.
  return text.replace(INCLUDE, (directive) => (Object.hasOwn(includes, directive) && mayExpand(directive, includes[directive]!, false) ? includes[directive]! : directive)).replace(/\\(\{\{#(?:include|rustdoc_include)\b)/g, '$1');
}

/**
 * A paragraph's (or a list item's) text without kramdown's attribute lists on its first and last lines
 * (kramdown.ts); one that was nothing else is left out, its attributes given to a heading just before it.
 */
function withoutAttributeLists(this: Tokenizer, token: Tokens.Paragraph | Tokens.Text | undefined): Token | undefined {
  const stripped = token && stripAttributeLists(token.text);
  if (!token || !stripped) return token;
  const entry = queued(this.lexer, token.tokens);
  if (!entry) return token;
  if (!stripped.text) {
    giveToHeading(this.lexer.state.lastToken, stripped.after);
    entry.src = '';
    // Marked adds a lazy line of a quote, or the next line of a list item, to the text before it, whatever
    // its token: with a line break, which is taken off again once the block is read (MathLexer).
    const before = this.lexer.state.lastToken;
    if (before?.type === 'text' || before?.type === 'paragraph') joined.add(before as Tokens.Text);
    return { type: 'space', raw: token.raw, text: '' } as Token;
  }
  token.text = stripped.text;
  entry.src = stripped.text;
  return token;
}
// No token is `undefined`, not `false`: on `false` Marked runs its own tokenizer again on the same text
// (the setext heading's was tried on every paragraph).
const noToken = undefined as unknown as false;

/**
 * The raw text of text tokens that Marked is adding lines to, less its last character, in pieces. In a list
 * item (or a definition) Marked reads text a line at a time and adds each line to the token before it,
 * testing whether that token's raw text ends in a line break: which joins the pieces of the whole text so
 * far, at each line (an item of 10,000 lines took seconds, one of 100,000 hours). The token keeps its last
 * character while it grows, and its whole text once its blocks are read (MathLexer.blockTokens).
 */
const heldRaw = new Map<Token, string[]>();
function holdRaw(t: Token): void {
  const raw = t.raw;
  if (raw.length < 2) return;
  let pieces = heldRaw.get(t);
  if (!pieces) heldRaw.set(t, (pieces = []));
  pieces.push(raw.slice(0, -1));
  t.raw = raw.slice(-1);
}
function releaseRaw(): void {
  for (const [t, pieces] of heldRaw) t.raw = pieces.join('') + t.raw;
  heldRaw.clear();
}

/**
 * The inline texts Marked is reading (a link's text is read inside its paragraph's), each with the next `$`
 * found in it. Marked reads a text from its start to its end, each piece of text being the rest of it.
 */
const reading: { text: string; next: number; at: number; esc: number; caret: number; brace: number; mark: number; sup: number; plus: number; closers?: Closers }[] = [];

/**
 * Where the first `@` of `src` is, or -1, found as nextDollar finds a `$`. Marked's inline text and URL
 * rules look ahead through the rest of a run of letters, digits and `._+-` for the `@` of an e-mail address,
 * from every token of the run: `_x_x_x…` (a long line that Marked reads as many small tokens) took 29 s for
 * 80,000 pairs. Where the rest of the text holds no `@`, no e-mail address can start, and the rules are read
 * without that search (noEmailText below).
 */
function nextAt(src: string): number {
  const top = reading[reading.length - 1];
  const offset = restAt(top, src);
  if (!top || offset === -1) return src.indexOf('@');
  if (top.at === UNKNOWN || (top.at !== -1 && top.at < offset)) top.at = top.text.indexOf('@', offset);
  const found = top.at === -1 ? -1 : top.at - offset;
  return found === -1 || src.charCodeAt(found) === 64 ? found : src.indexOf('@');
}
const UNKNOWN = -2;

/**
 * Marked's GFM inline text rule without its two looks ahead for an e-mail address, for text with no `@`,
 * where they cannot match; undefined if this Marked's rule is not written as expected (it is then used as
 * it is, and a unit test says so).
 */
const EMAIL_CHARS = "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]";
export const noEmailText = ((): RegExp | undefined => {
  const rule = Lexer.rules.inline.gfm.text;
  const ahead = `|(?=${EMAIL_CHARS}+@)`;
  const before = `|[^a-zA-Z0-9.!#$%&'*+\\/=?_\`{\\|}~-](?=${EMAIL_CHARS}+@)`;
  if (!rule.source.includes(ahead) || !rule.source.includes(before)) return undefined;
  return new RegExp(rule.source.replace(ahead, '').replace(before, ''), rule.flags);
})();

/** The runs of `*` and of `_` of a masked inline text, for emStrong below. */
interface Closers {
  masked: string;
  '*': DelimiterRuns;
  _: DelimiterRuns;
}
interface DelimiterRuns {
  /** Where each run starts, in order. */
  at: number[];
  /** Each run's length, negative when it can only open. */
  weight: number[];
  /**
   * After each run, the most that the runs after it can close beyond what they open: the greatest sum, over
   * the runs from the next to some later one, of each one's length, counted against it when it can only
   * open. -Infinity after the last.
   */
  reach: number[];
}

/**
 * Marked looks for the end of an emphasis from each `*` or `_` that may open one, through the runs after it,
 * counting those that open (each needs its own end) and those that may close, until as many close as are
 * open: from every opener of a paragraph of many, that is quadratic (`!_x!_x…`, 10,000 in a paragraph: 12 s;
 * `a *b a *b … c*`: 20,000, 40 s). An opener can end only where the runs after it may close at least its
 * own length more than they open, which is found here for all the text's runs at once, from the end. A run
 * is counted as opening only where Marked's own rules for the end take it to (after a space or punctuation,
 * before a letter; after a space, before punctuation), and as closing wherever they might: an opener left
 * out here is one Marked would have found no end for.
 */
function delimiterRuns(masked: string): Closers {
  const runs: Closers = { masked, '*': { at: [], weight: [], reach: [] }, _: { at: [], weight: [], reach: [] } };
  const n = masked.length;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(masked); m; m = RUN.exec(masked)) {
    const r = m.index;
    const c = m[0][0] as '*' | '_';
    const end = r + m[0].length;
    const before = r === 0 ? undefined : String.fromCodePoint(masked.codePointAt(r >= 2 && /[\udc00-\udfff]/.test(masked[r - 1]!) ? r - 2 : r - 1)!);
    const after = end === n ? undefined : String.fromCodePoint(masked.codePointAt(end)!);
    const opens = before !== undefined && (((isSpace(before) || isPunct(before, c)) && isLetter(after, c)) || (isSpace(before) && after !== undefined && isPunct(after, c)));
    runs[c].at.push(r);
    runs[c].weight.push(opens ? -(end - r) : end - r);
  }
  for (const c of ['*', '_'] as const) {
    const w = runs[c].weight;
    const reach = runs[c].reach;
    reach.length = w.length;
    let best = -Infinity;
    for (let i = w.length - 1; i >= 0; i--) {
      reach[i] = best;
      // The best sum of a stretch starting at run i: run i alone, or run i with the best from i + 1.
      best = w[i]! + Math.max(0, best);
    }
  }
  return runs;
}

/**
 * Whether an opener at `offset`, `length` long, may find an end among the runs after its own (Marked may
 * try a run from its second character on, when it found no end from its first).
 */
function mayClose(runs: DelimiterRuns, offset: number, length: number): boolean {
  // The run that holds `offset`: the last that starts at or before it.
  let lo = 0;
  let hi = runs.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs.at[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return true;
  if (lo === runs.at.length) return false;
  // The first run after the opener's own may be passed over by Marked (the start of `_**a_b**`, where the
  // `_` is inside the strong text): it is not counted against the opener.
  return Math.max(0, runs.weight[lo]!) + Math.max(0, runs.reach[lo]!) >= length;
}
const PUNCT = /^[\p{P}\p{S}]$/u;
// Marked's rules for the end of `*` take `~` for a letter.
const isPunct = (ch: string, c: string) => PUNCT.test(ch) && !(c === '*' && ch === '~');
const isSpace = (ch: string | undefined) => ch !== undefined && SPACE.test(ch);
const isLetter = (ch: string | undefined, c: string) => ch !== undefined && !isSpace(ch) && !isPunct(ch, c);
/** A run of `*` or of `_`. */
const RUN = /\*+|_+/g;
const SPACE = /^\s$/;

/**
 * Where `src` starts in the text being read, when it is the rest of it (as Marked hands each tokenizer the
 * rest), or -1: then it is searched itself. Checked at its first, middle and last characters; a search's
 * answer is checked again in `src` before it is used.
 */
function restAt(top: (typeof reading)[number] | undefined, src: string): number {
  const offset = top ? top.text.length - src.length : -1;
  const middle = src.length >> 1;
  if (!top || offset < 0 || top.text.charCodeAt(offset) !== src.charCodeAt(0) || top.text.charCodeAt(offset + middle) !== src.charCodeAt(middle) || top.text.charCodeAt(top.text.length - 1) !== src.charCodeAt(src.length - 1)) return -1;
  return offset;
}

// Where the next of Hugo's escaped shortcodes (`{{</* x */>}}`) after the first character of `src` is, or -1,
// found as nextDollar finds a `$`: text stops before it, for the escapedShortcode rule to read it whole (its
// `*`s would otherwise be emphasis).
function nextEscaped(src: string): number {
  const top = reading[reading.length - 1];
  if (top?.esc === -1) return -1;
  // The first of either, looked for once: two searches would each go to the end for the one not there.
  const find = (s: string, from: number) => {
    ESCAPED_START.lastIndex = from;
    return ESCAPED_START.exec(s)?.index ?? -1;
  };
  const offset = restAt(top, src);
  if (!top || offset === -1) return find(src, 1);
  if (top.esc === UNKNOWN || top.esc <= offset) top.esc = find(top.text, offset + 1);
  return top.esc === -1 ? -1 : top.esc - offset;
}

const ESCAPED_START = /\{\{[<%]\/\*/g;

/** Where the next inline note's `^[` after the first character of `src` is, or -1, found as nextEscaped finds a shortcode. */
function nextCaret(src: string): number {
  const top = reading[reading.length - 1];
  if (top?.caret === -1) return -1;
  const offset = restAt(top, src);
  if (!top || offset === -1) return src.indexOf('^[', 1);
  if (top.caret === UNKNOWN || top.caret <= offset) top.caret = top.text.indexOf('^[', offset + 1);
  return top.caret === -1 ? -1 : top.caret - offset;
}

/**
 * Where the first `$` after the first character of `src` is, or -1. `src` is the rest of the text Marked
 * is reading, so the search goes on from the last `$` found in that text instead of starting again: from
 * every piece of text of a long paragraph, looking through the rest of it was quadratic, whether for a `$`
 * that was not there (a line of 100,000 links: 4.4 s of an 8.4 s build) or for every one of many (prices).
 */
function nextDollar(src: string): number {
  const top = reading[reading.length - 1];
  const offset = restAt(top, src);
  // Not the rest of the text being read (never seen): search this one.
  if (!top || offset === -1) return src.indexOf('$', 1);
  if (top.next !== -1 && top.next <= offset) top.next = top.text.indexOf('$', offset + 1);
  const found = top.next === -1 ? -1 : top.next - offset;
  return found === -1 || src.charCodeAt(found) === 36 ? found : src.indexOf('$', 1);
}

/** Where the next `{` in `src` is (from its first character), or -1, found as nextDollar finds a `$`. */
function nextBrace(src: string): number {
  return nextFrom(src, 'brace', '{');
}

/**
 * An inline extension's `start` (where Marked cuts the text before it): the next `needle` in `src`, found as
 * nextFrom finds it; undefined when the extension is off (`on`) or there is none.
 */
function startAt(on: boolean, src: string, key: 'mark' | 'sup' | 'plus', needle: string): number | undefined {
  if (!on) return undefined;
  const at = nextFrom(src, key, needle);
  return at === -1 ? undefined : at;
}

/** An inline token's Markdown in the element `tag` (`==mark==`, `^sup^`, `~sub~`, `^^ins^^`). */
function wrapped(this: { parser: { parseInline(tokens: Token[]): string } }, tag: string, t: Token): string {
  return `<${tag}>${this.parser.parseInline((t as Tokens.Generic).tokens as Token[])}</${tag}>`;
}

/** Where the next `needle` in `src` is, remembered on the text being read under `key` (see nextDollar). */
function nextFrom(src: string, key: 'brace' | 'mark' | 'sup' | 'plus', needle: string): number {
  const top = reading[reading.length - 1];
  if (top?.[key] === -1) return -1;
  const offset = restAt(top, src);
  if (!top || offset === -1) return src.indexOf(needle);
  if (top[key] === UNKNOWN || top[key] < offset) top[key] = top.text.indexOf(needle, offset);
  return top[key] === -1 ? -1 : top[key] - offset;
}

/** Texts that an attribute list's line was joined to (withoutAttributeLists). */
const joined = new Set<Tokens.Text>();

/**
 * Whether the next paragraph the block lexer reads goes on the paragraph before it: a quote's lazy
 * continuation line (`> text` then `[TOC]`), which Marked reads with the rest of the quote and joins to the
 * quote's last paragraph. It is that paragraph's text, as CommonMark reads it; made a block of its own (a
 * table of contents, an include), Marked joined that block's text to the paragraph and dropped another
 * paragraph's inline text in its place.
 */
let lazyParagraph = false;

/** Marked's lexer, keeping track of the inline text it reads (see nextDollar). */
class MathLexer extends Lexer {
  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens?: Token[] | TokensList, lastParagraphClipped?: boolean): Token[] | TokensList {
    blockTexts.push({ text: src });
    const lazy = lazyParagraph;
    lazyParagraph = lastParagraphClipped === true && tokens !== undefined && tokens[tokens.length - 1]?.type === 'paragraph';
    let out: Token[];
    try {
      out = super.blockTokens(src, tokens as Token[], lastParagraphClipped);
    } finally {
      blockTexts.pop();
      lazyParagraph = lazy;
    }
    if (heldRaw.size) releaseRaw();
    for (const t of joined) {
      const entry = t.text.endsWith('\n') ? queued(this, t.tokens) : undefined;
      if (entry) entry.src = t.text = t.text.replace(/\n+$/, '');
    }
    joined.clear();
    return out;
  }
  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    if (current.mdx && src.includes('{/*')) src = withoutMdxComments(src);
    reading.push({ text: src, next: 0, at: UNKNOWN, esc: containers.any && (src.includes('{{</*') || src.includes('{{%/*')) ? UNKNOWN : -1, caret: inlineNotes ? UNKNOWN : -1, brace: current.mdx && src.includes('{') ? UNKNOWN : -1, mark: marks && src.includes('==') ? UNKNOWN : -1, sup: carets && src.includes('^') ? UNKNOWN : -1, plus: keys && src.includes('++') ? UNKNOWN : -1 });
    // Marked masks each text it reads inline for the emphasis rule (links, code, escapes), even a text
    // with no `*`, `_` or `~`, when the rule is not its own. quire's (emStrong below) does what Marked's
    // does where no `*` or `_` starts, so a text without them is read with Marked's: the masks of 1,000
    // real-docs articles took about 0.2 s for nothing.
    // Past MAX_INLINE_DEPTH texts deep, emphasis and strikethrough marks are shown as written: each level
    // is read again inside the one around it, nested `**a ` … ` a**` (200 KB) took 28 s and 1.2 GB.
    const tokenizer = this.options.tokenizer!;
    const rule = tokenizer.emStrong;
    const del = tokenizer.del;
    const tooDeep = reading.length > MAX_INLINE_DEPTH;
    tokenizer.emStrong = tooDeep ? noInlineToken : src.includes('*') || src.includes('_') ? quireEmStrong! : Tokenizer.prototype.emStrong;
    if (tooDeep) tokenizer.del = noInlineToken;
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      reading.pop();
      tokenizer.emStrong = rule;
      tokenizer.del = del;
    }
  }
}
marked.use({
  tokenizer: {
    // Text ends before a `$` that is not its first character, so that the math rule is tried there: what a
    // `start` of the math extension did, but finding each `$` once for the whole text (see MathLexer).
    inlineText(src) {
      const dollar = current.math ? nextDollar(src) : -1;
      const escaped = nextEscaped(src);
      const caret = inlineNotes ? nextCaret(src) : -1;
      let stop = dollar;
      if (escaped !== -1 && (stop === -1 || escaped < stop)) stop = escaped;
      if (caret !== -1 && (stop === -1 || caret < stop)) stop = caret;
      const text = stop === -1 ? src : src.slice(0, stop);
      const at = noEmailText ? nextAt(src) : 0;
      const inline = this.rules.inline;
      if (at !== -1 && at < text.length) return Tokenizer.prototype.inlineText.call(this, text) ?? noToken;
      // No `@` ahead: the rule without its search for one (the rules are Marked's own objects, shared; the
      // rule is put back before anything else can read it).
      const rule = inline.text;
      if (rule !== Lexer.rules.inline.gfm.text) return Tokenizer.prototype.inlineText.call(this, text) ?? noToken;
      inline.text = noEmailText!;
      try {
        return Tokenizer.prototype.inlineText.call(this, text) ?? noToken;
      } finally {
        inline.text = rule;
      }
    },
    emStrong(src, maskedSrc, prevChar) {
      const c = src[0];
      const top = reading[reading.length - 1];
      if ((c === '*' || c === '_') && top && maskedSrc.length === top.text.length) {
        if (top.closers?.masked !== maskedSrc) top.closers = delimiterRuns(maskedSrc);
        let length = 1;
        while (src[length] === c) length++;
        if (!mayClose(top.closers[c], maskedSrc.length - src.length, length)) return noToken;
      }
      return Tokenizer.prototype.emStrong.call(this, src, maskedSrc, prevChar) ?? noToken;
    },
    link(src) {
      // A page reference of Hugo's as the destination, `[text]({{< ref "page.md" >}})`: a link to the page.
      // A Jekyll post's, `[text]({% post_url 2019-01-01-title %})`, `({{ site.baseurl }}/about/)`: the site path.
      const ref = (containers.any ? withRefDestination(src) : undefined) ?? (containers.any || containers.liquid ? withLiquidDestination(src) : undefined);
      const token = Tokenizer.prototype.link.call(this, ref?.src ?? src);
      if (!ref) return token ?? noToken;
      if (!token || token.raw.length <= ref.at) return Tokenizer.prototype.link.call(this, src) ?? noToken;
      token.raw = src.slice(0, token.raw.length + ref.shorter);
      return token;
    },
    url(src) {
      // A web address starts here, or an e-mail address needs an `@` ahead (see nextAt).
      if (!/^(?:https?:\/\/|ftp:\/\/|www\.)/i.test(src) && nextAt(src) === -1) return noToken;
      const url = Tokenizer.prototype.url.call(this, src);
      // A note's reference right after a bare address (`www.example.com[^1]`, `…/page^[a note]`) is the
      // note's, as on GitHub, where notes are read before addresses: the address ends before it.
      const note = url && (notesAny || inlineNotes) ? NOTE_IN_URL.exec(url.raw) : null;
      return withEntitiesDecoded(note ? Tokenizer.prototype.url.call(this, src.slice(0, note.index)) : url) ?? noToken;
    },
    html(src) {
      // An HTML block that ends at a blank line ends before a VitePress Markdown include on a line of its own,
      // which is read next.
      const cut = markdownIncludes && HTML_START.test(src) && !HTML_TO_ITS_END.test(src) ? includeLineAhead(src) : -1;
      const open = cut === -1 && ENDS_AT_MARKER.test(src) ? endedAtBlankLine.call(this, src) : undefined;
      if (open) return open;
      // In MDX, a partial's tag on a line of its own (`<Shared />`, imported from `./_shared.mdx`) is the
      // partial's Markdown (articles/includes.ts).
      const firstLine = current.mdx && current.includes ? src.slice(0, src.indexOf('\n') === -1 ? src.length : src.indexOf('\n') + 1) : '';
      const partial = firstLine ? PARTIAL_USE.exec(firstLine.trimEnd()) : null;
      const included = partial ? includedText(`<${partial[1]} />`) : undefined;
      const partialText = included === undefined ? undefined : withPartialProps(included, partial![2]);
      if (partial && partialText !== undefined && containers.depth < MAX_CONTAINER_DEPTH && mayExpand(`<${partial[1]} />`, partialText)) {
        return includedBlock(this.lexer, firstLine, partialText, `<${partial[1]} />`) as unknown as Tokens.HTML;
      }
      // In MDX, lines of component tags are a block of their own, the Markdown after them read as Markdown;
      // cut before Marked's rule reads the block to its blank line.
      const lines = cut === -1 && current.mdx && COMPONENT_START.test(src) ? componentLinesAhead(src) : -1;
      if (lines !== -1) return Tokenizer.prototype.html.call(this, src.slice(0, lines)) ?? noToken;
      const token = Tokenizer.prototype.html.call(this, cut === -1 ? src : src.slice(0, cut));
      const line = token && (placeholderLine(token, this.lexer.state.top) as unknown as Tokens.HTML | undefined);
      if (line) return line;
      const read = token && lessThansShown(token);
      return (read && (endedAtItsEnd(read) ?? withCommentEnded(read, src) ?? withTagsEnded(read))) ?? read ?? noToken;
    },
    table(src) {
      let table = Tokenizer.prototype.table.call(this, src);
      const cut = table ? blockAfter(table.raw, src, 3, true) : -1;
      if (cut !== -1) table = Tokenizer.prototype.table.call(this, src.slice(0, cut));
      if (table) tables.push(table);
      return table ?? noToken;
    },
    heading(src) {
      return withHeadingAttrs.call(this, Tokenizer.prototype.heading.call(this, src)) ?? noToken;
    },
    code(src) {
      // MDX has no indented code: text indented inside a component's tags (`<TabItem>` then four spaces)
      // is text, and was shown as code.
      return current.mdx ? noToken : (Tokenizer.prototype.code.call(this, src) ?? noToken);
    },
    fences(src) {
      const code = current.mdx && src.startsWith('    ') ? deepFence.call(this, src) : Tokenizer.prototype.fences.call(this, src);
      // Pandoc's raw HTML, ```{=html}: its HTML, as pandoc puts it in a page (sanitised as any raw HTML is).
      // Raw blocks for other formats (```{=latex}) stay code, their text shown.
      if (code && /^\{=(?:html5?|xhtml)\}$/i.test(code.lang ?? '')) {
        // Its HTML left open is ended as a raw HTML block's is: a comment at the block's end, a tag at its line's.
        const comment = code.text.includes('<!--') ? openCommentAt(code.text) : -1;
        const text = comment !== -1 ? `${code.text}-->` : code.text;
        const token = { type: 'html', block: true, raw: code.raw, pre: false, text: `${text}\n` } as Tokens.HTML;
        // Reported at the comment: its offset in the fence's text, after the fence's first line.
        return (withTagsEnded(token, comment !== -1 ? code.raw.indexOf('\n') + 1 + comment : undefined) ?? token) as unknown as Tokens.Code;
      }
      // A Quarto or R Markdown chunk, ```{r}, ```{python}, ```{r setup, include=FALSE}: code in that
      // language (it was code in none, unhighlighted), without the `#|` lines of the chunk's options at its
      // top, which Quarto does not show either.
      const chunk = code?.lang?.startsWith('{') ? CHUNK.exec(code.lang) : null;
      if (code && chunk && CHUNK_ENGINES.has(chunk[1]!.toLowerCase())) return { ...code, lang: chunk[1]!.toLowerCase(), text: code.text.replace(/^(?:#\|.*(?:\n|$))+/, '') };
      // A MyST (Sphinx) directive in a code fence's place: ```{note}, ```{versionadded} 7.0, ```{code-block} python.
      const directive = code?.lang?.startsWith('{') ? MYST_DIRECTIVE.exec(code.lang) : null;
      if (!code || !directive) return code ?? noToken;
      // Its options (`:class: tip`, or a `---` block) are read, and not shown (myst.ts).
      const { options, body } = readDirectiveOptions(code.text);
      const name = directive[1]!.toLowerCase();
      // A toctree: the list of links to the documents it names (it showed as code, its options and all).
      if (name === 'toctree') return { type: 'html', block: true, pre: false, raw: code.raw, text: toctreeHtml(code.text, code.raw) } as unknown as Tokens.Code;
      if (name === 'code-block' || name === 'code' || name === 'sourcecode' || name === 'code-cell') return { ...code, lang: directive[2]!.trim().split(/\s/)[0] ?? '', text: body };
      // A displayed formula (it showed as its TeX, in a code block); blocks apart are equations apart, as
      // Sphinx sets them (one run together read `a=bc=d`).
      if (name === 'math' && current.math && body.trim() && body.length <= MAX_TEX) {
        const equations = body.trim().split(/\n[ \t]*\n/);
        if (equations.length === 1) return { type: 'mathBlock', raw: code.raw, text: equations[0]!, display: true } as unknown as Tokens.Code;
        return containerToken(this.lexer, containers, code.raw, { kind: undefined, classes: ['math'], id: undefined, title: undefined }, `${equations.map((eq) => `$$\n${eq.trim()}\n$$`).join('\n\n')}\n`) as unknown as Tokens.Code;
      }
      const info = mystInfo(name, directive[2]!, options);
      if (!info || info.directive || containers.depth >= MAX_CONTAINER_DEPTH) return code;
      // (The argument that starts the text, `info.first`, is put before it by containerToken: it showed twice.)
      return containerToken(this.lexer, containers, code.raw, info, `${body}\n`) as unknown as Tokens.Code;
    },
    blockquote(src) {
      // Marked reads a quote's blocks as the document's top level.
      quoteDepth++;
      try {
        let quote = Tokenizer.prototype.blockquote.call(this, src);
        const cut = quote ? blockAfter(quote.raw, src, 0, false) : -1;
        if (cut !== -1) quote = Tokenizer.prototype.blockquote.call(this, src.slice(0, cut));
        return ((quote && asCallout(this.lexer, quote)) as unknown as Tokens.Blockquote | undefined) ?? quote ?? noToken;
      } finally {
        quoteDepth--;
      }
    },
    paragraph(src) {
      if (lazyParagraph) {
        lazyParagraph = false;
        return (withoutAttributeLists.call(this, Tokenizer.prototype.paragraph.call(this, src)) as Tokens.Paragraph | undefined) ?? noToken;
      }
      // A MyST (Sphinx) target, `(label)=` on a line of its own: an anchor where it stands, which `{ref}`
      // roles lead to (the chapter names it by the heading after it). It showed as a paragraph.
      const target = targetAt(src);
      if (target) return target as unknown as Tokens.Paragraph;
      // Lines of component tags right after a paragraph (which Marked's HTML rule does not let them
      // interrupt) are HTML of their own, and the Markdown after them a paragraph of its own.
      const tags = current.mdx && COMPONENT_START.test(src) ? componentLinesAhead(src, true) : -1;
      if (tags > 0) return { type: 'html', block: true, raw: src.slice(0, tags), pre: false, text: src.slice(0, tags) } as unknown as Tokens.Paragraph;
      // In MDX, a line of component tags ends the paragraph: it is cut there before Marked reads it (read
      // whole and cut after, each paragraph of `text` then `<Ab>` lines was read to the end: 30 s).
      // Between `{% raw %}` and `{% endraw %}` lines, the end's line ends the paragraph too, for the liquid
      // rule to read in order (read as the paragraph's last line, it closed nothing there).
      const cuts = [current.mdx ? componentLineIn(src) : -1, containers.rawOpen ? rawEndLine(src, containers) : -1].filter((at) => at > 0);
      const cut = cuts.length ? Math.min(...cuts) : -1;
      const paragraph = Tokenizer.prototype.paragraph.call(this, cut === -1 ? src : src.slice(0, cut));
      if (paragraph && paragraph.raw.charCodeAt(0) === 124) asLineBlock(this.lexer, paragraph);
      // A paragraph that is only an mdBook include: the Markdown of the file it names, in its place.
      const directive = paragraph?.text.trim();
      // (MkDocs's snippets, `--8<-- …`, below.)
      const included = directive === undefined || directive.startsWith('-') ? undefined : includedText(directive);
      if (included !== undefined && containers.depth < MAX_CONTAINER_DEPTH && mayExpand(directive!, included)) {
        this.lexer.inlineQueue.pop();
        return includedBlock(this.lexer, paragraph!.raw, included, directive!) as unknown as Tokens.Paragraph;
      }
      // A table of contents asked for (Python-Markdown's `[TOC]`, markdown-it's `[[toc]]` and `${toc}`,
      // GitLab's `[[_TOC_]]`, Hugo's `{{< toc >}}`): its place, which the chapter fills (headings.ts).
      const place = contentsPlace(directive);
      if (place) {
        this.lexer.inlineQueue.pop();
        return { type: 'html', block: true, pre: false, raw: paragraph!.raw, text: place } as unknown as Tokens.Paragraph;
      }
      // mdBook's `{{#title …}}` names the web page (its browser tab), not the chapter: not text of the book.
      if (directive?.startsWith('{{#title') && MDBOOK_TITLE.test(directive)) {
        this.lexer.inlineQueue.pop();
        return { type: 'space', raw: paragraph!.raw } as unknown as Tokens.Paragraph;
      }
      // MkDocs's snippets: lines of them (or the block form) are their files' Markdown; one that was not read
      // (warned of at the load stage), or escaped with `;`, is shown as written (less the `;`), as code, not
      // set as text (`--8<–`, curly quotes).
      if (current.mkdocs && directive?.includes('8<-')) {
        const shown = snippetParagraph(this.lexer, paragraph!.raw, directive);
        if (shown) return shown as unknown as Tokens.Paragraph;
      }
      return (withoutAttributeLists.call(this, paragraph) as Tokens.Paragraph | undefined) ?? noToken;
    },
    text(src) {
      // A MyST target, `(label)=`, on a line of its own in a list item (or another block that is not at the
      // top), that starts its text: an anchor, as at the top (the paragraph rule). It showed as text.
      const target = this.lexer.state.lastToken?.type !== 'text' ? targetAt(src) : undefined;
      if (target) return target as unknown as Tokens.Text;
      const plain = Tokenizer.prototype.text.call(this, src);
      // A snippet's line in a list item (or another block that is not at the top), as in a paragraph.
      // (Not one Marked joins to the text line before it, which it would write as `undefined`.)
      if (current.mkdocs && plain?.text.includes('8<-') && this.lexer.state.lastToken?.type !== 'text') {
        const shown = snippetParagraph(this.lexer, plain.raw, plain.text.trim());
        if (shown) return shown as unknown as Tokens.Text;
      }
      const last = this.lexer.state.lastToken;
      // A table of contents asked for in a list item (or another block that is not at the top), on a line
      // of its own that no text goes on: its place, as for a paragraph (Python-Markdown's is found anywhere
      // in the page). It showed as written, `[[_TOC_]]` with its underscores read as emphasis.
      const place = last?.type !== 'text' ? contentsPlace(plain?.text.trim()) : undefined;
      if (place && TOC_LINE_ALONE.test(src.slice(plain!.raw.length, plain!.raw.length + 100))) {
        this.lexer.inlineQueue.pop();
        return { type: 'html', block: true, pre: false, raw: plain!.raw, text: place } as unknown as Tokens.Text;
      }
      const token = withoutAttributeLists.call(this, plain) as Tokens.Text | undefined;
      if (token && last?.type === 'text') holdRaw(last);
      return token ?? noToken;
    },
    list(src) {
      const lazy = lazyLimit(src);
      if (lazy !== -1) src = src.slice(0, lazy);
      let list = Tokenizer.prototype.list.call(this, src);
      const cut = list ? blockAfter(list.raw, src, 0, false) : -1;
      if (cut !== -1) list = Tokenizer.prototype.list.call(this, src.slice(0, cut));
      // In MDX, a line of component tags at the margin ends the list (MDX closes the component there): as an
      // item's lazy line, `</Admonition>` left the box open to the end of the chapter.
      const tags = list && current.mdx ? componentLineAtMargin(list.raw) : -1;
      if (tags !== -1) list = Tokenizer.prototype.list.call(this, src.slice(0, tags));
      // kramdown's `* TOC` + `{:toc}`: where kramdown writes the article's contents, as for `[TOC]` (headings.ts).
      const item = list?.items.length === 1 ? list.items[0]! : undefined;
      if (item && stripAttributeLists(item.text)?.toc && item.text.split('\n').length === 2) return { type: 'html', block: true, pre: false, raw: list!.raw, text: `<div class="${CONTENTS_PLACE}"></div>\n` } as unknown as Tokens.List;
      return list ?? noToken;
    },
    lheading(src) {
      // A setext heading's text ends where a container or a footnote's definition starts: Marked's rule would
      // look for the underline through them, to the next blank line (from every block of a document with
      // none: quadratic).
      // Inside a list item (or a definition), where Marked reads text a line at a time, a line that goes on
      // the text of the line before cannot start a heading: the rule tried from that line looked through this
      // one for the same underline, to the same end. Trying it again from each line took 4.5 s for an item
      // of 10,000 lines, 19 s for 20,000.
      if (!this.lexer.state.top && this.lexer.state.lastToken?.type === 'text') return noToken;
      // A MyST target, `(label)=`, is a block of its own (the paragraph rule): from each of a run of them,
      // the rule looked through all the others (10,000: 4.5 s).
      if (targetAt(src)) return noToken;
      const container = containers.any ? containerAhead(src, containers.budget, undefined, undefined, containers) : -1;
      const note = footnoteStart(src) ?? -1;
      // In MDX, a line of component tags ends the text too (see the paragraph rule).
      const tags = current.mdx ? componentLineIn(src) : -1;
      const cuts = [container, note, tags].filter((at) => at !== -1);
      const cut = cuts.length ? Math.min(...cuts) : -1;
      return withHeadingAttrs.call(this, Tokenizer.prototype.lheading.call(this, cut === -1 ? src : src.slice(0, cut))) ?? noToken;
    },
  },
});
/** How many lazy lines (text that goes on an item's paragraph without its indentation) an item may have. */
const MAX_LAZY_LINES = 1000;

/**
 * Where a list's item would go past MAX_LAZY_LINES lazy lines, or -1. Marked joins the item's text so far at
 * each lazy line (a test of whether it holds a line break): an item of 20,000 such lines took 1.7 s, one of
 * 200,000 minutes; with an indented line after each, 100,000 took 26 s. The list ends there and the lines after it are a paragraph of their own, their
 * text kept. The lines are looked through to where the list must end (a blank line and then one neither
 * indented nor an item, a line that starts another block, an item of another list) and within a bound of
 * the render's, so that a document of lists is not looked through again from each one.
 */
function lazyLimit(src: string): number {
  const first = LIST_ITEM_START.exec(src);
  if (!first || src.length < MAX_LAZY_LINES * 2 || lazyBudget.chars <= 0) return -1;
  const marker = first[1]!.slice(-1);
  let run = 0;
  let blank = false;
  let at = src.indexOf('\n') + 1;
  try {
    while (at > 0 && at < src.length) {
      const nl = src.indexOf('\n', at);
      const end = nl === -1 ? src.length : nl;
      const line = src.slice(at, end);
      const indented = line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9;
      const item = indented ? null : LIST_ITEM_START.exec(line);
      // The lazy lines of an item are counted whatever comes between them: Marked joins the item's whole text.
      if (!/\S/.test(line) || indented) {
        // Neither lazy nor a new item.
      } else if (item) {
        if (item[1]!.slice(-1) !== marker) return -1;
        run = 0;
      } else if (blank || ENDS_LIST.test(line)) return -1;
      else if (++run > MAX_LAZY_LINES) return at;
      blank = !/\S/.test(line);
      at = end + 1;
    }
    return -1;
  } finally {
    lazyBudget.chars -= at > 0 ? at : src.length;
  }
}
const LIST_ITEM_START = /^ {0,3}([-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const ENDS_LIST = /^(?:#|>|<|```|~~~|(?:[-_*][ \t]*){3,}$)/;
let lazyBudget = { chars: 0 };

/** quire's emphasis rule as Marked calls it (see MathLexer.inlineTokens). */
const quireEmStrong = marked.defaults.tokenizer?.emStrong;
/**
 * How many inline texts deep (a link's text, emphasis, strikethrough, each inside the one around it) marks
 * are still read as emphasis; markdown-it stops at 100 levels of nesting, any Markdown a person writes at a
 * handful.
 */
const MAX_INLINE_DEPTH = 32;
const noInlineToken = (): undefined => undefined;
marked.use({
  renderer: {
    table(token) {
      const caption = (token as { quireCaption?: Token[] }).quireCaption;
      return withCaption(defaultRenderer.table.call(this, token), caption && this.parser.parseInline(caption));
    },
    heading(token) {
      const attrs = (token as AttributedHeading).quireAttrs;
      if (!attrs) return false;
      const list: [string, string][] = [];
      if (attrs.id) list.push(['id', attrs.id]);
      if (attrs.classes.length) list.push(['class', attrs.classes.join(' ')]);
      list.push(...attrs.attrs);
      const html = list.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
      return `<h${token.depth}${html}>${this.parser.parseInline(token.tokens)}</h${token.depth}>\n`;
    },
    code(token) {
      if (token.codeBlockStyle === 'indented') return false;
      const info = token.lang ?? '';
      const { lang, title } = readCodeInfo(info);
      if (current.mdx && token.text.includes('highlight-')) token.text = withoutHighlightComments(token.text, lang);
      if (current.mdbook && lang === 'rust' && token.text.includes('#')) token.text = withRustLinesShown(token.text);
      if (current.vitepress && (token.text.includes('[!code') || token.text.includes('[!!code'))) token.text = withoutCodeNotations(token.text);
      const block = codeBlock.call(this, token, lang, (lang ?? '') !== /^\S*/.exec(info)![0]);
      if (title === undefined) return block;
      // The name in a figure's caption: read as the block's name by screen readers, and above the code in
      // every reader. In `<code>`, so that typography leaves it as written (`my--file.txt` is not a dash).
      const pre = block === false ? defaultRenderer.code.call(this, token) : block;
      return `<figure class="code"><figcaption><code>${escapeText(title)}</code></figcaption>${pre.replace(/\n$/, '')}</figure>\n`;
    },
    paragraph(token) {
      // An image alone in its paragraph with a title is a figure, the title its caption (pandoc's convention).
      const inline = token.tokens.filter((t) => !(t.type === 'text' && !t.raw.trim()));
      const image = inline.length === 1 && inline[0]!.type === 'image' ? (inline[0] as Tokens.Image) : undefined;
      if (!image?.title?.trim()) return false;
      const caption = image.title.trim();
      const img = this.parser.parseInline([{ ...image, title: null }]);
      return `<figure>${img}<figcaption>${escapeText(caption)}</figcaption></figure>\n`;
    },
    text(token) {
      if ((token as { quireUnslugged?: boolean }).quireUnslugged) return `<span ${UNSLUGGED_ATTR}="">${escapeText(token.text)}</span>`;
      // Marked leaves every `&name;` as it is, known to HTML or not.
      if ('tokens' in token && token.tokens) return false;
      // Text after an inline `<code>`, `<pre>`, `<kbd>` or `<script>` Marked leaves unescaped (its inRawBlock), so
      // a `<` that is no tag to CommonMark (`<code>` then `<country_code>`) was read as a tag by the HTML parser,
      // and the words up to its `>` were lost. Any `<` in a text token is one: Marked's tag rule took the tags.
      // As on GitHub, it is shown as written.
      if (token.type === 'text' && token.escaped && token.text.includes('<')) token = { ...token, text: token.text.replace(/</g, '&lt;') };
      const html = escapeUnknownEntities(defaultRenderer.text.call(this, token));
      return abbreviations.titles.size ? withAbbreviations(html, abbreviations) : html;
    },
    link(token) {
      // A note's reference in the link's text (`[the docs[^1]](url)`, or in an image's alt text there)
      // follows the link: a link inside a link is split by the HTML parser, which left the reference's
      // superscript empty in the link and the reference itself after it, as a plain number.
      const refs: Token[] = [];
      if (token.tokens && (notesAny || inlineNotes)) token.tokens = withoutNoteRefs(token.tokens, refs);
      const a = withPos(withIpv6Host(defaultRenderer.link.call(this, token)), 'a', token);
      return refs.length ? a + this.parser.parseInline(refs) : a;
    },
    image(token) {
      // Alt text is text: a formula in it stays as its TeX, a span is its text; a note's reference follows
      // the image (in the alt text it was markup as text, and its note had no way back).
      const refs: Token[] = [];
      if (token.tokens) token.tokens = altText(token.tokens, refs);
      const img = withPos(withIpv6Host(defaultRenderer.image.call(this, token)), 'img', token);
      return refs.length ? img + this.parser.parseInline(refs) : img;
    },
    html(token) {
      const pos = (token as Positioned).quirePos;
      const text = closeRawText((token as RawTextHolder).quireRawText ? token.text : renameComponents(token.text));
      return pos === undefined ? text : `<!--${POS_COMMENT}${pos}:${pos + token.raw.length}-->${text}`;
    },
  },
});

/**
 * Elements whose content the HTML parser reads as text up to their end tag: `<textarea>`, `<xmp>`,
 * `<noembed>`... (`<plaintext>`, which nothing ends, is read as `<xmp>`). Written inline in Markdown, the
 * text between the tags was Markdown to Marked, so the parser got Marked's HTML as the element's text, with
 * the position comments of the raw HTML in it (`plain text<!–quire-pos:58:69–>`); and one left open took
 * the rest of the chapter as its text, tags and all.
 */
const RAW_TEXT_OPEN = /<(textarea|title|style|script|xmp|iframe|noembed|noframes|plaintext)(?=[\s/>])/gi;

/** One at the start of a text (openTagAt). */
const RAW_TEXT_START = new RegExp(`^${RAW_TEXT_OPEN.source}`, 'i');

/**
 * Where the text of the raw-text element whose start tag is at `i` in `html` ends (its end tag, looked for
 * from `from`), -1 when nothing ends it; undefined when no raw-text element starts there (`<Title>` is a
 * component's tag: renameComponents). `lowered` keeps the text in lower case for the next call.
 */
function rawTextEnd(html: string, i: number, from: number, lowered: { text?: string }): number | undefined {
  const raw = RAW_TEXT_START.exec(html.slice(i, i + 12));
  if (!raw || isComponentName(raw[1]!)) return undefined;
  return (lowered.text ??= html.toLowerCase()).indexOf(`</${raw[1]!.toLowerCase()}`, from);
}

type RawTextHolder = Tokens.HTML & { quireRawText?: boolean };

/** The raw-text element `html` leaves open at its end (its name in lower case), if any. */
function openRawText(html: string): string | undefined {
  if (!html.includes('<')) return undefined;
  RAW_TEXT_OPEN.lastIndex = 0;
  let lower: string | undefined;
  for (let m = RAW_TEXT_OPEN.exec(html); m; m = RAW_TEXT_OPEN.exec(html)) {
    // `<Title>` is a component (renameComponents), not HTML.
    if (isComponentName(m[1]!)) continue;
    const name = m[1]!.toLowerCase();
    const end = (lower ??= html.toLowerCase()).indexOf(`</${name}`, m.index + m[0].length);
    if (end === -1) return name;
    RAW_TEXT_OPEN.lastIndex = end;
  }
  return undefined;
}

/** Raw HTML with `<plaintext>` read as `<xmp>`, and the raw-text element it leaves open ended at its end. */
function closeRawText(html: string): string {
  if (!html.includes('<')) return html;
  const text = /<\/?plaintext/i.test(html) ? html.replace(/<(\/?)plaintext/gi, '<$1xmp') : html;
  const open = openRawText(text);
  return open ? `${text}</${open}>` : text;
}

/**
 * GitHub's tag filter, for the tags written in a line of text whose content an e-book drops: `<script>`,
 * `<style>`, `<iframe>` and `<title>` are shown as written, as GitHub shows them ("Make <script> in Head
 * behave correctly", "via a <style> element"). One left open took the rest of its paragraph, list item or
 * table cell with it, and a closed one its text, with no word said. Not in MDX, where they are JSX.
 */
const FILTERED_TAG = /^<(\/?)(script|style|iframe|title)[ \t]*>$/i;
function filterTags(tokens: Token[], inHeading: boolean): void {
  let closed: Set<string> | undefined;
  /** The filtered elements written with attributes, still open: an element, whose end tag is its own. */
  let kept: Map<string, number> | undefined;
  /** How many inline drawings or formulas are open: inside, `<title>` and `<style>` are theirs. */
  let foreign = 0;
  let drawn: boolean | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'html' || (t as Tokens.HTML).block) continue;
    closed ??= closedNames(tokens);
    // `<Title>`, `<Svg>` and `<Math>` are components (renameComponents), not HTML's.
    const component = isComponentName(/^<\/?([A-Za-z][A-Za-z0-9]*)/.exec(t.raw)?.[1] ?? '');
    const drawing = component ? null : /^<(\/?)(?:svg|math)(?=[\s/>])/i.exec(t.raw);
    if (drawing) {
      if (drawing[1]) foreign = Math.max(0, foreign - 1);
      else if (!/\/>$/.test(t.raw)) foreign++;
      continue;
    }
    if (foreign > 0) continue;
    const bare = component ? null : FILTERED_TAG.exec(t.raw);
    if (bare) {
      const name = bare[2]!.toLowerCase();
      const open = kept?.get(name) ?? 0;
      if (bare[1] && open > 0) kept!.set(name, open - 1);
      else tokens[i] = asWritten(t);
      continue;
    }
    const element = component ? null : /^<(script|style|iframe|title)[\s/]/i.exec(t.raw);
    if (element) {
      // `<iframe src="…" title="…">`: an element, shown as its link as before.
      const name = element[1]!.toLowerCase();
      (kept ??= new Map()).set(name, (kept.get(name) ?? 0) + 1);
      continue;
    }
    const name = PLACEHOLDER.exec(t.raw)?.[1]?.toLowerCase();
    // Beside a drawing or formula, its elements' names are its (`<circle>` after `</svg>`).
    drawn ??= tokens.some((x) => x.type === 'html' && /^<(?:svg|math)(?=[\s/>])/.test(x.raw));
    const held = name === undefined ? undefined : HELD_IN[name];
    const placeholder = name !== undefined && (!HTML_ELEMENTS.has(name) || component || (PLACEHOLDER_ELEMENTS.has(name) && !endsInBody(name)) || (held !== undefined && !held.some((p) => closed!.has(p))));
    if (placeholder && !(drawn && !component && FOREIGN_NAME.test(name!)) && !closed.has(name!)) {
      // In a heading, shown but left out of its id, which stays GitHub's (GitHub drops the tag): links
      // written for GitHub (`#returns-promise`) find it.
      tokens[i] = inHeading ? { ...asWritten(t), quireUnslugged: true } as Tokens.Text : asWritten(t);
      continue;
    }
    // A component written in a sentence of a document that is not MDX, where nothing renders it, with
    // nothing of its own to show: `Fast Refresh for <Root />` in gatsby's changelog lost its word, as on
    // GitHub. Shown as written.
    const selfClosed = name === undefined && component ? SELF_CLOSING_TAG.exec(t.raw)?.[1] : undefined;
    if (selfClosed !== undefined && !HTML_ELEMENTS.has(selfClosed.toLowerCase())) tokens[i] = inHeading ? { ...asWritten(t), quireUnslugged: true } as Tokens.Text : asWritten(t);
  }
}

/**
 * A placeholder or a type written in a sentence as a tag: `npm install <package-name>`, `Replace
 * <your-token> with it`, `returns Promise<void>`, `Observable<T>`, `Array<Props>`. A start tag with no
 * attribute values, of an element HTML does not have, that nothing in its paragraph ends: GitHub drops it,
 * and the sentence lost its word (rxjs's changelog lost 12 types). It is shown as written. One with
 * attribute values, closed (`<my-el>x</my-el>`, `<Tabs>…</Tabs>`) or self-closing (`<Badge />`) is an
 * element or a site's component, and goes on as before. A component's name is a placeholder too when it is
 * HTML's in another case (`Use <Link> to go`, `the <Title>`): as a component it was unwrapped, and nothing
 * of it shown. `<Br>`, `<Hr>` and `<Wbr>` are HTML's (renameComponents).
 */
const PLACEHOLDER = /^<([a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*)(?:[ \t]+[a-z][a-z0-9-]*)*[ \t]*>$/i;
/** A self-closing tag without attributes, and its name: `<Root />`. (One with props may show their text: `<Badge text="x"/>`.) */
const SELF_CLOSING_TAG = /^<([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*)[ \t]*\/>$/;
/**
 * HTML's elements that, written bare in a sentence and not ended, show nothing of their own or take the
 * rest of the chapter apart: `"<object>" tags should provide…` made every paragraph, heading, list and table
 * after it spans of one paragraph, `<select>` made them plain text, `cp <input> <output>` and `the <h2>`
 * lost their words or made the sentence a heading. Placeholders too, as any other name is (GitHub drops
 * them), unless the article ends one somewhere (`Intro <table>` and its rows and `</table>` below). The
 * elements that only wrap text (`<b>`, `<code>`, `<div>`, `<span>`...) are left as they are, and so are
 * those whose end tag may be left out (`<li>`, `<td>`, `<option>`...).
 */
const PLACEHOLDER_ELEMENTS = new Set(
  (
    'applet area audio base basefont bgsound button canvas col datalist dialog dl embed fieldset form frame frameset ' +
    'h1 h2 h3 h4 h5 h6 image img input isindex keygen label legend link map marquee menu menuitem meta meter nextid noembed noframes noscript ' +
    'object ol output param picture portal progress select slot source table template track ul video body head html'
  ).split(' '),
);
/**
 * Elements whose end tag may be left out, shown as written too unless their paragraph (or, on a line of its
 * own, the article) ends what holds them: `<ul><li>one<li>two</ul>` is a list, `an <li> element` words.
 */
const HELD_IN: Record<string, string[]> = {
  li: ['ul', 'ol', 'menu'], dt: ['dl'], dd: ['dl'], tr: ['table', 'tbody', 'thead', 'tfoot'], td: ['tr', 'table'], th: ['tr', 'table'],
  tbody: ['table'], thead: ['table'], tfoot: ['table'], caption: ['table'], colgroup: ['table'], option: ['select', 'datalist', 'optgroup'], optgroup: ['select'],
};

/** The names of SVG's and MathML's elements (lower case). */
const FOREIGN_NAME = /^(?:circle|rect|path|g|line|polyline|polygon|ellipse|text|tspan|textpath|defs|use|symbol|marker|stop|lineargradient|radialgradient|clippath|mask|pattern|filter|fe[a-z]+|image|foreignobject|animate[a-z]*|set|desc|m[a-z]+|semantics|annotation(?:-xml)?|none|mprescripts)$/;

/** The names of the elements some tag of `tokens` ends, in lower case. */
function closedNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (const t of tokens) {
    if (t.type !== 'html') continue;
    for (const m of t.raw.matchAll(/<\/([a-z][a-z0-9._-]*)/gi)) names.add(m[1]!.toLowerCase());
  }
  return names;
}

/** The elements of HTML, current and obsolete (a tag of another name in a sentence may be a placeholder). */
const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset ' +
    'h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q rb rp rt rtc ruby ' +
    's samp script search section select slot small source spacer span strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp'
  ).split(' '),
);

/**
 * A placeholder on a line of its own (`<package-name>` under "Usage:"), which CommonMark reads as an HTML
 * block: a paragraph showing it as written, as in a sentence (filterTags), when the article ends no element
 * of that name anywhere. Not in MDX.
 */
function placeholderLine(token: Tokens.HTML | Tokens.Tag, top: boolean): Tokens.Paragraph | Tokens.Text | undefined {
  if (current.mdx || token.type !== 'html' || !(token as Tokens.HTML).block) return undefined;
  const text = token.text.trim();
  const written = text.length < 100 ? PLACEHOLDER.exec(text)?.[1] : undefined;
  const name = written?.toLowerCase();
  const held = name === undefined ? undefined : HELD_IN[name];
  if (name === undefined || (HTML_ELEMENTS.has(name) && !PLACEHOLDER_ELEMENTS.has(name) && !held && !isComponentName(written!))) return undefined;
  if (endsInBody(name) || held?.some(endsInBody)) return undefined;
  // In a tight list's item, text as the item's other lines are; a paragraph elsewhere.
  return { type: top ? 'paragraph' : 'text', raw: token.raw, text, tokens: [{ type: 'text', raw: text, text, escaped: false }] } as Tokens.Paragraph | Tokens.Text;
}
/** The names of the elements the document being read ends somewhere (lower case), found when first asked. */
let endTagsInBody: Set<string> | undefined;
/** Whether the document being read ends an element named `name` (lower case) somewhere. */
function endsInBody(name: string): boolean {
  if (!endTagsInBody) {
    endTagsInBody = new Set();
    // Not in code: a fenced block's or a code span's `</table>` ends nothing.
    const text = renderedBody.includes('```') || renderedBody.includes('~~~') ? outsideFences(renderedBody) : renderedBody;
    for (const line of text.split('\n')) {
      if (!line.includes('</')) continue;
      // (Code spans are looked for in lines of a sane length: the pattern is quadratic in a run of backticks.)
      const bare = line.length <= 2000 && line.includes('`') ? line.replace(/(`+)[^`]*?\1/g, '') : line;
      for (const m of bare.matchAll(/<\/([A-Za-z][A-Za-z0-9._-]*)/g)) endTagsInBody.add(m[1]!.toLowerCase());
    }
  }
  return endTagsInBody.has(name);
}

/** A piece of raw HTML as text: shown as written. */
function asWritten(t: Token): Tokens.Text {
  return { type: 'text', raw: t.raw, text: t.raw, escaped: false };
}

/**
 * An inline raw-text element's content is its source as written: the tokens from its start tag to its end
 * tag (or to the end of their paragraph, where an element left open is ended) become one piece of raw HTML.
 */
function holdRawText(tokens: Token[]): void {
  let first = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'html' && !(t as Tokens.HTML).block && openRawText(t.raw)) {
      first = i;
      break;
    }
  }
  if (first === -1) return;
  const kept = tokens.slice(0, first);
  // The elements found left open to the end of the text: a later one of the same name is too.
  const unclosed = new Set<string>();
  for (let i = first; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.type === 'html' && !(t as Tokens.HTML).block ? openRawText(t.raw) : undefined;
    if (!name) {
      kept.push(t);
      continue;
    }
    if (unclosed.has(name)) {
      kept.push(asWritten(t));
      continue;
    }
    let raw = t.raw;
    let open: string | undefined = name;
    let j = i + 1;
    // Up to the token that ends the element (a `</textarea>` written inside a code span ends it too, as the
    // parser would read it). Only each token added is searched, not the whole text again.
    for (; j < tokens.length && open; j++) {
      const next = tokens[j]!.raw;
      raw += next;
      const end = next.toLowerCase().indexOf(`</${open}`);
      if (end !== -1) open = openRawText(next.slice(end + 2));
    }
    // Left open to the end of its paragraph (or cell, or heading), the tag is a word of the sentence ("an
    // inline <textarea> here"), shown as written as GitHub shows it: its name was lost, and the rest of the
    // paragraph shown as code.
    if (open && j === tokens.length && openRawText(t.raw) === open) {
      unclosed.add(name);
      kept.push(asWritten(t));
      continue;
    }
    kept.push({ ...(t as Tokens.HTML), raw, text: raw, quireRawText: true } as RawTextHolder);
    i = j - 1;
  }
  tokens.length = 0;
  for (const t of kept) tokens.push(t);
}

/**
 * In MDX, a fenced block indented four spaces or more (as Prettier indents it inside a component's tags):
 * MDX has no indented code, and reads the fence as a fence; its lines lose as much indentation as the fence
 * has. It showed as a code span, the language as text and the lines run together. Read up to its closing
 * fence; one left open is left to the other rules.
 */
function deepFence(this: Tokenizer, src: string): Tokens.Code | undefined {
  const open = /^( {4,})(`{3,}|~{3,})([^\n]*)(?:\n|$)/.exec(src.length > 1000 ? src.slice(0, 1000) : src);
  if (!open || (open[2]![0] === '`' && open[3]!.includes('`'))) return undefined;
  const indent = open[1]!.length;
  const fence = open[2]!;
  const lines = [src.slice(indent, open[0].length)];
  // Within the render's bound (mdxBudget): each fence left open reads to the end of its text.
  for (let at = open[0].length; at < src.length && mdxBudget.chars > 0; ) {
    const nl = src.indexOf('\n', at);
    const end = nl === -1 ? src.length : nl + 1;
    const line = src.slice(at, end);
    mdxBudget.chars -= line.length;
    let cut = 0;
    while (cut < indent && line.charCodeAt(cut) === 32) cut++;
    const dedented = line.slice(cut);
    lines.push(dedented);
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*(?:\n|$)/.exec(dedented);
    if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) {
      const code = Tokenizer.prototype.fences.call(this, lines.join(''));
      return code && { ...code, raw: src.slice(0, end) };
    }
    at = end;
  }
  return undefined;
}

/**
 * Docusaurus's magic comments in an MDX article, each a line of its own in a fenced block:
 * `// highlight-next-line`, `// highlight-start`, `// highlight-end`, in the comment syntax of the block's
 * language (`#` in Bash or Python, `<!-- -->` in HTML or Markdown, `{/* *\/}` in JSX; any of them in a
 * language it does not name). The site takes them out (and shades the lines they name); they showed in
 * the book's code. In other Markdown, and in a syntax not the language's (`//` in a Markdown block that
 * teaches them), they are code, as the site shows them.
 */
const MAGIC = '[ \\t]*highlight-(?:next-line|start|end)[ \\t]*';
const COMMENTS: Record<string, string> = {
  js: `(?:\\/\\/${MAGIC}|\\/\\*${MAGIC}\\*\\/)`,
  jsx: `(?:\\/\\/${MAGIC}|\\/\\*${MAGIC}\\*\\/|\\{\\s*\\/\\*${MAGIC}\\*\\/\\s*\\})`,
  bash: `#${MAGIC}`,
  html: `<!--${MAGIC}-->`,
  lua: `--${MAGIC}`,
  wasm: `;;${MAGIC}`,
  tex: `%${MAGIC}`,
};
const COMMENTS_OF: Record<string, readonly string[]> = {
  js: ['js'], javascript: ['js'], ts: ['js'], typescript: ['js'], mjs: ['js'], cjs: ['js'], java: ['js'], c: ['js'], cpp: ['js'], cs: ['js'], csharp: ['js'], go: ['js'], rust: ['js'], rs: ['js'], kotlin: ['js'], kt: ['js'], swift: ['js'], scala: ['js'], dart: ['js'], php: ['js', 'bash'], css: ['js'], scss: ['js'], less: ['js'], json5: ['js'], jsonc: ['js'], groovy: ['js'], gradle: ['js'], protobuf: ['js'], graphql: ['bash'],
  jsx: ['jsx'], tsx: ['jsx'],
  bash: ['bash'], sh: ['bash'], shell: ['bash'], zsh: ['bash'], console: ['bash'], python: ['bash'], py: ['bash'], ruby: ['bash'], rb: ['bash'], yaml: ['bash'], yml: ['bash'], toml: ['bash'], dockerfile: ['bash'], docker: ['bash'], perl: ['bash'], r: ['bash'], powershell: ['bash'], ps1: ['bash'], ini: ['bash'], makefile: ['bash'], elixir: ['bash'], nginx: ['bash'],
  html: ['html'], xml: ['html'], svg: ['html'], vue: ['html', 'js'], svelte: ['html', 'js'], md: ['html'], markdown: ['html'], mdx: ['html', 'jsx'],
  lua: ['lua'], sql: ['lua'], haskell: ['lua'], hs: ['lua'],
  wasm: ['wasm'], wat: ['wasm'], lisp: ['wasm'], clojure: ['wasm'],
  tex: ['tex'], latex: ['tex'], matlab: ['tex'], erlang: ['tex'],
};
const magicComments = new Map<string, RegExp>();
function withoutHighlightComments(code: string, lang: string | undefined): string {
  const named = lang?.toLowerCase() ?? '';
  const key = Object.hasOwn(COMMENTS_OF, named) ? named : '';
  let re = magicComments.get(key);
  if (!re) {
    const kinds = key ? COMMENTS_OF[key]! : Object.keys(COMMENTS);
    re = new RegExp(`^[ \\t]*(?:${kinds.map((k) => COMMENTS[k]).join('|')})[ \\t]*(?:\\n|$)`, 'gm');
    magicComments.set(key, re);
  }
  return code.replace(re, '');
}

/**
 * A fenced block as HTML, for its language `lang` (see readCodeInfo); false for Marked's own rendering of
 * the token, which reads the language as the first word of the info string: when that is not the language
 * (`js:src/app.js`, `[data.csv]`), it is given the language instead.
 */
function codeBlock(this: Renderer, token: Tokens.Code, lang: string | undefined, notFirstWord: boolean): string | false {
  // GitHub shows a fenced block of language `math` as a displayed formula.
  if (current.math && lang === 'math' && token.text.trim()) {
    return renderMath({ ...(token as Positioned), text: token.text.trim(), display: true } as MathToken, true);
  }
  // Highlighted as it is serialised (serialize.ts), where the spans need not be parsed, sanitised and
  // written again; or now, on the read-ahead thread (parallel.ts), the spans set aside for the serialiser.
  const code = token.text.replace(/\n$/, '');
  if (current.highlight && lang !== undefined && mayHighlight(code, lang)) {
    if (current.highlighted) {
      const text = stripForbidden(code);
      const html = highlightXhtml(text, lang);
      if (html === undefined) return notFirstWord ? defaultRenderer.code.call(this, { ...token, lang }) : false;
      current.highlighted.set(highlightKey(lang, text), html);
    }
    return `<pre><code class="language-${escapeAttr(lang)}" ${HIGHLIGHT_ATTR}="${escapeAttr(lang)}">${escapeText(code)}\n</code></pre>\n`;
  }
  return notFirstWord ? defaultRenderer.code.call(this, { ...token, lang: lang ?? '' }) : false;
}

/**
 * Rust code with rustdoc's and mdBook's hidden lines (`# fn main() {`, the boilerplate that makes an example
 * compile), shown without their `#`: mdBook hides them behind a button and shows them that way, and as
 * written they are not Rust. As mdBook reads them: a line whose first character after its indentation is
 * `#`, unless `#!` or `#[` (Rust's attributes) follow; `##` is an escaped `#`.
 */
function withRustLinesShown(code: string): string {
  return code.replace(/^([ \t]*)#([^\n]?)/gm, (line, indent: string, next: string) => (next === '#' ? `${indent}#` : next === '!' || next === '[' ? line : `${indent}${next === ' ' ? '' : next}`));
}

/**
 * Shiki's notations, in a VitePress site's code blocks (elsewhere, a README that shows them keeps them): a comment that
 * only says how the site shows the line, `// [!code highlight]` (`hl`, `focus`, `word:text`, with a count
 * of lines, `:3`), in the comment syntax of any language. The site takes it out; it showed in the code.
 * The ones that say something of the line, `[!code ++]` and `[!code --]` (added, removed), `error` and
 * `warning`, stay as written. A line that was only the comment goes too; `[!!code …]`, the way VitePress's
 * documentation shows a notation, is shown as `[!code …]`.
 */
const CODE_NOTATION = /[ \t]*(?:\/\/|#|--|;|%|<!--|\/\*|\{\/\*)[ \t]*\[!code (?:highlight|hl|focus|word:[^\]\n]{1,200})(?::\d{1,4})?\][ \t]*(?:-->|\*\/\}|\*\/)?[ \t]*$/;
function withoutCodeNotations(code: string): string {
  const lines = code.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    // Looked for in the line's last 400 characters: a notation ends the line, and a long run of spaces
    // before one would be tried again from each space.
    const from = Math.max(0, line.length - 400);
    const m = line.includes('[!code ') ? CODE_NOTATION.exec(line.slice(from)) : null;
    const at = m ? from + m.index : -1;
    if (m && !line.slice(0, at).trim()) continue;
    const kept = m ? line.slice(0, at) : line;
    out.push(kept.includes('[!!code') ? kept.replace(/\[!!code /g, '[!code ') : kept);
  }
  return out.join('\n');
}

/** Name given to JSX components in raw HTML: an element unknown to the sanitiser, which keeps its content. */
export const COMPONENT_TAG = 'quire-component';
// `<Br>`, `<Hr>`, `<Wbr>`: HTML's break, rule and break opportunity, in the case some write them (a component
// of that name would have nothing to show).
const COMPONENT = /<(\/?)(?!(?:[Bb][Rr]|[Hh][Rr]|[Ww][Bb][Rr])[\s/>])[A-Z][A-Z0-9]*[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*(?=[\s/>])/g;
const COMPONENT_NAME_START = /^(?!(?:[Bb][Rr]|[Hh][Rr]|[Ww][Bb][Rr])$)[A-Z][A-Z0-9]*[a-z]/;
/** Whether a tag's name is a component's as renameComponents knows them: mixed case, starting with a capital. */
function isComponentName(name: string): boolean {
  return COMPONENT_NAME_START.test(name);
}
// Outside MDX, `<Details>` and `<Summary>` that are elements (a placeholder in a sentence is shown as written
// before this: filterTags) are HTML's in the case some write them, as GitHub reads them: Node.js's collaborator
// guide's `<details>` opens with `<Summary>Manual Landing Steps</Summary>`, and as a component that summary was
// unwrapped, its words run into the first line of the block it heads. A `<Details summary="…">` is a site's
// component, whose summary is a prop (withComponentText shows it).
const DETAILS_TAG = /^<\/?(?:details|summary)$/i;
const SUMMARY_PROP = /[^<>]{0,4000}?\ssummary\s*=/y;
function isHtmlDetails(tag: string, html: string, end: number): boolean {
  if (current.mdx || !DETAILS_TAG.test(tag)) return false;
  SUMMARY_PROP.lastIndex = end;
  return !SUMMARY_PROP.test(html);
}

/**
 * MDX and JSX name components in PascalCase (`<Tabs>`, `<Math>`, `<Template>`); HTML names are
 * case-insensitive, so the HTML parser would take `<Math>` for MathML, `<Template>` for a template and
 * `<Title>` for the page's title, and their text would be lost. A mixed-case name starting with a capital is
 * a component: it is renamed to an element that is unwrapped, its text kept. All-capital names (`<B>`,
 * `<TABLE>`, old HTML) are HTML.
 */
export function renameComponents(html: string): string {
  if (!html.includes('<')) return html;
  if (tabLabels.length && html.includes('<Tab')) html = withTabLabels(html);
  const renamed = html.replace(COMPONENT, (tag, slash: string, at: number) => (isHtmlDetails(tag, html, at + tag.length) ? tag : `<${slash}${COMPONENT_TAG}`));
  // A component closed by its own tag (`<Image alt="…" />`): the HTML parser knows no such thing in an
  // element it does not know, and took all that followed for its content.
  return renamed === html || !renamed.includes('/>') ? renamed : renamed.replace(SELF_CLOSED, `<${COMPONENT_TAG}$1></${COMPONENT_TAG}>`);
}
/**
 * The tabs' names each `<Tabs values={…}>` gives, by value, a group for each `<Tabs>` in the order of the text
 * (jsx-tags.ts), for the render of one MDX article; and the group of the `<Tabs>` rendered last.
 */
const tabLabels: Map<string, string>[] = [];
let tabGroup = -1;
/** How many `<Tab>`s of the `<Tabs>` rendered last were seen (Nextra's, named by their place). */
let tabIndex = 0;
/**
 * Each `<TabItem value="…">` without a label of its own given the one its `<Tabs>`'s values name; each
 * `<Tab>` (`<Tabs.Tab>`) the name its `<Tabs>`'s items give its place.
 */
function withTabLabels(html: string): string {
  return html.replace(/<(Tabs\.Tab|Tabs|TabItem|Tab)(?=[\s/>])(\s[^<>]{0,4000}?)?(\/?)>/g, (tag, name: string, attrs: string | undefined, slash: string) => {
    if (name === 'Tabs') {
      tabGroup++;
      tabIndex = 0;
      return tag;
    }
    if (attrs && /\slabel\s*=/.test(attrs)) return tag;
    if (name !== 'TabItem') {
      const label = tabLabels[tabGroup]?.get(`#${tabIndex++}`);
      return label === undefined ? tag : `<${name}${attrs ?? ''} label="${escapeAttr(label)}"${slash}>`;
    }
    const value = attrs ? /\svalue\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attrs) : null;
    const label = value ? tabLabels[tabGroup]?.get(value[1] ?? value[2]!) : undefined;
    return label === undefined ? tag : `<TabItem${attrs} label="${escapeAttr(label)}"${slash}>`;
  });
}
/** A renamed component's start tag ending in `/>`; its props looked through up to a length, without a `<` or `>`. */
const SELF_CLOSED = new RegExp(`<${COMPONENT_TAG}(\\s[^<>]{0,4000}?)?\\s*/>`, 'g');

/** An image's alt text as Marked's text renderer reads it: formulas as TeX, spans as their text; notes' references moved to `refs`. */
function altText(tokens: Token[], refs: Token[]): Token[] {
  const flat = (ts: Token[]): Token[] =>
    ts.flatMap((t): Token[] => {
      if (t.type === 'math') return [{ type: 'text', raw: t.raw, text: t.raw, escaped: false } as Tokens.Text];
      if (t.type === 'bracketedSpan') return flat((t as BracketedSpan).tokens);
      const any = t as Tokens.Generic;
      if (Array.isArray(any.tokens)) any.tokens = flat(any.tokens as Token[]);
      return [t];
    });
  return flat(withoutNoteRefs(tokens, refs));
}

/**
 * A note's reference in the text of a link written as raw HTML (`<a href="…">the docs[^1]</a>`) follows the
 * link, as one in a Markdown link does (see the renderer's link): a link inside a link was split by the
 * HTML parser, and the rest of the link's text fell out of it.
 */
function refsAfterRawLinks(tokens: Token[]): void {
  if (!tokens.some((t) => t.type === 'html' && RAW_LINK_OPEN.test(t.raw))) return;
  const out: Token[] = [];
  let depth = 0;
  let held: Token[] = [];
  const release = () => {
    for (const r of held) out.push(r);
    held = [];
  };
  for (const t of tokens) {
    if (depth > 0 && t.type === 'footnoteRef') {
      held.push(t);
      continue;
    }
    const any = t as Tokens.Generic;
    if (depth > 0 && Array.isArray(any.tokens)) any.tokens = withoutNoteRefs(any.tokens as Token[], held);
    out.push(t);
    if (t.type !== 'html') continue;
    if (RAW_LINK_OPEN.test(t.raw)) depth++;
    else if (depth > 0 && RAW_LINK_CLOSE.test(t.raw) && --depth === 0) release();
  }
  // A link that does not end here keeps them at the end.
  release();
  tokens.length = 0;
  for (const t of out) tokens.push(t);
}

const RAW_LINK_OPEN = /^<a[\s>]/i;
const RAW_LINK_CLOSE = /^<\/a\s*>/i;

/** Where a note's reference starts in what was read as a bare web address. */
const NOTE_IN_URL = /\[\^[^\]\s]+\]|\^\[/;

/** Inline tokens without the notes' references in them, at any depth; the references moved to `refs`. */
function withoutNoteRefs(tokens: Token[], refs: Token[]): Token[] {
  return tokens.flatMap((t): Token[] => {
    if (t.type === 'footnoteRef') {
      refs.push(t);
      return [];
    }
    const any = t as Tokens.Generic;
    if (Array.isArray(any.tokens)) any.tokens = withoutNoteRefs(any.tokens as Token[], refs);
    return [t];
  });
}

/** Deepest list or quote nesting quire hands to Marked; its time grows with the square of the depth. */
export const MAX_NESTING = 64;

/**
 * How deeply the body nests lists and quotes, judged from indentation and `>` markers; cheap, and enough
 * to keep pathological input (thousands of levels) away from the parser.
 */
export function nestingDepth(body: string): number {
  let deepest = 0;
  for (const m of body.matchAll(/^([ \t>]*)([-*+]|\d{1,9}[.)])?[ \t]/gm)) {
    let quotes = 0;
    let indent = 0;
    for (const ch of m[1]!) {
      if (ch === '>') {
        quotes++;
        indent = 0;
      } else indent += ch === '\t' ? 4 : 1;
    }
    // Indentation only nests when it leads to a list item; a quote nests by its markers.
    deepest = Math.max(deepest, quotes + (m[2] ? Math.floor(indent / 2) : 0));
  }
  return deepest;
}

/** Plain text as HTML paragraphs: what an article becomes when it cannot be read as Markdown. */
export function plainTextToHtml(body: string): string {
  return body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeText(p)}</p>`)
    .join('\n');
}

/** Render a Markdown body to HTML, with the problems found on the way. */
export function markdownToHtml(body: string, options: MarkdownOptions = { math: true }): { html: string; problems: MarkdownProblem[] } {
  current = options;
  // MDX's JSX tags as HTML's, the same length (jsx-tags.ts): offsets are the same in the text as written,
  // lines are not (a tag's line breaks are spaces), so lines are counted in that text.
  const source = body;
  // (Each `<Tabs>` counts its tabs from 0: before the first, tabGroup -1 names no labels.)
  tabLabels.length = 0;
  rawLines.open = 0;
  tabGroup = -1;
  if (options.mdx) body = withJsxTags(body, tabLabels);
  // A vault note's comments and block ids, which Obsidian hides (obsidian.ts): the same length too.
  if (options.vault !== undefined && (body.includes('%%') || body.includes('^'))) body = withoutVaultMarks(body);
  // The lines of Jekyll's `{% raw %}` pairs, which Liquid takes out before Markdown (liquid.ts): the same length.
  const beforeRaw = body;
  if (body.includes('{%')) body = withoutRawLines(body);
  problems = [];
  renderedBody = body;
  endTagsInBody = undefined;
  // What the text holds is looked for in what its includes put in too (an MDX partial's fancy list, an
  // mdBook include's notes), and the bounds of the searches count it.
  const scan = options.includes ? [body, ...Object.values(options.includes)].join('\n') : body;
  markdownIncludes = scan.includes('@include:');
  expansion = { full: false, chars: 0, blocks: 0, headings: 0, uses: new Map(), warned: new Set(), open: new Set() };
  tables.length = 0;
  repairedHtml.length = 0;
  blockTexts.length = 0;
  notesAny = scan.includes('[^');
  inlineNotes = scan.includes('^[');
  bracketedSpans = scan.includes(']{');
  wikilinks = options.vault !== undefined && scan.includes('[[');
  abbreviations = { any: MAY_DEFINE_ABBREVIATION.test(scan), titles: new Map() };
  kramdownExtensions = { any: MAY_EXTEND.test(scan), budget: { chars: 4 * scan.length + 100_000 } };
  marks = (options.vault !== undefined || options.mkdocs?.mark === true) && scan.includes('==');
  carets = options.mkdocs?.caret === true && scan.includes('^');
  tildes = options.mkdocs?.tilde === true && scan.includes('~');
  keys = options.mkdocs?.keys === true && scan.includes('++');
  tocIsLink = /^ {0,3}\[toc\]:/im.test(scan);
  captions = /^ {0,3}(?:[Tt]able)?:[ \t]+\S/m.test(scan) && (scan.includes('|') || scan.includes('+-'));
  fancy = { any: FANCY_LINE.test(scan), examples: 0, depth: 0 };
  gridTables = { any: /(?:^|\n) {0,3}\+[-=]/.test(scan), simple: scan.includes('--- ') && SIMPLE_DASHES_LINE.test(scan), budget: { chars: 4 * scan.length + 100_000 } };
  notesBudget = { chars: 8 * scan.length + 1_000_000 };
  definitions = MAY_DEFINE.test(scan);
  markdownAttributes = scan.includes('markdown=');
  lazyBudget = { chars: 8 * scan.length + 1_000_000 };
  mdxBudget = { chars: 8 * scan.length + 1_000_000 };
  containers = { any: scan.includes(':::') || scan.includes('{{'), liquid: scan.includes('{%'), budget: { chars: CONTAINER_BUDGET * scan.length + 1_000_000 }, depth: 0, mkdocs: MAY_MKDOCS.test(scan) };
  // (What the raw pairs taken out held is text wherever it is written.)
  if (containers.liquid || body !== beforeRaw) containers.rawTags = rawTags(body === beforeRaw ? scan : options.includes ? [beforeRaw, ...Object.values(options.includes)].join('\n') : beforeRaw);
  liquid = options.jekyll && scan.includes('{{') ? liquidValues(options.jekyll, options.page) : undefined;
  try {
    const tokens = new MathLexer(marked.defaults).lex(body);
    const notes = settleNotes(tokens, childTokens);
    for (const f of notes) {
      (f.token as Positioned).quireReport = true;
      if (f.first) (f.first as Positioned).quireReport = true;
    }
    const overfull = overfullRows(tables);
    for (const [t] of [...(containers.deep ?? []), ...(containers.unreadIn ? [containers.unreadIn] : [])]) (t as Positioned).quireReport = true;
    if (tokens.map(holdsPositioned).some(Boolean)) locate(tokens, body, 0, body.length);
    reportUnreadContainers(body);
    if (notes.length) reportNotes(notes, body, source);
    if (overfull.length) reportOverfullRows(overfull, body);
    for (const t of repairedHtml) problems.push({ pos: lineOf(body, t.quirePos ?? 0, t.raw, t.quireRepair.offset), code: 'html-unclosed', message: t.quireRepair.message });
    // marked.parse() runs the extensions' walkTokens between lexing and parsing; the footnote extension needs it.
    walkTokens(tokens);
    return { html: marked.parser(tokens), problems };
  } finally {
    problems = [];
    renderedBody = '';
    tables.length = 0;
    repairedHtml.length = 0;
    heldRaw.clear();
  }
}

/**
 * The containers left as text, in the order of the text: those nested more than MAX_CONTAINER_DEPTH deep (at
 * their fence, or the container around them), and the fences after the render's budget was spent (at the first).
 */
function reportUnreadContainers(body: string): void {
  const found: MarkdownProblem[] = [];
  const at = (rest: string) => {
    if (body.endsWith(rest)) return body.length - rest.length;
    const line = rest.slice(0, rest.indexOf('\n') === -1 ? undefined : rest.indexOf('\n'));
    return Math.max(0, body.indexOf(line));
  };
  const deep = `containers are nested more than ${MAX_CONTAINER_DEPTH} deep here: those past that are shown as text, their fences and all`;
  for (const [t, offset] of containers.deep ?? []) found.push({ pos: ((t as Positioned).quirePos ?? 0) + offset, code: 'container-not-read', message: deep });
  if (containers.tooDeep !== undefined) found.push({ pos: at(containers.tooDeep), code: 'container-not-read', message: deep });
  const unreadIn = containers.unreadIn;
  if (containers.unread !== undefined) found.push({ pos: unreadIn ? ((unreadIn[0] as Positioned).quirePos ?? 0) + unreadIn[1] : at(containers.unread), code: 'container-not-read', message: `this container and those after it are shown as text, their fences and all: the article's fences were looked through for their ends ${CONTAINER_BUDGET} times its length` });
  found.sort((a, b) => a.pos - b.pos);
  for (const p of found) problems.push(p);
}

/**
 * The place in `body` of the character `offset` into a token's `raw` that starts at `pos`: on the same line
 * of the body as of the token (a token in a list or quote has its lines' indentation and markers taken off).
 */
function lineOf(body: string, pos: number, raw: string, offset: number): number {
  let at = pos;
  let lineStart = 0;
  for (let nl = raw.indexOf('\n'); nl !== -1 && nl < offset; nl = raw.indexOf('\n', nl + 1)) {
    lineStart = nl + 1;
    const next = body.indexOf('\n', at);
    if (next === -1) return at;
    at = next + 1;
  }
  if (lineStart === 0) return pos + offset;
  // The line's text is found after its prefix.
  const lineText = raw.slice(lineStart, raw.indexOf('\n', lineStart) === -1 ? undefined : raw.indexOf('\n', lineStart)).trimStart();
  const found = lineText ? body.indexOf(lineText, at) : -1;
  const column = offset - lineStart - (raw.length - lineStart - raw.slice(lineStart).trimStart().length);
  return found === -1 ? at : found + Math.max(0, column);
}

/** The footnotes' problems, at the definition, or at the reference in the text around it. */
function reportNotes(findings: NoteFinding[], body: string, source: string): void {
  // Where the next reference of a text is looked for: after the previous one.
  const searched = new Map<Token, number>();
  const found: MarkdownProblem[] = [];
  for (const f of findings) {
    let pos = (f.token as Positioned).quirePos ?? 0;
    if (f.text !== undefined) {
      const at = body.indexOf(f.text, searched.get(f.token) ?? pos);
      if (at !== -1) pos = at;
      searched.set(f.token, pos + f.text.length);
    }
    const first = f.first && placeOf(source, (f.first as Positioned).quirePos ?? 0).line;
    found.push({ pos, code: f.code, message: f.message(first) });
  }
  // In the order of the text, as the other problems are found.
  found.sort((a, b) => a.pos - b.pos);
  for (const p of found) problems.push(p);
}

/** A table row with more cells than its header: Marked leaves the rest out, as GFM says. */
interface OverfullRow {
  table: Tokens.Table;
  /** The row's line, counted from the table's first. */
  line: number;
  cells: number;
  dropped: string;
}

/** The tables of the document being read, as the table rule found them (in lists and quotes too). */
const tables: Tokens.Table[] = [];

/** The rows of the document's tables that have more cells than their header. */
function overfullRows(found: Tokens.Table[]): OverfullRow[] {
  const rows: OverfullRow[] = [];
  for (const table of found) {
    const lines = table.raw.replace(/\n+$/, '').split('\n');
    for (let i = 2; i < lines.length; i++) {
      const cells = splitRow(lines[i]!);
      if (cells.length <= table.header.length) continue;
      // Empty cells left out lose nothing (`| a | b | |`, a pipe too many at the end).
      const dropped = cells.slice(table.header.length).map((c) => c.trim());
      if (dropped.every((c) => c === '')) continue;
      rows.push({ table, line: i, cells: cells.length, dropped: dropped.join(' | ') });
      (table as Positioned).quireReport = true;
    }
  }
  return rows;
}

/** A table row's cells, split at the pipes that are not escaped, as Marked splits them. */
function splitRow(line: string): string[] {
  const row = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') {
      cells.push(row.slice(start, i));
      start = i + 1;
    }
  }
  cells.push(row.slice(start));
  return cells;
}

function reportOverfullRows(rows: OverfullRow[], body: string): void {
  for (const { table, line, cells, dropped } of rows) {
    let pos = (table as Positioned).quirePos ?? 0;
    for (let k = 0; k < line && pos !== -1; k++) pos = body.indexOf('\n', pos) + 1 || -1;
    const shown = excerpt(dropped);
    problems.push({ pos: pos === -1 ? (table as Positioned).quirePos ?? 0 : pos, code: 'table-cells-dropped', message: `this table row has ${cells} cells and its header ${table.header.length}: ${cells - table.header.length === 1 ? `the last one ("${shown}") is` : `the last ${cells - table.header.length} ("${shown}") are`} not shown, as on GitHub; add a column to the header to keep them` });
  }
  problems.sort((a, b) => a.pos - b.pos);
}

/**
 * Give each token its offset in `src` by finding its raw text after the previous sibling.
 * Tokens whose raw text is not found verbatim (text taken out of list items, synthetic tokens)
 * inherit their parent's offset, which still points at the right block.
 */
function locate(tokens: readonly Token[], src: string, start: number, end: number): void {
  let cursor = start;
  for (const t of tokens as Positioned[]) {
    // The footnote extension puts a synthetic `footnotes` token first, whose raw is its heading text
    // ("Footnotes"): looking for that would move the cursor past everything up to where the word appears.
    // Its notes are located where they stand in the list.
    if (t.type === 'footnotes') {
      t.quirePos = cursor;
      continue;
    }
    const raw = t.raw ?? '';
    // Most tokens start where the previous one ended. The search for the others stops at the parent's
    // end: a raw text that is not there (list items lose their indentation) would otherwise be looked for
    // through the rest of the article, for every such token.
    // White space (blank lines) is never looked for further on: inside a list item a line holding only a
    // space is an empty line in the token, and the next empty line found may be well after the next block.
    const blank = !raw.trim();
    let found = !raw ? -1 : standsAt(src, raw, cursor) ? cursor : -1;
    let length = raw.length;
    // Inside a list item or a quote, the lines of a token lost their indentation and `>` markers: a token
    // spanning lines is found with any of those at the start of each line. Looked for so first: the search
    // for the text as it is went to the parent's end for each such token (a quote of 25,000 paragraphs of
    // two lines took 5 s).
    if (found === -1 && !blank && raw.includes('\n')) {
      const loose = findLoose(src, raw, cursor, end);
      if (loose) [found, length] = loose;
    }
    if (found === -1 && raw && !blank) found = (end === src.length ? src : src.slice(0, end)).indexOf(raw, cursor);
    const at = found !== -1 && found + length <= end ? found : -1;
    t.quirePos = at !== -1 ? at : cursor;
    const childEnd = at !== -1 ? at + length : end;
    if (at !== -1) cursor = at + length;
    // Only where an offset is written out: the inline text of a document is most of its tokens.
    if (t.quireHolds) for (const children of childTokens(t)) locate(children, src, t.quirePos, childEnd);
  }
}

/**
 * Whether `s` stands in `src` at `at`: `src.startsWith(s, at)`, which V8 (Node 20) does about five times
 * slower than comparing the slice (on the real-docs corpus, 45-98 ms against 8-35 ms for 7.5 MB of tokens).
 */
function standsAt(src: string, s: string, at: number): boolean {
  return src.slice(at, at + s.length) === s;
}

/** Whether a token is, or holds, one whose offset is written out (marked on it and each token inside it). */
function holdsPositioned(t: Positioned): boolean {
  // (A `{doc}`, `{ref}` or `{any}` role's code span becomes a link, walkTokens: it is located with the text before it.)
  let holds = POSITIONED_TYPES.has(t.type) || t.quireReport === true || (t.type === 'text' && (t.raw.endsWith('{doc}') || t.raw.endsWith('{ref}') || t.raw.endsWith('{any}')));
  for (const children of childTokens(t)) for (const c of children) if (holdsPositioned(c)) holds = true;
  t.quireHolds = holds;
  return holds;
}

/**
 * Where `raw` stands in `src` between `from` and `to` with container prefixes before its lines: [offset, length].
 * Each line of `raw`, without its indentation, follows a line break and any spaces, tabs and `>` markers;
 * the first match from `from` on wins, with the most prefix taken first (as a regular expression
 * `line1\n[ \t>]*line2…` would find it, but without compiling one for every token).
 */
function findLoose(src: string, raw: string, from: number, to: number): [number, number] | undefined {
  const lines = raw.split('\n').map((line) => line.replace(/^[ \t]+/, ''));
  const first = lines[0]!;
  /**
   * The end of lines[k..] matched after the line break at `at`, or -1. Each line may start after any of the
   * spaces, tabs and `>` at the start of its line in `src`, tried from the furthest in; a line that does not
   * follow goes back to the line before's next place. A loop, not a recursion: a code block of 9,000 lines
   * in a list item overflowed the stack, and the article was shown as plain text.
   */
  const rest = (k0: number, at0: number): number => {
    if (k0 === lines.length) return at0;
    // For each line matched so far: the next place to try for it, and where its line break was.
    const places: number[] = [];
    const breaks: number[] = [];
    let k = k0;
    let at = at0;
    let p = furthestIn(at);
    for (;;) {
      const line = lines[k]!;
      while (p > at && (p + line.length > to || !standsAt(src, line, p))) p--;
      if (p > at) {
        const next = p + line.length;
        if (k + 1 === lines.length) return next;
        places.push(p - 1);
        breaks.push(at);
        k++;
        at = next;
        p = furthestIn(at);
        continue;
      }
      if (!places.length) return -1;
      k--;
      p = places.pop()!;
      at = breaks.pop()!;
    }
  };
  /** After the line break at `at`, past the spaces, tabs and `>` that start the line; `at` itself if no break is there. */
  const furthestIn = (at: number): number => {
    if (src.charCodeAt(at) !== 10) return at;
    let q = at + 1;
    while (q < to && (src.charCodeAt(q) === 32 || src.charCodeAt(q) === 9 || src.charCodeAt(q) === 62)) q++;
    return q;
  };
  // An empty first line is found everywhere, and `indexOf('')` past the end answers the end again: the
  // search stops at `to`.
  for (let start = src.indexOf(first, from); start !== -1 && start + first.length <= to; start = start >= to ? -1 : src.indexOf(first, start + 1)) {
    const end = rest(1, start + first.length);
    if (end !== -1) return [start, end - start];
  }
  return undefined;
}

function childTokens(t: Token): Token[][] {
  const out: Token[][] = [];
  const any = t as Tokens.Generic;
  if (t.type === 'table') {
    // The cells in source order, as one sequence: each is looked for after the one before it, not from
    // the table's start (which made a long table quadratic).
    const table = t as Tokens.Table;
    out.push([table.header, ...table.rows].flatMap((row) => row.flatMap((c) => c.tokens)));
    return out;
  }
  if (t.type === 'list') {
    out.push((t as Tokens.List).items);
    return out;
  }
  if (t.type === 'footnote' && Array.isArray(any.content)) out.push(any.content as Token[]); // a note's own blocks
  if (t.type === 'footnoteRef' && any.quireNote) out.push((any.quireNote as Tokens.Generic).content as Token[]); // an inline note's text
  if (Array.isArray(any.tokens)) out.push(any.tokens as Token[]);
  if (Array.isArray(any.items)) out.push(any.items as Token[]);
  return out;
}
