// Stage: render (Markdown). Hugo's shortcodes, the commonest of its sites' own tags: `{{< note >}}…{{< /note >}}`
// and the like, `{{< highlight go >}}`, `{{< figure src=… >}}`, `{{< youtube id >}}`, `[text]({{< ref "page.md" >}})`.
// Hugo runs them when it builds the site; quire cannot (a site's own are templates it does not have), and they
// showed in the book as written, their quotes curled by typography. What a reader of the page saw is made of
// the ones Hugo and its common themes define: a note is a titled box (as a `:::` container is, see
// containers.ts), highlighted code is a code block, a figure is a figure, an embedded video or post is a link
// to it, a reference is a link to the page. Of any other pair, what it holds is kept, without the tags; any
// other tag alone stays as written. `{{</* x */>}}`, the way Hugo's own documentation writes a shortcode to be
// shown, is shown as `{{< x >}}`.
import type { Lexer, Token, TokenizerExtension, Tokens } from 'marked';
import { containerAhead, containerToken, isAdmonition, leftAsText, MAX_CONTAINER_DEPTH, type ContainerState, type Info } from './containers.js';
import { escapeAttr, escapeText } from './tree.js';
import { embedLink, youtubeId } from '../embeds.js';

/** A shortcode's tag: its kind of delimiter, whether it closes, its name, its parameters and whether it closes itself. */
interface Tag {
  length: number;
  closing: boolean;
  name: string;
  positional: string[];
  named: Map<string, string>;
  selfClosed: boolean;
}

const VALUE = '"(?:[^"\\\\\\n]|\\\\.)*"|`[^`\\n]*`|[^\\s"`=]+?';
/** The longest tag read. */
const MAX_TAG = 1024;
// A tag's parameters may go over several lines (`{{< figure` / `src="x.jpg"` / `>}}`), never past a blank one.
const SPACE = '(?:[ \\t]|\\n(?![ \\t]*\\n))';
const TAG = new RegExp(`\\{\\{([<%])${SPACE}*(/)?${SPACE}*([A-Za-z][\\w.-]*(?:/[A-Za-z][\\w.-]*)*)((?:${SPACE}+(?:[A-Za-z_][\\w-]*=(?:${VALUE})|${VALUE}))*?)${SPACE}*(/)?${SPACE}*([>%])\\}\\}`, 'y');
// Greedy here: the tag's end is already found.
const WHOLE_VALUE = VALUE.replace(/\+\?$/, '+');
const PARAM = new RegExp(`\\s*(?:([A-Za-z_][\\w-]*)=(${WHOLE_VALUE})|(${WHOLE_VALUE}))`, 'y');

