// Stage: render (Markdown). The Liquid tags of Jekyll's posts that hold or hide text: `{% highlight ruby %}` …
// `{% endhighlight %}`, a code block (older Jekyll blogs write every listing so); `{% raw %}` and
// `{% endraw %}`, which the site does not show (they keep `{{ }}` from Liquid); `{% comment %}` …
// `{% endcomment %}`, which the site leaves out, as HTML comments are. They showed in the book as written.
// Other tags (`{% include %}`, `{% link %}`) are the site's own and stay as written.
import type { TokenizerExtension, Tokens } from 'marked';
import { containerToken, MAX_CONTAINER_DEPTH, searchWithin, type ContainerState, type Info } from './containers.js';
import { fencedLines } from '../articles/markdown-code.js';

const OPEN = /^ {0,3}\{%-?[ \t]*(highlight|comment)\b[ \t]*([^\s%]*)[^%\n]*?-?%\}[ \t]*(?:\n|$)/;
const CLOSE: Record<string, RegExp> = { highlight: /\{%-?[ \t]*endhighlight[ \t]*-?%\}[ \t]*(?:\n|$)/g, comment: /\{%-?[ \t]*endcomment[ \t]*-?%\}[ \t]*(?:\n|$)/g };
/** `{% raw %}` or `{% endraw %}` alone on a line. */
const RAW_LINE = /^ {0,3}\{%-?[ \t]*(end)?raw[ \t]*-?%\}[ \t]*(?:\n|$)/;
const END_RAW = /\{%-?[ \t]*endraw[ \t]*-?%\}/g;

