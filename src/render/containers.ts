// Stage: render (Markdown). Fenced containers, `:::` ... `:::`: VitePress's and markdown-it-container's
// (`::: tip Title`), Docusaurus's admonitions (`:::note[Title]`) and pandoc's fenced divs (`::: {.note #id}`).
// Marked knows none of them, and their fences showed in the book as text around a paragraph that swallowed
// the blocks they hold. A container is a block of blocks: an admonition (note, tip, warning...) or anything
// with a title is a titled box like GitHub's alerts; `details` is `<details>` (which the sanitiser unfolds);
// any other is a plain `<div>`.
import type { Lexer, TokenizerExtension, RendererExtension, Token, Tokens } from 'marked';
import { fencedLines } from '../articles/markdown-code.js';
import { readAttributes } from './heading-attrs.js';
import { labelId, NAMED_PLACE, readDirectiveOptions } from './myst.js';
import { escapeAttr, escapeText } from './tree.js';
import { toctreeHtml } from './toctree.js';

/** Admonition names (see isAdmonition), with the label shown when the container gives no title and the alert style it takes. */
const ADMONITIONS: Record<string, [label: string, style: string]> = {
  note: ['Note', 'note'],
  info: ['Info', 'note'],
  abstract: ['Abstract', 'note'],
  summary: ['Summary', 'note'],
  example: ['Example', 'note'],
  quote: ['Quote', 'note'],
  seealso: ['See also', 'note'],
  tip: ['Tip', 'tip'],
  hint: ['Hint', 'tip'],
  success: ['Success', 'tip'],
  question: ['Question', 'tip'],
  important: ['Important', 'important'],
  warning: ['Warning', 'warning'],
  attention: ['Attention', 'warning'],
  caution: ['Caution', 'caution'],
  danger: ['Danger', 'caution'],
  error: ['Error', 'caution'],
  failure: ['Failure', 'caution'],
  bug: ['Bug', 'caution'],
};

/** GitHub's alerts (`> [!NOTE]`), which marked-alert reads (render/markdown.ts). */
export const GITHUB_ALERTS = ['note', 'tip', 'important', 'warning', 'caution'];

/** Obsidian's other names for its callouts, with the admonition each is shown as. */
const CALLOUT_ALIASES: Record<string, string> = { tldr: 'abstract', todo: 'note', check: 'success', done: 'success', help: 'question', faq: 'question', fail: 'failure', missing: 'failure', cite: 'quote' };

/**
 * A quote's first line as an alert or a callout: `[!note]`, `[!TIP] A title`, `[!faq]- Folded` (Obsidian's
 * callouts, whose names are any case, may have a title after the name and a `+` or `-` that folds them).
 */
const CALLOUT = /^\[!([A-Za-z][\w-]{0,30})\]([+-]?)[ \t]*([^\n]*)(?:\n|$)/;

/**
 * What a quote's text says when it starts as a callout of a kind quire knows (see ADMONITIONS and
 * CALLOUT_ALIASES): the kind, the title (the text after the name, else the label of an alias, else none:
 * the kind's own label is shown), and the length of the first line. GitHub's own alerts (`[!NOTE]`, in
 * upper case) are left to marked-alert, text after the name too: in READMEs that is the note's first line
 * (`> [!NOTE] Test functions are fixed when…`), not a title; but in an Obsidian vault's note it is.
 */
export function calloutOf(text: string, vault = false): { kind: string; title: string | undefined; length: number } | undefined {
  const m = CALLOUT.exec(text);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const kind = Object.hasOwn(ADMONITIONS, name) ? name : CALLOUT_ALIASES[name];
  if (!kind) return undefined;
  const written = m[3]!.trim();
  // (In a vault, Obsidian's reading: the text after the name is the title, in any case.)
  if (!m[2] && m[1] === m[1]!.toUpperCase() && GITHUB_ALERTS.includes(name) && !(vault && written)) return undefined;
  const title = written || (kind === name ? undefined : name[0]!.toUpperCase() + name.slice(1));
  return { kind, title, length: m[0].length };
}

/** Whether a name is an admonition's (note, tip, warning...). */
export function isAdmonition(name: string): boolean {
  return Object.hasOwn(ADMONITIONS, name);
}

/** How deeply containers may nest (each level is lexed inside the one around it). */
export const MAX_CONTAINER_DEPTH = 32;