function unquote(v: string): string {
  if (v.startsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (v.startsWith('`')) return v.slice(1, -1);
  return v;
}

/** The tag at `at` in `src`, or undefined. */
function readTag(src: string, at: number): Tag | undefined {
  // A tag is on one line and short: it is looked for in a window, so that a line of `{{<` costs no more
  // than its length for each.
  TAG.lastIndex = 0;
  const m = TAG.exec(src.slice(at, at + MAX_TAG));
  // `{{< x >}}` or `{{% x %}}`, not one of each.
  if (!m || (m[1] === '<') !== (m[6] === '>')) return undefined;
  const positional: string[] = [];
  const named = new Map<string, string>();
  const params = m[4]!;
  for (let p = 0; p < params.length; ) {
    PARAM.lastIndex = p;
    const q = PARAM.exec(params);
    if (!q || PARAM.lastIndex === p) break;
    if (q[1]) named.set(q[1].toLowerCase(), unquote(q[2]!));
    else positional.push(unquote(q[3]!));
    p = PARAM.lastIndex;
  }
  return { length: m[0].length, closing: m[2] === '/', name: m[3]!.toLowerCase(), positional, named, selfClosed: m[5] === '/' };
}

/** Shortcodes whose kind of box is a parameter (Hugo's themes: Learn's notice, Docsy's alert, Book's hint...). */
const BOXES = new Set(['notice', 'alert', 'callout', 'admonition', 'hint', 'box', 'message', 'note-box']);
/** Shortcodes that stand alone: never paired. */
const SINGLE = new Set(['figure', 'youtube', 'vimeo', 'tweet', 'x', 'gist', 'instagram', 'ref', 'relref', 'param', 'video', 'pagebreak']);

/** The tag that starts `src` (after up to three spaces): the tag, where it and its line end, and whether it is alone on it. */
function lineTag(src: string): { tag: Tag; tagEnd: number; lineEnd: number; alone: boolean } | undefined {
  let at = 0;
  while (at < 3 && src.charCodeAt(at) === 32) at++;
  if (src.charCodeAt(at) !== 123 || src.charCodeAt(at + 1) !== 123) return undefined;
  const tag = readTag(src, at);
  if (!tag) return undefined;
  let end = src.indexOf('\n', at + tag.length);
  if (end === -1) end = src.length;
  return { tag, tagEnd: at + tag.length, lineEnd: end, alone: !src.slice(at + tag.length, end).trim() };
}

/** Where the text of the pair that `line` opens starts: the next line, or, for a box, right after its tag. */
function bodyStart(src: string, line: NonNullable<ReturnType<typeof lineTag>>): number | undefined {
  if (line.alone) return Math.min(src.length, line.lineEnd + 1);
  return pairInfo(line.tag).kind !== undefined ? line.tagEnd : undefined;
}

/**
 * The pair that starts `src`: the text between its tags and its length with both; undefined when it is not
 * closed. Pairs of the same name inside it are counted.
 */
function findPair(src: string, open: Tag, from: number, budget: { chars: number }): { body: string; raw: string } | undefined {
  let depth = 1;
  let at = from;
  while (at < src.length && budget.chars > 0) {
    const next = src.indexOf('{{', at);
    if (next === -1) {
      budget.chars -= src.length - at;
      return undefined;
    }
    budget.chars -= next - at + 64;
    const tag = readTag(src, next);
    at = next + 2;
    if (!tag || tag.name !== open.name || tag.selfClosed) continue;
    at = next + tag.length;
    if (!tag.closing) depth++;
    else if (--depth === 0) {
      let end = src.indexOf('\n', at);
      end = end === -1 ? src.length : end + 1;
      // The closing tag ends the pair's last line, or stands on its own.
      return { body: src.slice(from, next), raw: src.slice(0, src.slice(at, end).trim() ? at : end) };
    }
  }
  return undefined;
}

/** Whether `src` starts with a shortcode this extension reads as a block. */
export function opensBlock(src: string, budget: { chars: number }): boolean {
  const line = lineTag(src);
  if (!line || line.tag.closing) return false;
  if (SINGLE.has(line.tag.name) || line.tag.selfClosed) return line.alone && single(line.tag) !== undefined;
  const from = bodyStart(src, line);
  return from !== undefined && findPair(src, line.tag, from, budget) !== undefined;
}

const param = (tag: Tag, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = tag.named.get(n);
    if (v !== undefined && v.trim()) return v.trim();
  }
  return undefined;
};

/** A tag that stands alone, as HTML; undefined for one quire does not know. */
function single(tag: Tag): string | undefined {
  const p0 = tag.positional[0];
  const link = (href: string, text: string) => `<p><a href="${escapeAttr(href)}">${escapeText(text)}</a></p>`;
  switch (tag.name) {
    case 'figure': {
      const src = param(tag, 'src');
      if (!src) return undefined;
      const caption = [param(tag, 'title'), param(tag, 'caption'), param(tag, 'attr')].filter(Boolean).join(' ');
      // Hugo's figure falls back on the caption for the image's alt text.
      const img = `<img src="${escapeAttr(src)}" alt="${escapeAttr(param(tag, 'alt') ?? (param(tag, 'caption') || param(tag, 'title')) ?? '')}"/>`;
      const linked = param(tag, 'link') ? `<a href="${escapeAttr(param(tag, 'link')!)}">${img}</a>` : img;
      return caption ? `<figure>${linked}<figcaption>${escapeText(caption)}</figcaption></figure>` : `<p>${linked}</p>`;
    }
    case 'youtube': {
      const id = param(tag, 'id') ?? p0;
      return id && link(`https://www.youtube.com/watch?v=${encodeURIComponent(id)}`, param(tag, 'title') ?? `YouTube video ${id}`);
    }
    case 'vimeo': {
      const id = param(tag, 'id') ?? p0;
      return id && link(`https://vimeo.com/${encodeURIComponent(id)}`, param(tag, 'title') ?? `Vimeo video ${id}`);
    }
    case 'tweet':
    case 'x': {
      const user = param(tag, 'user') ?? (tag.positional.length > 1 ? p0 : undefined);
      const id = param(tag, 'id') ?? tag.positional[tag.positional.length > 1 ? 1 : 0];
      if (!id) return undefined;
      return link(user ? `https://x.com/${encodeURIComponent(user)}/status/${encodeURIComponent(id)}` : `https://x.com/i/status/${encodeURIComponent(id)}`, user ? `Post by @${user}` : `Post ${id}`);
    }
    case 'gist': {
      const [user, id] = tag.positional;
      return user && id ? link(`https://gist.github.com/${encodeURIComponent(user)}/${encodeURIComponent(id)}`, `Gist ${user}/${id}${tag.positional[2] ? ` (${tag.positional[2]})` : ''}`) : undefined;
    }
    case 'instagram': {
      const id = param(tag, 'id') ?? p0;
      return id && link(`https://www.instagram.com/p/${encodeURIComponent(id)}/`, `Instagram post ${id}`);
    }
    // Quarto's: a video, a link to it (a YouTube player's address, to its page); a page break, which a
    // reading system makes where it needs one.
    case 'video': {
      const src = param(tag, 'src') ?? p0;
      if (!src) return undefined;
      const youtube = youtubeId(src);
      return link(embedLink(src).url, param(tag, 'title') ?? (youtube ? `YouTube video ${youtube}` : `Video: ${src}`));
    }
    case 'pagebreak':
      return '';
    default:
      return undefined;
  }
}