/** Jekyll's Liquid blocks, reading the render's state (shared with the containers: its bound) from `state()`. */
export function liquidExtension(state: () => ContainerState): TokenizerExtension {
  return {
    name: 'liquid',
    level: 'block',
    tokenizer(src) {
      const s = state();
      if (!s.liquid || !/^ {0,3}\{%/.test(src)) return undefined;
      // A raw tag alone on its line, when it is one of a pair: the text between them stays.
      const raw = RAW_LINE.exec(src);
      if (raw) {
        const closing = raw[1] !== undefined;
        if (closing ? !s.rawOpen : !searchWithin(END_RAW, src, raw[0].length, s.budget)) return undefined;
        s.rawOpen = (s.rawOpen ?? 0) + (closing ? -1 : 1);
        return { type: 'space', raw: raw[0], quireRawLine: closing ? -1 : 1 } as Tokens.Space;
      }
      const book = s.depth < MAX_CONTAINER_DEPTH ? gitbookBlock(this.lexer, s, src) : undefined;
      if (book) return book;
      const open = OPEN.exec(src);
      const end = open && searchWithin(CLOSE[open[1]!]!, src, open[0].length, s.budget);
      if (!open || !end) return undefined;
      const all = src.slice(0, end.index + end[0].length);
      if (open[1] === 'comment') return { type: 'space', raw: all } as Tokens.Space;
      const text = src.slice(open[0].length, end.index).replace(/\n$/, '');
      return { type: 'code', raw: all, lang: open[2] ?? '', text } as Tokens.Code;
    },
  };
}

/**
 * Text without the `{% raw %}` and `{% endraw %}` of each pair, as the site shows it (in code too). A tag
 * without its other half is text: a changelog's "Wrap the sample in {% raw %}" names it. `lines.open` counts
 * the raw tags alone on their lines (liquidExtension) still open, in the order of the text: the endraw tags
 * that start `text`, before any raw tag, are theirs and go too (systemd's HACKING.md opens with `{% raw %}` on
 * a line and closes in a sentence, "`{% raw %} … `{% endraw %}`", where the endraw tag showed).
 */
export function withoutRawTags(text: string, lines?: { open: number }): string {
  if (!text.includes('{%') || !text.includes('endraw')) return text;
  let head = '';
  let from = 0;
  if (lines && lines.open > 0) {
    const tags = new RegExp(RAW_TAG.source, 'g');
    for (let m = tags.exec(text); m && m[1] !== undefined && lines.open > 0; m = tags.exec(text)) {
      head += text.slice(from, m.index);
      from = m.index + m[0].length;
      lines.open--;
    }
  }
  const rest = from === 0 ? text : text.slice(from);
  let out = '';
  let last = 0;
  for (const p of rawPairs(rest)) {
    out += rest.slice(last, p.open) + rest.slice(p.openEnd, p.close);
    last = p.closeEnd;
  }
  return head + (last === 0 ? rest : out + rest.slice(last));
}

/**
 * The `{% raw %}` … `{% endraw %}` pairs of `text`, in one pass over the tags: a raw tag opens, the next
 * endraw tag closes (a raw tag between them is text, as in Liquid). A pattern looking from each raw tag for
 * its endraw read a text of raw tags again from each one: 20,000 of them before one endraw took 14.5 s.
 */
function* rawPairs(text: string): Generator<{ open: number; openEnd: number; close: number; closeEnd: number }> {
  let open = -1;
  let openEnd = -1;
  for (const m of text.matchAll(RAW_TAG)) {
    if (m[1] === undefined) {
      if (open === -1) [open, openEnd] = [m.index!, m.index! + m[0].length];
    } else if (open !== -1) {
      yield { open, openEnd, close: m.index!, closeEnd: m.index! + m[0].length };
      open = -1;
    }
  }
}
const RAW_TAG = /\{%-?[ \t]*(end)?raw[ \t]*-?%\}/g;

/**
 * Text without the lines that only a pair's `{% raw %}` and `{% endraw %}` fill, outside code, as the site
 * shows it: Liquid takes the tags out before Markdown is read. A block rule read them as blank lines: one
 * between a list's items (`- a` / `{% raw %}` / `- b {{ x }}`) showed in the item before (the line went on
 * its text), or, after a blank line, ended the list, the items after it a list of their own. Such a line is
 * joined to the line before, between two lines of text, a space for its line break, its tag made spaces and
 * the last one a tab, which breaks no line (as an Obsidian comment's line is, obsidian.ts); elsewhere it is
 * made blank, which ends no list. The text's length is kept, so that offsets stay the text's. A pair
 * with a tag in a sentence or in code is left to the block rule and withoutRawTags.
 */
export function withoutRawLines(body: string): string {
  if (!body.includes('endraw')) return body;
  // The lines of the pairs whose two tags are alone on their lines, outside code.
  const starts = [0];
  for (let nl = body.indexOf('\n'); nl !== -1; nl = body.indexOf('\n', nl + 1)) starts.push(nl + 1);
  const lines = body.split('\n');
  const fenced = fencedLines();
  const inCode = lines.map((l) => fenced(l));
  const tagLines = new Set<number>();
  let line = 0;
  const lineAt = (at: number) => {
    while (line + 1 < starts.length && starts[line + 1]! <= at) line++;
    return line;
  };
  const alone = (i: number) => !inCode[i] && RAW_LINE.test(lines[i]!);
  for (const p of rawPairs(body)) {
    const open = lineAt(p.open);
    const close = lineAt(p.close);
    if (open !== close && alone(open) && alone(close)) tagLines.add(open).add(close);
  }
  if (!tagLines.size) return body;
  const text = (i: number) => !inCode[i] && !tagLines.has(i) && lines[i]!.trim() !== '';
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    if (!tagLines.has(i)) {
      out += (i ? '\n' : '') + lines[i]!;
      continue;
    }
    let j = i;
    while (tagLines.has(j + 1)) j++;
    const join = i > 0 && text(i - 1) && j + 1 < lines.length && text(j + 1);
    for (let k = i; k <= j; k++) {
      const spaces = ' '.repeat(lines[k]!.length - 1);
      // (A line before that ends in a hard break as written, two spaces, keeps it: the spaces after it go on.)
      out += join ? ` ${spaces}${k < j || / {2}$/.test(lines[i - 1]!) ? ' ' : '\t'}` : `${k ? '\n' : ''}${spaces} `;
    }
    i = j;
  }
  return out;
}