export interface ContainerToken extends Tokens.Generic {
  type: 'container';
  raw: string;
  /** The admonition it is (a key of ADMONITIONS), `details`, or none. */
  kind: string | undefined;
  classes: string[];
  id: string | undefined;
  /** Whether the first of `tokens` is its title (a paragraph of inline tokens). */
  titled: boolean;
  /** `lang` and `dir`, from pandoc's attributes. */
  attrs?: [string, string][];
  /** A box shown without a title, not even its kind's label (Python-Markdown's `!!! note ""`). */
  untitled?: boolean;
  tokens: Token[];
}

/** A fence line: its colons and what follows them (fenceInfo takes the trailing colons off). */
const FENCE_LINE = /^ {0,3}(:{3,})[ \t]*([^\n]*)$/;
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * A fence line's colons and its info: what follows them, without the spaces, colons and spaces that end
 * it. Taken off in code: a regular expression's lazy info before `[ \t]*(?::+[ \t]*)?$` looked through the
 * line's trailing spaces again at each of its characters (80 KB of them: 7.6 s).
 */
function fenceInfo(line: string): [colons: string, info: string, trailing: boolean] | undefined {
  const m = FENCE_LINE.exec(line);
  if (!m) return undefined;
  let end = m[2]!.length;
  const text = m[2]!;
  const spaceAt = (i: number) => text[i] === ' ' || text[i] === '\t';
  while (end > 0 && spaceAt(end - 1)) end--;
  const trailing = end > 0 && text[end - 1] === ':';
  if (trailing) {
    while (end > 0 && text[end - 1] === ':') end--;
    while (end > 0 && spaceAt(end - 1)) end--;
  }
  return [m[1]!, text.slice(0, end), trailing];
}
/**
 * A container's name (an id after it, `::: code-tabs#shell`, is vuepress-theme-hope's tab group's), title in
 * brackets, attributes in braces (remark-directive's), title.
 */