/** What a pair is: a box (an admonition, details, a titled tab) or a plain block. */
function pairInfo(tag: Tag): Info {
  const name = tag.name;
  const title = param(tag, 'title', 'summary', 'header', 'name', 'label');
  if (isAdmonition(name)) return { kind: name, classes: [name], id: undefined, title: title ?? (tag.positional.length ? tag.positional.join(' ') : undefined) };
  if (BOXES.has(name)) {
    const kind = [param(tag, 'type', 'color', 'theme', 'kind', 'context', 'style'), tag.positional[0]].map((k) => k?.toLowerCase()).find((k) => k !== undefined && isAdmonition(k));
    const rest = kind !== undefined && tag.positional[0]?.toLowerCase() === kind ? tag.positional.slice(1) : tag.positional;
    return { kind: kind ?? 'note', classes: [name], id: undefined, title: title ?? (rest.length ? rest.join(' ') : undefined) };
  }
  if (name === 'details' || name === 'expand' || name === 'collapse' || name === 'spoiler') return { kind: 'details', classes: [], id: undefined, title: title ?? (tag.positional.join(' ') || undefined) };
  return { kind: undefined, classes: [name.replace(/\//g, '-')], id: undefined, title: title ?? (name === 'tab' ? tag.positional.join(' ') || undefined : undefined) };
}

/**
 * The pairs that hold code, not Markdown, and the info string of the block they are: `{{< highlight go >}}`;
 * Hugo's own `{{< code file="x.html" lang="go-html-template" >}}` and `{{< code-toggle file=hugo >}}`
 * (configuration, shown in TOML: Hugo shows it in TOML, YAML and JSON); and Docsy's
 * `{{< tab header="Shell" lang="bash" >}}` in a `tabpane`, code unless `text=true`, a tab as well. Their
 * text was read as Markdown: a `# comment` line was a heading, a URL a link.
 */
function codeOf(tag: Tag): { info: string; tab: boolean } | undefined {
  const lang = param(tag, 'lang');
  const file = param(tag, 'file', 'filename');
  const named = (l: string) => `${l}${file ? ` title="${file.replace(/"/g, '')}${tag.name === 'code-toggle' && !/\.\w+$/.test(file) ? '.toml' : ''}"` : ''}`;
  switch (tag.name) {
    case 'highlight':
      return { info: tag.positional[0] ?? lang ?? '', tab: false };
    case 'code':
      return lang || file ? { info: named(lang ?? ''), tab: false } : undefined;
    case 'code-toggle':
      return { info: named('toml'), tab: false };
    case 'tab':
      return lang && param(tag, 'text') !== 'true' ? { info: lang, tab: true } : undefined;
    default:
      return undefined;
  }
}

/** Hugo's shortcodes as blocks, reading the render's state (shared with the containers) from `state()`. */
export function shortcodeExtension(state: () => ContainerState): TokenizerExtension {
  return {
    name: 'shortcode',
    level: 'block',
    // After a paragraph's line too (Hugo's pages often write `{{< note >}}` right under a sentence).
    start(src) {
      const s = state();
      const at = s.any ? containerAhead(src, s.budget, SHORTCODE_LINE, (rest) => opensBlock(rest, s.budget)) : -1;
      return at === -1 ? undefined : at;
    },
    tokenizer(src) {
      const s = state();
      if (!s.any) return undefined;
      if (s.depth >= MAX_CONTAINER_DEPTH) {
        const line = lineTag(src);
        const from = line && !line.tag.closing && !SINGLE.has(line.tag.name) && !line.tag.selfClosed ? bodyStart(src, line) : undefined;
        if (from !== undefined) leftAsText(s, src, () => findPair(src, line!.tag, from, s.budget) !== undefined, () => true);
        return undefined;
      }
      const line = lineTag(src);
      if (!line || line.tag.closing) return undefined;
      const tag = line.tag;
      const raw = src.slice(0, line.lineEnd === src.length ? src.length : line.lineEnd + 1);
      if (SINGLE.has(tag.name) || tag.selfClosed) {
        const html = line.alone ? single(tag) : undefined;
        return html === undefined ? undefined : ({ type: 'html', block: true, pre: false, raw, text: `${html}\n` } as Tokens.HTML);
      }
      const from = bodyStart(src, line);
      const pair = from === undefined ? undefined : findPair(src, tag, from, s.budget);
      if (!pair) {
        if (from !== undefined) leftAsText(s, src, () => false, () => true);
        return undefined;
      }
      const code = codeOf(tag);
      if (code) {
        const text = pair.body.replace(/^\n/, '').replace(/\n$/, '');
        if (!code.tab) return { type: 'code', raw: pair.raw, lang: code.info, text } as Tokens.Code;
        // A tab of code: a box titled by the tab's name, holding the block.
        const ticks = '`'.repeat(Math.max(3, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length + 1)));
        return containerToken(this.lexer as Lexer, s, pair.raw, pairInfo(tag), `${ticks}${code.info}\n${text}\n${ticks}\n`);
      }
      return containerToken(this.lexer as Lexer, s, pair.raw, pairInfo(tag), pair.body);
    },
  };
}
const SHORTCODE_LINE = /\n[ \t]*\n|\n {0,3}\{\{[<%]/g;

/** A reference to a page, `{{< ref "page.md" >}}` or `relref`, as a link's destination: the page. */
const REF_DESTINATION = /\]\(\s*\{\{([<%])[ \t]*(?:rel)?ref[ \t]+(?:"([^"\n]*)"|([^\s"<>%]+))[ \t]*([>%])\}\}(?=[)\s"'])/;

/**
 * The start of `src` with the first link destination that is a page reference written as the page, for
 * Marked's link rule: the new text, where the reference was and how much shorter it is. Looked for near the
 * start only (a link's text is short).
 */
export function withRefDestination(src: string): { src: string; at: number; shorter: number } | undefined {
  const head = src.slice(0, 2048);
  if (!head.includes('({{')) return undefined;
  const m = REF_DESTINATION.exec(head);
  if (!m || (m[1] === '<') !== (m[4] === '>')) return undefined;
  const page = (m[2] ?? m[3] ?? '').trim();
  const dest = /[\s()<>]/.test(page) ? `<${page.replace(/[<>]/g, encodeURIComponent)}>` : page;
  const replaced = `](${dest}`;
  // Of the start only, not the rest of the text: joined, that would be copied for each link.
  return { src: head.slice(0, m.index) + replaced + head.slice(m.index + m[0].length), at: m.index, shorter: m[0].length - replaced.length };
}

/** An escaped shortcode in text, read whole (render/markdown.ts stops text before one): a text token of what Hugo shows. */
export const escapedShortcode: TokenizerExtension = {
  name: 'escapedShortcode',
  level: 'inline',
  tokenizer(src) {
    if (src.charCodeAt(0) !== 123 || src.charCodeAt(1) !== 123 || src.charCodeAt(3) !== 47 || src.charCodeAt(4) !== 42) return undefined;
    const m = ESCAPED.exec(src.slice(0, MAX_TAG));
    return m && (m[1] === '<') === (m[3] === '>') ? ({ type: 'text', raw: m[0], text: `{{${m[1]}${m[2]}${m[3]}}}` } as Tokens.Text) : undefined;
  },
};
const ESCAPED = /^\{\{([<%])\/\*([^\n]*?)\*\/([>%])\}\}/;

// Hugo's escaped shortcodes, `{{</* x */>}}` and `{{%/* x */%}}`, as Hugo shows them: `{{< x >}}`.
export function unescapeShortcodes(text: string): string {
  return text.includes('{{') ? text.replace(/\{\{([<%])\/\*([^\n]{0,1000}?)\*\/([>%])\}\}/g, '{{$1$2$3}}') : text;
}