/** Where the first line after `src`'s first that is only `{% endraw %}` starts; -1 when none is found. */
export function rawEndLine(src: string, state: ContainerState): number {
  const m = searchWithin(RAW_END_LINE, src, 0, state.budget);
  return m ? m.index + 1 : -1;
}
const RAW_END_LINE = /\n {0,3}\{%-?[ \t]*endraw[ \t]*-?%\}[ \t]*(?=\n|$)/g;

/**
 * A Jekyll link's or image's destination written in Liquid: `{% post_url 2019-01-01-title %}` (the post),
 * `{% link _posts/2019-01-01-title.md %}`, `{{ site.baseurl }}/about/`, `{{ "/assets/a.png" | relative_url }}`.
 * Marked took none of them for a destination (they hold spaces), and the link showed as written. Each is
 * read as the site-absolute path it stands for (`/2019-01-01-title.html`, `/about/`), which the link stage
 * finds in the articles folder, the site's root, as it finds other site paths; any other Liquid stays as
 * written. The same contract as withRefDestination (shortcodes.ts): the start of `src` rewritten, where.
 */
export function withLiquidDestination(src: string): { src: string; at: number; shorter: number } | undefined {
  const head = src.slice(0, 2048);
  if (!head.includes('({{') && !head.includes('({%') && !head.includes('( {')) return undefined;
  const m = LIQUID_DESTINATION.exec(head);
  if (!m) return undefined;
  let path = '';
  for (const piece of m[1]!.match(LIQUID_PIECE)!) {
    const site = /^\{\{-?[ \t]*site\.(?:baseurl|url|github\.url)[ \t]*-?\}\}$/.exec(piece);
    const filtered = /^\{\{-?[ \t]*(?:"([^"]*)"|'([^']*)')[ \t]*\|[ \t]*(?:relative_url|absolute_url|prepend:[ \t]*site\.(?:baseurl|url))[ \t]*-?\}\}$/.exec(piece);
    const tag = /^\{%-?[ \t]*(post_url|link)[ \t]+([^\s%]+)[ \t]*-?%\}$/.exec(piece);
    if (site) continue;
    if (filtered) path += filtered[1] ?? filtered[2];
    else if (tag?.[1] === 'post_url') path += `/${tag[2]}.html`;
    else if (tag) path += `/${tag[2]!.replace(/^\/?_posts\//, '')}`;
    else return undefined;
  }
  // The site's address alone is its root.
  const dest = path + m[2]! || '/';
  if (/[\s()<>]/.test(dest)) return undefined;
  const replaced = `](${dest}`;
  return { src: head.slice(0, m.index) + replaced + head.slice(m.index + m[0].length), at: m.index, shorter: m[0].length - replaced.length };
}
/** `](`, Liquid output and tags, then the rest of the destination up to its end (a space, or the parenthesis). */
const LIQUID_DESTINATION = /\]\(\s*((?:\{\{-?[^{}\n]{0,200}?-?\}\}|\{%-?[^{}%\n]{0,200}?-?%\})+)([^\s()<>{}]*)(?=[)\s"'])/;
const LIQUID_PIECE = /\{\{-?[^{}\n]{0,200}?-?\}\}|\{%-?[^{}%\n]{0,200}?-?%\}/g;

/**
 * GitBook's blocks, as a GitBook-synced repository writes them: `{% hint style="info" %}` … `{% endhint %}`
 * a box of that kind, `{% tabs %}` with `{% tab title="npm" %}` boxes titled by their tab, `{% code
 * title="app.js" %}` a box titled by the file's name around its code, `{% embed url="…" %}` and `{% file
 * src="…" %}` links (their caption, when they are closed, after them), and the tags that only lay out
 * (`{% content-ref %}`, `{% stepper %}`, `{% step %}`, `{% columns %}`, `{% column %}`) their content. They
 * showed as written, tags and attributes in the text, their quotes curled.
 */
function gitbookBlock(lexer: Parameters<typeof containerToken>[0], s: ContainerState, src: string): Tokens.Generic | undefined {
  const open = GITBOOK_OPEN.exec(src);
  // A tag written between `{% raw %}` and `{% endraw %}` (a page that shows how to write them) is text: so
  // is one written the same way elsewhere in that document.
  if (!open || s.rawTags?.has(open[0].trim())) return undefined;
  const name = open[1]!;
  const attrs = new Map<string, string>();
  for (const m of open[2]!.matchAll(/([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)')/g)) attrs.set(m[1]!, (m[2] ?? m[3] ?? '').trim());
  const close = new RegExp(`\\{%-?[ \\t]*end${name}[ \\t]*-?%\\}[ \\t]*(?:\\n|$)`, 'g');
  let end = searchWithin(close, src, open[0].length, s.budget);
  // An embed or a file closed only after the next one is not closed (`{% embed %}` alone is one).
  if (end && (name === 'embed' || name === 'file') && new RegExp(`\\{%-?[ \\t]*${name}\\b`).test(src.slice(open[0].length, end.index))) end = null;
  const target = attrs.get('url') ?? attrs.get('src');
  if (name === 'embed' || name === 'file') {
    if (!target) return undefined;
    const raw = end ? src.slice(0, end.index + end[0].length) : open[0];
    const caption = end ? src.slice(open[0].length, end.index).trim() : '';
    const link = `[${(caption.split('\n')[0] || target).replace(/[[\]\\]/g, '\\$&')}](<${target.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    const rest = caption.split('\n').slice(1).join('\n').trim();
    return containerToken(lexer, s, raw, { kind: undefined, classes: [name], id: undefined, title: undefined }, rest ? `${link}\n\n${rest}\n` : `${link}\n`);
  }
  if (!end) return undefined;
  const raw = src.slice(0, end.index + end[0].length);
  const body = `${src.slice(open[0].length, end.index).replace(/\n$/, '')}\n`;
  const style = attrs.get('style')?.toLowerCase();
  const info: Info =
    name === 'hint'
      ? { kind: HINT_KINDS[style ?? 'info'] ?? 'note', classes: ['hint'], id: undefined, title: undefined }
      : { kind: undefined, classes: [name], id: undefined, title: name === 'tab' || name === 'code' || name === 'step' ? attrs.get('title') || undefined : undefined };
  return containerToken(lexer, s, raw, info, body);
}
/** A GitBook block's opening tag on a line of its own: its name and attributes. */
const GITBOOK_OPEN = /^ {0,3}\{%-?[ \t]*(hint|tabs|tab|code|content-ref|stepper|step|columns|column|embed|file)\b([^%\n]*?)-?%\}[ \t]*(?:\n|$)/;
/** A hint's style, as the box's kind. */
const HINT_KINDS: Record<string, string> = { info: 'note', success: 'tip', warning: 'warning', danger: 'caution' };

/**
 * The Liquid tags and outputs written between a document's `{% raw %}` and `{% endraw %}` tags, as written
 * (`{{ site.title }}`, `{% hint style="info" %}`): written so elsewhere in the document, they are text too.
 * Undefined when it has none. (The text between the tags, searched for each tag, took seconds for a document
 * of many raw pairs.)
 */
export function rawTags(text: string): ReadonlySet<string> | undefined {
  if (!text.includes('endraw')) return undefined;
  const tags = new Set<string>();
  for (const p of rawPairs(text)) for (const m of text.slice(p.openEnd, p.close).matchAll(LIQUID_TAG)) tags.add(m[0]);
  return tags.size ? tags : undefined;
}
const LIQUID_TAG = /\{\{[^\n]{0,500}?\}\}|\{%[^\n]{0,500}?%\}/g;

/**
 * `text` with each Liquid output of a Jekyll page's or site's variable (`{{ page.title }}`, `{{ site.author.name
 * }}`) replaced by its value, as Jekyll shows it: `values` holds them by name (`page.title`, `site.title`).
 * Jekyll reads Liquid before Markdown, in code too; what stands between `{% raw %}` and `{% endraw %}` (in
 * `text`, or, as one of `rawTags`, anywhere in the document) is not read. A variable without a value, or with a
 * filter other than those that change nothing in a book (`escape`) or only letters' case and spaces, stays
 * as written: it is text the author wrote, and Jekyll's empty output for it would hide that.
 */
export function withLiquidValues(text: string, values: Readonly<Record<string, string>>, rawTags?: ReadonlySet<string>): string {
  if (!text.includes('{{')) return text;
  // The parts of `text` outside raw pairs are read, the raw tags themselves are left for withoutRawTags.
  const read = (part: string) => part.replace(LIQUID_OUTPUT, (tag: string, name: string, filters: string | undefined) => {
    if (rawTags?.has(tag)) return tag;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return tag;
    return filtered(value, filters ?? '') ?? tag;
  });
  let out = '';
  let last = 0;
  for (const p of rawPairs(text)) {
    out += read(text.slice(last, p.open)) + text.slice(p.open, p.closeEnd);
    last = p.closeEnd;
  }
  return out + read(text.slice(last));
}
/** `{{ page.x }}`, `{{ site.x.y | upcase }}`: the variable's name and its filters. */
const LIQUID_OUTPUT = /\{\{-?[ \t]*((?:page|site)(?:\.[A-Za-z_][\w-]{0,100}){1,5})((?:[ \t]*\|[ \t]*[a-z_]{1,20}){0,5})[ \t]*-?\}\}/g;

/** `value` through Liquid's `filters` (`| upcase | strip`); undefined when one is not among those read. */
function filtered(value: string, filters: string): string | undefined {
  let out = value;
  for (const name of filters.split('|').slice(1).map((f) => f.trim())) {
    const filter = FILTERS[name];
    if (!filter) return undefined;
    out = filter(out);
  }
  return out;
}
/**
 * The filters read: the escaping ones change nothing once the text is escaped as the book's text is (Jekyll's
 * `{{ site.title | escape }}` shows `A & B` as `{{ site.title }}` does in a book); the others change letters'
 * case or spaces, as Liquid does.
 */
const FILTERS: Record<string, (s: string) => string> = {
  escape: (s) => s,
  escape_once: (s) => s,
  xml_escape: (s) => s,
  upcase: (s) => s.toUpperCase(),
  downcase: (s) => s.toLowerCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  strip: (s) => s.trim(),
  lstrip: (s) => s.trimStart(),
  rstrip: (s) => s.trimEnd(),
};

/**
 * What a Jekyll article's `{{ page.… }}` names, from what quire reads of its front matter: its title,
 * description and language, and its author when it has one.
 */
export function pageValues(meta: { title?: string; description?: string; lang?: string; authors: readonly string[] }): Record<string, string> {
  return { ...(meta.title !== undefined && { title: meta.title }), ...(meta.description !== undefined && { description: meta.description }), ...(meta.lang !== undefined && { lang: meta.lang }), ...(meta.authors.length === 1 && { author: meta.authors[0]! }) };
}

/** The values withLiquidValues reads, by the name Liquid gives them (`site.title`, `page.title`). */
export function liquidValues(site: Readonly<Record<string, string>>, page: Readonly<Record<string, string>> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(site)) values[`site.${key}`] = value;
  for (const [key, value] of Object.entries(page)) values[`page.${key}`] = value;
  return values;
}