const NAME = /^([A-Za-z][\w-]*)(?:#[\w-]+)?(?:\[([^\n]*)\])?(\{[^{}\n]*\})?(?:[ \t]+([^\n]*))?$/;
const CLASS_NAME = /^[A-Za-z_][\w-]*$/;

/** What a fence's info says: its name or attributes, its title, and a first line of its text (MyST's argument). */
export interface Info {
  kind: string | undefined;
  classes: string[];
  id: string | undefined;
  title: string | undefined;
  first?: string;
  /** Pandoc's `lang` and `dir` (`::: {lang=fr}`), kept on the container's element. */
  attrs?: [string, string][];
  /** No title at all, not even the kind's label. */
  untitled?: boolean;
  /**
   * A MyST directive that is not a box but is read all the same: a toctree (toctree.ts), or one that a code
   * fence holds as well, code or a formula (`fence`: read as that fence is, render/markdown.ts).
   */
  directive?: 'toctree' | 'fence';
  /** A MyST directive's name and argument: its options, at the top of its text, are read with it (myst.ts). */
  myst?: [name: string, argument: string];
}

function readInfo(info: string): Info | undefined {
  // MyST's colon fences name a directive in braces (`:::{note}`, `:::{admonition} Title`).
  const myst = MYST_DIRECTIVE.exec(info);
  if (myst) {
    const read = mystInfo(myst[1]!, myst[2]!);
    return read && { ...read, myst: [myst[1]!, myst[2]!] };
  }
  if (info.startsWith('{')) {
    // Pandoc's attributes, read as a heading's are (heading-attrs.ts).
    const attrs = info.endsWith('}') ? readAttributes(info.slice(1, -1).trim()) : undefined;
    if (!attrs) return undefined;
    const kind = attrs.classes.map((c) => c.replace(/^callout-/, '').toLowerCase()).find(isAdmonition);
    const title = attrs.attrs.find(([k]) => k === 'title')?.[1].trim();
    const kept = attrs.attrs.filter(([k]) => k === 'lang' || k === 'dir');
    return { kind, classes: attrs.classes, id: attrs.id, title: title || undefined, ...(kept.length && { attrs: kept }) };
  }
  const m = NAME.exec(info);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  // A title written after the name, less any attributes after it (`::: tip Title {.x}`).
  const rest = m[4]?.replace(/\s*\{[^{}]*\}$/, '').trim();
  // remark-directive's attributes after the name or its label (Starlight's `:::tip{icon="heart"}`), a
  // `title` among them: the fence showed as text, attributes and all.
  const given = m[3] ? readAttributes(m[3].slice(1, -1).trim())?.attrs.find(([k]) => k === 'title')?.[1].trim() : undefined;
  const title = [m[2]?.trim() || given, rest].filter(Boolean).join(' ') || undefined;
  return { kind: isAdmonition(name) || name === 'details' ? name : undefined, classes: [m[1]!], id: undefined, title };
}

/** A MyST (Sphinx) directive's name and argument, as a fence's info: `{note}`, `{versionadded} 7.0`. */
export const MYST_DIRECTIVE = /^\{([A-Za-z][\w-]*)\}[ \t]*(.*)$/;

/**
 * What a MyST directive is as a container, given its options (`:alt:`, an image's description; `:name:`, a
 * label, its id), or undefined for one that is not a box (`{code-block}`),
 * a toctree marked as one (its colon fence is read as a container's, into a list: toctree.ts):
 * an admonition (its argument, if any, is its first line: Sphinx's admonitions take none but `{admonition}`'s
 * title), or a version note, titled as Sphinx titles it. The other options (`:width:`, `:class:`...) are
 * the site's looks.
 */
export function mystInfo(name: string, argument: string, options: ReadonlyMap<string, string> = new Map()): Info | undefined {
  const info = mystBox(name, argument, options.get('alt'));
  const label = info && info.directive === undefined ? labelId(options.get('name') ?? options.get('label') ?? '') : '';
  if (!label) return info;
  // A figure, or a box given a title, is named by its caption or title where a `{ref}` leads to it (myst.ts).
  const named = (name === 'figure' || (info!.title !== undefined && !VERSION_NOTES[name])) && !info!.classes.includes(NAMED_PLACE);
  return { ...info!, id: label, ...(named && { classes: [...info!.classes, NAMED_PLACE] }) };
}

function mystBox(name: string, argument: string, alt?: string): Info | undefined {
  const n = name.toLowerCase();
  const arg = argument.trim();
  if (n === 'toctree') return { kind: undefined, classes: [n], id: undefined, title: undefined, directive: n };
  if (MYST_FENCES.has(n)) return { kind: undefined, classes: [n], id: undefined, title: undefined, directive: 'fence' };
  if (n === 'admonition') return { kind: 'note', classes: ['admonition'], id: undefined, title: arg || undefined };
  if (isAdmonition(n) || n === 'seealso') return { kind: n, classes: [n], id: undefined, title: undefined, ...(arg && { first: arg }) };
  const version = VERSION_NOTES[n];
  if (version) {
    const [v, ...rest] = arg.split(/\s+/);
    return { kind: n === 'deprecated' ? 'warning' : 'note', classes: [n], id: undefined, title: v ? `${version} ${v}` : version, ...(rest.length && { first: rest.join(' ') }) };
  }
  // sphinx-design's and Sphinx's boxes: their argument is their title (a dropdown's question, a card's or a
  // tab's name), which was lost with the directive, its text shown as code.
  if (n === 'dropdown') return { kind: 'details', classes: [n], id: undefined, title: arg || undefined };
  if (MYST_BOXES.has(n)) return { kind: undefined, classes: [n], id: undefined, title: arg || undefined };
  // A figure or an image: the picture its argument names, a figure's caption after it (its path was lost).
  if ((n === 'figure' || n === 'image') && arg) return { kind: undefined, classes: [n], id: undefined, title: undefined, first: `![${(alt ?? '').trim().replace(/[\\[\]]/g, '\\$&')}](<${arg.replace(/[<>]/g, encodeURIComponent)}>)` };
  return undefined;
}
/** MyST directives that are code or a formula: a colon fence's is read as a code fence's. */
const MYST_FENCES = new Set(['code-block', 'code', 'sourcecode', 'code-cell', 'math']);
/** MyST directives that are boxes titled by their argument, or plain blocks that group others when they have none. */
const MYST_BOXES = new Set(['card', 'grid-item-card', 'sidebar', 'topic', 'tab-item', 'tab', 'margin', 'epigraph', 'pull-quote', 'highlights', 'rubric', 'tab-set', 'grid', 'grid-item', 'div', 'container']);
const VERSION_NOTES: Record<string, string> = { versionadded: 'New in version', versionchanged: 'Changed in version', deprecated: 'Deprecated since version', versionremoved: 'Removed in version' };

/**
 * The container whose opening fence starts `src`: its length up to and with its closing fence, its info and
 * the text it holds. Containers inside it are counted; fences inside code blocks are not fences. None when
 * the fence is not closed: the text stays as it is written.
 *
 * Which one a bare fence closes follows the tool each was written for. A pandoc div (attributes in braces,
 * or colons after them: `::: Warning ::::::`) ends at any bare fence, the innermost open div first. The
 * others (markdown-it-container's `::: tip`, remark-directive's `:::note[Title]`, MyST's `:::{note}`) end
 * only at a fence at least as long as their opening one, so an outer one is written with more colons
 * (`:::: tip` ... `::: warning` ... `:::` ... `::::`) and a shorter bare fence inside it is text: a `:::`
 * closed a `::::` box, the rest of it and its own fence shown after it. Of the open containers a fence may
 * close, the one with the longest opening fence is closed (an inner one left open inside it stays text);
 * between fences as long, the innermost, where the tools would close the outer one at the inner's fence.
 */
export function findContainer(src: string, budget: { chars: number }): { raw: string; info: Info; body: string } | undefined {
  const firstEnd = src.indexOf('\n');
  const firstLine = firstEnd === -1 ? src : src.slice(0, firstEnd);
  const open = fenceInfo(firstLine);
  if (!open || !open[1]) return undefined;
  const info = readInfo(open[1]);
  if (!info || firstEnd === -1) return undefined;
  // The open containers, outermost first: their opening fence's length, negative for a pandoc div.
  const opened = [fenceLength(open)];
  let code: string | undefined;
  let at = firstEnd + 1;
  while (at <= src.length && budget.chars > 0) {
    let end = src.indexOf('\n', at);
    if (end === -1) end = src.length;
    budget.chars -= end - at + 1;
    const line = src.slice(at, end);
    const fence = CODE_FENCE.exec(line);
    if (code !== undefined) {
      if (fence && fence[1]![0] === code[0] && fence[1]!.length >= code.length && !line.slice(fence[0].length).trim()) code = undefined;
    } else if (fence) code = fence[1]!;
    else if (line.includes(':::')) {
      const f = fenceInfo(line);
      if (f && !f[1]) {
        const closed = closedBy(opened, f[0].length);
        if (closed === 0) {
          const rawEnd = end === src.length ? end : end + 1;
          return { raw: src.slice(0, rawEnd), info, body: src.slice(firstEnd + 1, at) };
        }
        if (closed !== -1) opened.length = closed;
      } else if (f && readInfo(f[1])) opened.push(fenceLength(f));
    }
    at = end + 1;
  }
  return undefined;
}

/**
 * An opening fence's length as findContainer keeps it: the number of its colons, negated for a pandoc div
 * (its info in braces, not a MyST directive's name, or colons after its info).
 */
function fenceLength([colons, info, trailing]: [string, string, boolean]): number {
  const pandoc = trailing || (info.charCodeAt(0) === 123 && !MYST_DIRECTIVE.test(info));
  return pandoc ? -colons.length : colons.length;
}

/**
 * Which of the open containers (see findContainer) a bare fence of `colons` closes: its index, or -1 when
 * none (the fence is text). Looked at from the innermost out, while their fences grow longer: each one
 * passed over is closed with the one found (or is the one that stops the search), so a document's fences
 * are looked at a bounded number of times however deep its containers are.
 */
function closedBy(opened: number[], colons: number): number {
  let best = -1;
  for (let i = opened.length - 1; i >= 0; i--) {
    const length = opened[i]!;
    if (length < 0) return best === -1 ? i : best;
    if (length > colons || (best !== -1 && length <= opened[best]!)) break;
    best = i;
    if (length === colons) break;
  }
  return best;
}

/**
 * Where a container starts in the paragraph that starts `src` (the start of a line after the first, before
 * the first blank line), or -1: the fence must be closed, or the paragraph would be cut in two for nothing.
 * Looked for up to the next blank line or fence line, whichever comes first, within the render's budget:
 * in a document of many blocks and no blank line, each search would otherwise go to its end.
 * With `state`, once the budget is spent, the first `:::` fence in the paragraph that is not looked at is
 * noted (`unread`), as the container rule notes one: the fences of a paragraph that spent it were shown as
 * text, the container after them too, with no word.
 */
export function containerAhead(src: string, budget: { chars: number }, fence = CONTAINER_FENCE, opens: (src: string) => boolean = (rest) => findContainer(rest, budget) !== undefined, state?: ContainerState): number {
  const note = state && state.unread === undefined && state.depth < MAX_CONTAINER_DEPTH ? state : undefined;
  if (budget.chars <= 0 && !note) return -1;
  fence.lastIndex = 0;
  for (let m = fence.exec(src); m; m = fence.exec(src)) {
    if (!/\S/.test(m[0])) {
      budget.chars -= m.index;
      return -1;
    }
    if (budget.chars <= 0) {
      // (Looked for only until one is found: then unread is noted, and no paragraph after looks again.)
      if (note && opening(src.slice(m.index + 1))) {
        note.unread = src.slice(m.index + 1);
        return -1;
      }
      continue;
    }
    if (opens(src.slice(m.index + 1))) {
      budget.chars -= m.index;
      return m.index + 1;
    }
  }
  budget.chars -= src.length;
  return -1;
}
/**
 * The first match of `re` (global) in `src` from `from`, looked for within the render's bound and charged
 * to it; null when there is none or the bound is spent.
 */
export function searchWithin(re: RegExp, src: string, from: number, budget: { chars: number }): RegExpExecArray | null {
  if (budget.chars <= 0) return null;
  re.lastIndex = from;
  const m = re.exec(src);
  budget.chars -= (m ? m.index + m[0].length : src.length) - from;
  return m;
}

/** A blank line, or a line that may open a container. */
const CONTAINER_FENCE = /\n[ \t]*\n|\n {0,3}:::/g;

/** The state of one render: how much more text fences may be looked for in, and how deep containers are. */
export interface ContainerState {
  /** Whether the document has `:::` anywhere: without, nothing is looked for. */
  any: boolean;
  /** Whether it has a Liquid tag's `{%` (render/liquid.ts), and how many `{% raw %}` lines are open. */
  liquid?: boolean;
  rawOpen?: number;
  /** The Liquid tags written between the document's `{% raw %}` and `{% endraw %}` tags (liquid.ts rawTags): text wherever they stand. */
  rawTags?: ReadonlySet<string>;
  budget: { chars: number };
  depth: number;
  /** Whether it has a line starting `!!! `, `??? ` or `=== ` (MkDocs's admonitions and tabs). */
  mkdocs?: boolean;
  /** A container left as text, MAX_CONTAINER_DEPTH deep: what follows its fence, for the container around it. */
  tooDeep?: string;
  /** The containers, MAX_CONTAINER_DEPTH deep, that hold one left as text, and where its fence stands in their `raw` (render/markdown.ts warns of each). */
  deep?: [ContainerToken, number][];
  /** Where a fence stands (what follows it in the text it was lexed in) that was left as text once the budget was spent. */
  unread?: string;
  /** The container that holds that fence, and where it stands in its `raw` (none: at the top level). */
  unreadIn?: [ContainerToken, number];
}

/**
 * Whether a container that opens at `src` is left as text: too deep and closed (noted for the container
 * around it), or with the budget spent (the first such opening is noted). `opens`: whether `src` starts
 * with an opening at all (a `:::` fence's, by default).
 */
export function leftAsText(state: ContainerState, src: string, closed: () => boolean, opens: () => boolean = () => opening(src)): void {
  if (state.depth >= MAX_CONTAINER_DEPTH && state.tooDeep === undefined && state.budget.chars > 0 && closed()) state.tooDeep = src;
  else if (state.depth < MAX_CONTAINER_DEPTH && state.budget.chars <= 0 && state.unread === undefined && opens()) state.unread = src;
}

/** Whether the first line of `src` is a container's opening fence. */
function opening(src: string): boolean {
  const end = src.indexOf('\n');
  const fence = fenceInfo(end === -1 ? src : src.slice(0, end));
  return fence !== undefined && fence[1] !== '' && readInfo(fence[1]) !== undefined;
}

/** A container token: its title's inline text (queued) and its blocks (after its first line), lexed one level deeper. */
export function containerToken(lexer: Lexer, state: ContainerState, raw: string, info: Info, body: string): ContainerToken {
  state.depth++;
  try {
    let title = info.title === undefined ? undefined : ({ type: 'paragraph', raw: info.title, text: info.title, tokens: lexer.inline(info.title) } as Tokens.Paragraph);
    // The blocks read apart from the title: an indented code block first was joined to it, as to a
    // paragraph before it (which indented code does not interrupt).
    const text = info.first ? `${info.first}\n\n${body}` : body;
    const blocks = lexer.blockTokens(text, []);
    // A Quarto callout without a title attribute is titled by the heading that starts it (`## Expand to
    // learn more`), which showed as a section of the chapter, in its contents too, under the kind's label.
    const first = blocks.find((b) => b.type !== 'space');
    if (!title && first?.type === 'heading' && info.classes.some((c) => /^callout-/i.test(c))) {
      title = { type: 'paragraph', raw: first.raw, text: (first as Tokens.Heading).text, tokens: (first as Tokens.Heading).tokens } as Tokens.Paragraph;
      blocks.splice(blocks.indexOf(first), 1);
    }
    const tokens: Token[] = title ? ([title] as Token[]).concat(blocks) : blocks;
    const token: ContainerToken = { type: 'container', raw, kind: info.kind, classes: info.classes, id: info.id, titled: title !== undefined, tokens, ...(info.attrs && { attrs: info.attrs }), ...(info.untitled && { untitled: true }) };
    // Where a fence left as text inside it stands in its raw text (one in a list item inside it, whose text
    // lost its indentation, is placed at the container's own fence).
    const place = (left: string) => Math.max(0, text.endsWith(left) && raw.includes(body) ? raw.indexOf(body) + body.length - left.length : 0);
    const left = state.tooDeep;
    if (left !== undefined && state.depth === MAX_CONTAINER_DEPTH) {
      state.tooDeep = undefined;
      (state.deep ??= []).push([token, place(left)]);
    }
    if (state.unread !== undefined && state.unreadIn === undefined) state.unreadIn = [token, place(state.unread)];
    return token;
  } finally {
    state.depth--;
  }
}

/**
 * Python-Markdown's admonitions, as MkDocs (Material) writes them: `!!! note "A title"`, `??? tip` (folded:
 * shown open), `???+ warning`, the blocks indented by four spaces under the line; and Material's content
 * tabs, `=== "Python"` (`===!`, `===+`). Their marker lines showed as paragraphs, and their blocks as indented code.
 */
const MKDOCS_LINE = /^(!!!|\?\?\?\+?|===[!+]?)[ \t]+(?:([A-Za-z][\w-]*)((?:[ \t]+[A-Za-z][\w-]*){0,4}))?[ \t]*(?:"([^"\n]*)")?[ \t]*(?:\n|$)/;
/** A line that may start one, for the render's `mkdocs`. */
export const MAY_MKDOCS = /^(?:!!!|\?\?\?\+?|===[!+]?)[ \t]/m;

/**
 * pymdownx.blocks, as MkDocs (Material) sites write them: `/// admonition | Title` (a `type:` option its kind),
 * `/// note | Title` and the other admonitions, `/// details | Summary` (shown open), `/// tab | Name`, and
 * the others (`html`, `caption`, `define`) the blocks they hold, up to a line of as many slashes; more
 * slashes for the outer one when they nest. Their options, indented lines of `key: value` under the first,
 * are the site's. They showed as text, slashes, options and all.
 */
const BLOCKS_LINE = /^(\/{3,})[ \t]*([A-Za-z][\w-]*)(?:[ \t]*\|[ \t]*([^\n]*?))?[ \t]*(?:\n|$)/;

/** The extension for pymdownx.blocks (see BLOCKS_LINE), in an MkDocs project's articles (`on()`). */
export function blocksExtension(state: () => ContainerState, on: () => boolean): TokenizerExtension {
  return {
    name: 'mkdocsBlocks',
    level: 'block',
    tokenizer(src) {
      if (src.charCodeAt(0) !== 47 || !on()) return undefined;
      const s = state();
      const m = BLOCKS_LINE.exec(src.length > 1000 ? src.slice(0, 1000) : src);
      if (!m) return undefined;
      if (s.depth >= MAX_CONTAINER_DEPTH) {
        leftAsText(s, src, () => searchWithin(new RegExp(`^${m[1]}(?!\\/)[ \\t]*$`, 'gm'), src, m[0].length, s.budget) !== null, () => true);
        return undefined;
      }
      // The closing line: as many slashes alone, blocks of as many opened inside counted.
      const fences = new RegExp(`^${m[1]}(?!\\/)[ \\t]*([A-Za-z][\\w-]*)?[^\\n]*$`, 'gm');
      let depth = 1;
      let close: RegExpExecArray | null = null;
      for (let f = searchWithin(fences, src, m[0].length, s.budget); f; f = searchWithin(fences, src, fences.lastIndex, s.budget)) {
        if (f[1] !== undefined) depth++;
        else if (--depth === 0) {
          close = f;
          break;
        }
        if (f[0].length === 0) fences.lastIndex++;
      }
      if (!close) {
        leftAsText(s, src, () => false, () => true);
        return undefined;
      }
      let body = src.slice(m[0].length, close.index);
      // Its options: indented lines of `key: value` right under the first line.
      const options = /^(?:(?: {4}|\t)[\w-]+:[^\n]*(?:\n|$))+/.exec(body);
      const type = options && /^[ \t]+type:[ \t]*['"]?([\w-]+)/m.exec(options[0])?.[1]?.toLowerCase();
      if (options) body = body.slice(options[0].length);
      const raw = src.slice(0, close.index + close[0].length + (src[close.index + close[0].length] === '\n' ? 1 : 0));
      const name = m[2]!.toLowerCase();
      const title = m[3]?.trim() || undefined;
      const kind = name === 'admonition' ? (type && isAdmonition(type) ? type : 'note') : name === 'details' ? 'details' : isAdmonition(name) ? name : undefined;
      // (`/// html | div` names the element it makes, not text.)
      const info: Info = { kind, classes: [name], id: undefined, title: kind !== undefined || name === 'tab' ? title : undefined, ...(kind === undefined && title !== undefined && name !== 'tab' && name !== 'html' && { first: title }) };
      return containerToken(this.lexer, s, raw, info, `${body.replace(/^\n+|\n+$/g, '')}\n`);
    },
  };
}

/** The extension for MkDocs's admonitions and tabs (see MKDOCS_LINE), reading the render's state from `state()`. */
export function mkdocsExtension(state: () => ContainerState): TokenizerExtension {
  return {
    name: 'mkdocsBlock',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.mkdocs) return undefined;
      const c = src.charCodeAt(0);
      if (c !== 33 && c !== 63 && c !== 61) return undefined;
      const m = MKDOCS_LINE.exec(src.length > 1000 ? src.slice(0, 1000) : src);
      if (!m) return undefined;
      const tab = m[1]!.startsWith('===');
      // A tab has a title and no name; an admonition has a name.
      if (tab ? m[2] !== undefined || m[4] === undefined : m[2] === undefined) return undefined;
      // Its blocks: the lines indented by four spaces (or a tab) after it, blank lines among them.
      let end = m[0].length;
      let last = end;
      const lines: string[] = [];
      let kept = 0;
      while (end < src.length) {
        const nl = src.indexOf('\n', end);
        const lineEnd = nl === -1 ? src.length : nl;
        const line = src.slice(end, lineEnd);
        if (line.trim() === '') lines.push('');
        else if (line.startsWith('    ') || line.startsWith('\t')) {
          lines.push(line.startsWith('\t') ? line.slice(1) : line.slice(4));
          last = lineEnd === src.length ? lineEnd : lineEnd + 1;
          kept = lines.length;
        } else break;
        end = lineEnd === src.length ? lineEnd : lineEnd + 1;
      }
      if (kept === 0) return undefined;
      if (s.depth >= MAX_CONTAINER_DEPTH) {
        leftAsText(s, src, () => true, () => false);
        return undefined;
      }
      const body = lines.slice(0, kept).join('\n');
      const name = m[2]?.toLowerCase();
      const kind = name === undefined ? undefined : isAdmonition(name) ? name : CALLOUT_ALIASES[name];
      // Python-Markdown's title: the one written (`""`: none at all), else the name, capitalised (the kind's
      // own label for an admonition quire knows).
      const title = m[4] !== undefined ? m[4].trim() || undefined : kind === name ? undefined : name![0]!.toUpperCase() + name!.slice(1);
      const info: Info = { kind, classes: tab ? ['tab'] : [name!], id: undefined, title, ...(m[4] !== undefined && !m[4].trim() && { untitled: true }) };
      return containerToken(this.lexer, s, src.slice(0, last), info, `${body}\n`);
    },
  };
}

/** The containers whose tabs are marked by lines (TAB_LINE): VuePress's `::: tabs` and `::: code-tabs`, vitepress-plugin-tabs's `:::tabs`. */
const TABS = /^(?:code-)?tabs$/i;
/**
 * A tab's line: vuepress-theme-hope's `@tab Title` (`@tab:active Title`, `@tab Title#id`), or
 * vitepress-plugin-tabs's `== Title`; the title.
 */
const TAB_LINE = /^(?:@tab(?::active)?[ \t]+(.*?)(?:(?<![ \t])#[\w-]+)?|==[ \t]+(.*?))[ \t]*$/;

/**
 * A tabs container whose body marks its tabs with lines of their own (TAB_LINE), outside fenced code: a
 * tab for each, titled as its line says, as MkDocs's tabs are; undefined when it has no such line. The
 * lines showed as text, run together with the tab's first paragraph.
 */
function tabsToken(lexer: Lexer, state: ContainerState, found: { raw: string; info: Info; body: string }): ContainerToken | undefined {
  const fenced = fencedLines();
  const before: string[] = [];
  const tabs: { title: string; lines: string[] }[] = [];
  // How deep in containers inside this one: their lines are theirs.
  let inner = 0;
  for (const line of found.body.split('\n')) {
    const inCode = fenced(line);
    const fence = inCode || !line.includes(':::') ? undefined : fenceInfo(line);
    if (fence) inner = fence[1] ? inner + 1 : Math.max(0, inner - 1);
    const tab = inCode || inner || fence ? null : TAB_LINE.exec(line);
    if (tab) tabs.push({ title: (tab[1] ?? tab[2]!).trim(), lines: [] });
    else (tabs.length ? tabs[tabs.length - 1]!.lines : before).push(line);
  }
  if (!tabs.length) return undefined;
  const info = found.info;
  state.depth++;
  try {
    const tokens: Token[] = [];
    if (info.title !== undefined) tokens.push({ type: 'paragraph', raw: info.title, text: info.title, tokens: lexer.inline(info.title) } as Tokens.Paragraph);
    if (before.join('').trim()) lexer.blockTokens(before.join('\n'), tokens);
    for (const tab of tabs) {
      const body = `${tab.lines.join('\n')}\n`;
      tokens.push(containerToken(lexer, state, body, { kind: undefined, classes: ['tab'], id: undefined, title: tab.title || undefined }, body));
    }
    return { type: 'container', raw: found.raw, kind: info.kind, classes: info.classes, id: info.id, titled: info.title !== undefined, tokens };
  } finally {
    state.depth--;
  }
}

/** The extension, reading the render's state from `state()`. */
export function containerExtension(state: () => ContainerState): TokenizerExtension & RendererExtension {
  return {
    name: 'container',
    level: 'block',
    // A container may start right after a paragraph's line, as in VitePress and Docusaurus (not in pandoc,
    // whose fences follow a blank line): Marked asks from each paragraph where the next one starts.
    start(src) {
      const s = state();
      const at = s.any ? containerAhead(src, s.budget, undefined, undefined, s) : -1;
      return at === -1 ? undefined : at;
    },
    tokenizer(src) {
      if (src.charCodeAt(0) !== 58 && !/^ {1,3}:::/.test(src)) return undefined;
      const s = state();
      if (!s.any) return undefined;
      if (s.depth >= MAX_CONTAINER_DEPTH || s.budget.chars <= 0) {
        leftAsText(s, src, () => findContainer(src, s.budget) !== undefined);
        return undefined;
      }
      const found = findContainer(src, s.budget);
      if (!found) {
        leftAsText(s, src, () => false);
        return undefined;
      }
      // A MyST directive's options, `:alt: …` lines or a `---` block, are read, not shown as its text.
      if (found.info.myst && found.info.directive === 'fence') {
        // Code or a formula, `:::{code-block} python`: read as the code fence that holds the same (its
        // options read there), with a fence longer than any run of backticks in it. It showed as a paragraph.
        let longest = 2;
        for (const run of found.body.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
        const ticks = '`'.repeat(longest + 1);
        const [name, argument] = found.info.myst;
        const fenced = this.lexer.blockTokens(`${ticks}{${name}}${argument ? ` ${argument}` : ''}\n${found.body}${ticks}\n`, []).filter((t) => t.type !== 'space');
        if (fenced.length === 1) return { ...fenced[0]!, raw: found.raw };
      }
      if (found.info.myst) {
        const read = readDirectiveOptions(found.body);
        found.info = mystInfo(found.info.myst[0], found.info.myst[1], read.options) ?? found.info;
        if (found.info.directive !== 'toctree') found.body = read.body;
      }
      if (found.info.directive === 'toctree') return { type: 'html', block: true, pre: false, raw: found.raw, text: toctreeHtml(found.body, found.raw) };
      if (TABS.test(found.info.classes[0] ?? '') && found.body.includes('\n')) return tabsToken(this.lexer, s, found) ?? containerToken(this.lexer, s, found.raw, found.info, found.body);
      return containerToken(this.lexer, s, found.raw, found.info, found.body);
    },
    renderer(t) {
      const token = t as ContainerToken;
      const title = token.titled ? this.parser.parseInline((token.tokens[0] as Tokens.Paragraph).tokens) : undefined;
      const inner = this.parser.parse(token.titled ? token.tokens.slice(1) : token.tokens);
      const id = (token.id ? ` id="${escapeAttr(token.id)}"` : '') + (token.attrs ?? []).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
      const names = token.classes.filter((c) => CLASS_NAME.test(c)).map((c) => c.toLowerCase());
      if (token.kind === 'details') return `<details${id}${names.includes(NAMED_PLACE) ? ` class="${NAMED_PLACE}"` : ''}><summary>${title ?? 'Details'}</summary>\n${inner}</details>\n`;
      const admonition = token.kind && ADMONITIONS[token.kind];
      if (!admonition && title === undefined) return `<div${id}${names.length ? ` class="${escapeAttr(names.join(' '))}"` : ''}>\n${inner}</div>\n`;
      const style = admonition ? ` markdown-alert-${admonition[1]}` : '';
      const label = token.untitled ? '' : `<p class="markdown-alert-title">${title ?? escapeText(admonition![0])}</p>\n`;
      return `<div${id} class="markdown-alert${style}${names.length ? ` ${escapeAttr(names.join(' '))}` : ''}">${label}${inner}</div>\n`;
    },
  };
}
