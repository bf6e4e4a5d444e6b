// The HTML-parsing seam. HTML that holds raw HTML from the Markdown goes through parse5, which repairs it
// exactly as a browser would. HTML that Marked wrote all by itself is already well nested, and a small
// tokenizer builds the same tree several times faster (a property test checks the two agree). So does raw
// HTML made only of comments and inline tags that a browser never closes or moves by itself (`<!-- -->`,
// `<a name="x"></a>`, `<code>`, `<b>`, `<br>`): half the chapters of real documentation hold some, and
// parse5 took an eighth of a build's CPU for them. While parse5 builds the tree, the formatting elements it
// carries from one block into the next (a `<code>` left open in a paragraph) are noted, for a warning.
import { decodeHTML, decodeHTMLAttribute, decodeHTMLStrict } from 'entities';
import { defaultTreeAdapter, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { PHRASING } from './sanitize-policy.js';

/** The comment markdown.ts puts before raw HTML, giving its source span; defined here, where the parser looks for it, so that the two files do not import each other. */
export const POS_COMMENT = 'quire-pos:';
/**
 * The attribute of an element in HTML that quire wrote in a block's place (a MyST toctree's links) that says
 * where, in that block as written, the element stands: its diagnostics point there, not at the block's start.
 */
export const OFFSET_ATTR = 'data-quire-offset';

export type P5Node = DefaultTreeAdapterMap['childNode'];
export type P5Element = DefaultTreeAdapterMap['element'];
type P5Parent = DefaultTreeAdapterMap['parentNode'];

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const VOID = new Set(['br', 'hr', 'img', 'input', 'wbr', 'col', 'area', 'base', 'embed', 'link', 'meta', 'source', 'track']);

export interface Parsed {
  nodes: P5Node[];
  /** Where each `<table>` starts in the article (source offsets) that was ended before Markdown it held outside its cells. */
  tablesEnded: number[];
  /** Formatting elements of raw HTML left open that the parser carried into the blocks after theirs. */
  leftOpen: LeftOpen[];
}

export interface LeftOpen {
  /** The element's start tag, as a source offset. */
  pos: number;
  tag: string;
  /** How many blocks after its own it reaches into. */
  blocks: number;
  /** Whether it holds the chapter's last text. */
  toEnd: boolean;
  /** The source offset of the end tag that closes it, when one does (also when that is at the chapter's end). */
  closing?: number;
}

/** Parse an HTML fragment; `trusted` when Marked wrote all of it (no raw HTML from the article). */
export function parseHtml(html: string): Parsed {
  // Raw HTML from the article but the simplest, and MathML (foreign content), go through parse5.
  const trusted = !html.includes('<math') && simpleRawHtml(html);
  const nodes = trusted && parseTrusted(html);
  return nodes ? { nodes, tablesEnded: [], leftOpen: [] } : parseWithParse5(html);
}

/** Inline elements that the HTML parser never closes, opens or moves by itself when they are well nested. */
const SIMPLE_TAGS = new Set(['a', 'abbr', 'b', 'br', 'cite', 'code', 'del', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'var', 'wbr']);
/** Made on first use: markdown.ts, which defines POS_COMMENT, imports this module too. */
let rawSpan: RegExp | undefined;

interface RawSpan {
  from: number;
  to: number;
  source: number;
}

/**
 * The pieces of raw HTML in `html`, in order: each follows a `<!--quire-pos:start:end-->` comment and is
 * end - start characters long, as Marked copies it. `from` and `to` are offsets in `html`, `source` the
 * piece's offset in the article.
 */
function* rawSpans(html: string): Generator<RawSpan> {
  const RAW_SPAN = (rawSpan ??= new RegExp(`<!--${POS_COMMENT}(\\d+):(\\d+)-->`, 'g'));
  RAW_SPAN.lastIndex = 0;
  for (let m = RAW_SPAN.exec(html); m; m = RAW_SPAN.exec(html)) {
    const from = m.index + m[0].length;
    yield { from, to: from + Number(m[2]) - Number(m[1]), source: Number(m[1]) };
  }
}

/**
 * Whether every piece of raw HTML (rawSpans) is only text, comments and simple inline tags written in the
 * form the small tokenizer reads (attribute values in double quotes). Nesting is checked by the tokenizer.
 */
function simpleRawHtml(html: string): boolean {
  if (!html.includes(`<!--${POS_COMMENT}`)) return true;
  for (const { from, to } of rawSpans(html)) {
    const raw = html.slice(from, to);
    for (let i = raw.indexOf('<'); i !== -1; i = raw.indexOf('<', i + 1)) {
      // A `<` that cannot start a tag or a comment is text, to parse5 as to the tokenizer.
      if (!/[a-zA-Z/!?]/.test(raw[i + 1] ?? '')) continue;
      TAG_AT.lastIndex = i;
      const t = TAG_AT.exec(raw);
      if (!t) return false;
      if (t[0].startsWith('<!--')) {
        // parse5 ends `<!-->` and `<!--->` at once, and a comment at `--!>`.
        if (/^<!---?>/.test(t[0]) || t[0].includes('--!>')) return false;
      } else if (!SIMPLE_TAGS.has(t[2]!.toLowerCase())) return false;
      i += t[0].length - 1;
    }
  }
  return true;
}

/**
 * Parse with parse5, as a browser would, but for one repair. A `<table>` of raw HTML left open (its
 * `</table>` forgotten, or hidden in a comment left open) before the Markdown after it: a browser moves
 * that Markdown's text and elements above the table ("foster parenting"), so that the chapter read out of
 * order. The table is ended where the first of them starts, and the fragment parsed again; the source
 * offset of each table so ended is handed back for a warning. Raw HTML that puts text between a table's
 * rows itself is parsed as written (a browser shows it above the table too, and the author wrote it so).
 */
export function parseWithParse5(html: string): Parsed {
  let fostered = false;
  const copies = new FormattingCopies();
  const noting = { ...defaultTreeAdapter, insertBefore: note(defaultTreeAdapter.insertBefore), insertTextBefore: note(defaultTreeAdapter.insertTextBefore), ...copies.adapter };
  function note<F extends (...args: never[]) => void>(insert: F): F {
    return ((...args: never[]) => {
      fostered = true;
      insert(...args);
    }) as F;
  }
  const nodes = parseFragment(html, { scriptingEnabled: false, treeAdapter: noting }).childNodes;
  return (fostered && endTablesBeforeMarkdown(html)) || { nodes, tablesEnded: [], leftOpen: copies.leftOpen(html, nodes) };
}

/**
 * The formatting elements the HTML parser "reconstructs": one left open when its block ends (`A <code>x`
 * at the end of a paragraph) is made again, a copy with the same attributes, around the text of every block
 * after it, to the end of the chapter or to its end tag, as a browser shows it.
 */
const RECONSTRUCTED = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);

interface Original {
  element: P5Element;
  /** The raw-HTML span (its source offset) the element was made in, and which of that span's elements of its name it is. */
  span: number | undefined;
  nth: number;
  /** Its copies, and the span the parser was in when the last was made. */
  copies: P5Element[];
  lastSpan: number | undefined;
}

/**
 * Watches parse5 make elements, to find formatting elements left open. parse5 makes each copy of one from
 * the same start tag, whose attribute list is handed to createElement every time: an element made with a
 * list already seen is a copy of the one first made with it. Nothing else is looked at again after the parse.
 */
class FormattingCopies {
  private readonly originals = new Map<unknown[], Original>();
  private span: number | undefined;
  private made = new Map<string, number>();
  private copied = false;
  readonly adapter = {
    createCommentNode: (data: string) => {
      if (data.startsWith(POS_COMMENT)) {
        this.span = parseInt(data.slice(POS_COMMENT.length), 10);
        this.made.clear();
      }
      return defaultTreeAdapter.createCommentNode(data);
    },
    createElement: (tagName: string, namespaceURI: DefaultTreeAdapterMap['element']['namespaceURI'], attrs: DefaultTreeAdapterMap['element']['attrs']) => {
      const element = defaultTreeAdapter.createElement(tagName, namespaceURI, attrs);
      if (!RECONSTRUCTED.has(tagName)) return element;
      const original = this.originals.get(attrs);
      if (original) {
        // A copy is not the anchor its original is: with its id (an `<a>`'s name) too, each block after an
        // `<a name="x">` left open was an anchor of its own, `x-1`, `x-2`… to the end of the chapter.
        if (attrs.some((a) => a.name === 'id' || (a.name === 'name' && tagName === 'a'))) element.attrs = attrs.filter((a) => a.name !== 'id' && (a.name !== 'name' || tagName !== 'a'));
        original.copies.push(element);
        original.lastSpan = this.span;
        this.copied = true;
      } else {
        const nth = (this.made.get(tagName) ?? 0) + 1;
        this.made.set(tagName, nth);
        this.originals.set(attrs, { element, span: this.span, nth, copies: [], lastSpan: this.span });
      }
      return element;
    },
  };

  /**
   * Each element of raw HTML whose copies show text in blocks after its own. An `<a>` without `href` is
   * left out: a copy of an anchor changes nothing the reader sees.
   */
  leftOpen(html: string, nodes: P5Node[]): LeftOpen[] {
    // (Without raw HTML, no element is left open: Marked's own are closed.)
    if (!this.copied && this.span === undefined) return [];
    const watched = new Map<P5Node, Original>();
    for (const o of this.originals.values()) {
      // One never copied is left open when it holds the blocks after it (`<b>` alone on its line, never closed).
      if (o.span === undefined || (!o.copies.length && !holdsBlock(o.element))) continue;
      if (o.element.tagName === 'a' && !o.element.attrs.some((a) => a.name === 'href')) continue;
      watched.set(o.element, o);
      for (const copy of o.copies) watched.set(copy, o);
    }
    if (!watched.size) return [];
    const reach = reachOf(nodes, watched);
    const found: LeftOpen[] = [];
    const spans = [...rawSpans(html)];
    const spanAt = new Map(spans.map((s) => [s.source, s]));
    const startTags = new Map<string, number[]>();
    const endTags = new Map<string, number[]>();
    for (const o of new Set(watched.values())) {
      const r = reach.get(o);
      if (!r || r.blocks <= 0) continue;
      const tag = o.element.tagName;
      const span = spanAt.get(o.span!)!;
      // Its start tag: the nth of its name in its span, else the span's start.
      const key = `${span.source}:${tag}`;
      const starts = startTags.get(key) ?? startTags.set(key, tagsIn(new RegExp(`<${tag}[\\s/>]`, 'gi'), [span], html)).get(key)!;
      const ends = endTags.get(tag) ?? endTags.set(tag, tagsIn(new RegExp(`</${tag}[\\s>]`, 'gi'), spans, html)).get(tag)!;
      const pos = starts[o.nth - 1];
      // Not a start tag of the raw HTML: Marked's own element (a link, an emphasis) around raw HTML's block
      // (`[<div>card</div>](…)`), which Marked closes; the parser's copy of it is around that block only.
      if (pos === undefined) continue;
      // Holding blocks without copies, it is left open only if no end tag follows (`<a href>` around blocks).
      if (!o.copies.length && firstFrom(ends, pos) < ends.length) continue;
      // An element that its own raw HTML block closes (`<a href="x"><div>…</div></a>` there) is that HTML's
      // own nesting, which the parser repairs inside the block; one left open there runs on into the Markdown.
      const spanEnd = span.source + span.to - span.from;
      if (firstFrom(ends, spanEnd) - firstFrom(ends, pos) > firstFrom(starts, spanEnd) - firstFrom(starts, pos + 1)) continue;
      const closing = o.lastSpan === o.span ? undefined : ends[firstFrom(ends, o.lastSpan ?? 0)];
      found.push({ pos, tag, blocks: r.blocks, toEnd: r.toEnd, ...(closing !== undefined && { closing }) });
    }
    return found.sort((a, b) => a.pos - b.pos);
  }
}

/**
 * How far each watched element reaches, in one walk of the fragment in document order: how many blocks
 * after its own show text before its last copy ends, and whether that copy holds the last text shown
 * (the chapter's end). Blocks are numbered as their first text is met; the copies the parser makes
 * between blocks hold only line breaks and count for none.
 */
function reachOf(nodes: P5Node[], watched: Map<P5Node, Original>): Map<Original, { blocks: number; toEnd: boolean }> {
  const numbers = new Map<P5Parent, number>();
  let number = 0;
  let texts = 0;
  const entered = new Map<Original, number>();
  const left = new Map<Original, { number: number; texts: number }>();
  /** The block each watched original is in, met on the way down. */
  const blocks = new Map<Original, P5Parent>();
  const ENTER = 0;
  const LEAVE = 1;
  // Each node goes down with the block it is in (blockOf), its parent's: one step for each node, where
  // looking up from each text went through all the formatting around it again, every time.
  const stack: [P5Node, number, P5Parent | undefined][] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push([nodes[i]!, ENTER, undefined]);
  while (stack.length) {
    const [n, phase, known] = stack.pop()!;
    const o = watched.get(n);
    if (phase === LEAVE) {
      if (n === (o!.copies[o!.copies.length - 1] ?? o!.element)) left.set(o!, { number, texts });
      continue;
    }
    const block = known ?? blockOf(n);
    if (n.nodeName === '#text') {
      if (!(n as DefaultTreeAdapterMap['textNode']).value.trim()) continue;
      texts++;
      if (!numbers.has(block)) numbers.set(block, ++number);
      continue;
    }
    if (!('childNodes' in n)) continue;
    if (o) {
      if (n === o.element) {
        entered.set(o, number);
        blocks.set(o, block);
      }
      stack.push([n, LEAVE, undefined]);
    }
    const inside = 'tagName' in n && isInline(n.tagName) && n.parentNode ? block : n;
    const children = n.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, ENTER, inside]);
  }
  const reach = new Map<Original, { blocks: number; toEnd: boolean }>();
  for (const [o, end] of left) {
    const own = numbers.get(blocks.get(o) ?? blockOf(o.element)) ?? entered.get(o) ?? 0;
    reach.set(o, { blocks: end.number - own, toEnd: end.texts === texts });
  }
  return reach;
}

/** Whether an element of this name is inline: phrasing content, or a formatting element the parser carries on. */
function isInline(tagName: string): boolean {
  return PHRASING.has(tagName) || RECONSTRUCTED.has(tagName);
}

/** Whether an element holds a block (an element that is not inline). */
function holdsBlock(element: P5Element): boolean {
  return element.childNodes.some((c) => 'tagName' in c && !isInline(c.tagName));
}

/** The source offsets of the matches of `tag` (a global expression) in the raw HTML of `spans`, in the source's order. */
function tagsIn(tag: RegExp, spans: RawSpan[], html: string): number[] {
  const found: number[] = [];
  for (const s of spans) {
    const raw = html.slice(s.from, s.to);
    tag.lastIndex = 0;
    for (let m = tag.exec(raw); m; m = tag.exec(raw)) found.push(s.source + m.index);
  }
  // In the order of the source, which firstFrom bisects: a footnote's text is written after the chapter's
  // blocks, and an end tag of the article's last lines was not found after a start tag before the footnote's.
  return found.sort((a, b) => a - b);
}

/** The index of the first of the sorted `offsets` at or after `from` (their length if none), by bisection. */
function firstFrom(offsets: number[], from: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The nearest ancestor of an element that is a block (not phrasing content), or the fragment. */
function blockOf(node: P5Node): P5Parent {
  let parent = node.parentNode as P5Parent;
  while ('tagName' in parent && isInline(parent.tagName) && parent.parentNode) parent = parent.parentNode as P5Parent;
  return parent;
}

type Located = P5Node & { sourceCodeLocation?: { startOffset: number } | null };

/** The repair of parseWithParse5, or undefined when no table moved Markdown: only raw HTML moved. */
function endTablesBeforeMarkdown(html: string): Parsed | undefined {
  const spans = [...rawSpans(html)];
  // The span holding an offset of `html`, by bisection (spans are in order and do not overlap).
  const spanOf = (offset: number) => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = spans[mid]!;
      if (offset < span.from) hi = mid - 1;
      else if (offset >= span.to) lo = mid + 1;
      else return span;
    }
    return undefined;
  };
  // What was moved before which table, looked at once parse5 has located it (a text node only after the
  // insertion returns): the text node is the table's sibling before it.
  const moved: [P5Node, P5Node][] = [];
  const located = {
    ...defaultTreeAdapter,
    insertBefore(parent: P5Parent, node: P5Node, table: P5Node) {
      defaultTreeAdapter.insertBefore(parent, node, table);
      moved.push([node, table]);
    },
    insertTextBefore(parent: P5Parent, text: string, table: P5Node) {
      defaultTreeAdapter.insertTextBefore(parent, text, table);
      const siblings = parent.childNodes;
      moved.push([siblings[siblings.lastIndexOf(table as P5Node) - 1]!, table]);
    },
  };
  parseFragment(html, { scriptingEnabled: false, sourceCodeLocationInfo: true, treeAdapter: located });
  // Each table that moved Markdown (not raw HTML), and where the first of that Markdown starts.
  const firstMoved = new Map<P5Node, number>();
  for (const [node, table] of moved) {
    const at = (node as Located).sourceCodeLocation?.startOffset;
    if (at === undefined || spanOf(at)) continue;
    const before = firstMoved.get(table);
    if (before === undefined || at < before) firstMoved.set(table, at);
  }
  if (firstMoved.size === 0) return undefined;
  const tablesEnded: number[] = [];
  for (const table of firstMoved.keys()) {
    const at = (table as Located).sourceCodeLocation?.startOffset;
    const span = at === undefined ? undefined : spanOf(at);
    if (span) tablesEnded.push(span.source + at! - span.from);
  }
  const cuts = [...new Set(firstMoved.values())].sort((a, b) => a - b);
  let repaired = '';
  let last = 0;
  for (const cut of cuts) {
    repaired += html.slice(last, cut) + '</table>';
    last = cut;
  }
  repaired += html.slice(last);
  const copies = new FormattingCopies();
  const nodes = parseFragment(repaired, { scriptingEnabled: false, treeAdapter: { ...defaultTreeAdapter, ...copies.adapter } }).childNodes;
  return { nodes, tablesEnded: tablesEnded.sort((a, b) => a - b), leftOpen: copies.leftOpen(repaired, nodes) };
}

const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>|<!--[^]*?-->/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:="([^"]*)")?/g;
const TAG_AT = new RegExp(TOKEN.source, 'y');

/** The tree of HTML Marked wrote, or undefined if it is not nested as expected (parse5 then repairs it). */
function parseTrusted(html: string): P5Node[] | undefined {
  const root = { nodeName: '#document-fragment', childNodes: [] as P5Node[] } as unknown as P5Parent;
  const stack: P5Parent[] = [root];
  let last = 0;
  const text = (raw: string) => {
    if (!raw) return;
    const parent = stack[stack.length - 1]!;
    const value = raw.includes('&') ? decodeHTML(raw) : raw;
    const prev = parent.childNodes[parent.childNodes.length - 1];
    if (prev && prev.nodeName === '#text') (prev as DefaultTreeAdapterMap['textNode']).value += value;
    else parent.childNodes.push({ nodeName: '#text', value, parentNode: parent } as unknown as P5Node);
  };
  // exec() loops rather than matchAll(): no iterator and no copy of the expression for each call.
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    text(html.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].startsWith('<!--')) {
      // Kept as parse5 keeps them: the sanitiser reads the source positions of raw HTML from them.
      const parent = stack[stack.length - 1]!;
      parent.childNodes.push({ nodeName: '#comment', data: m[0].slice(4, -3), parentNode: parent } as unknown as P5Node);
      continue;
    }
    const [, closing, name, attrText] = m as unknown as [string, string, string, string];
    const tagName = name.toLowerCase();
    if (closing) {
      if ((stack[stack.length - 1] as P5Element).tagName !== tagName) return undefined;
      stack.length--;
      continue;
    }
    // A link inside a link (a footnote reference in link text): browsers split them; parse5 does it right.
    if (tagName === 'a' && stack.some((e) => (e as P5Element).tagName === 'a')) return undefined;
    const attrs: { name: string; value: string }[] = [];
    ATTRIBUTE.lastIndex = 0;
    for (let a = ATTRIBUTE.exec(attrText); a; a = ATTRIBUTE.exec(attrText)) {
      const value = a[2] ?? '';
      const attrName = a[1]!.toLowerCase();
      // The first of two attributes of the same name wins, as in parse5 (raw HTML may repeat one).
      if (!attrs.some((x) => x.name === attrName)) attrs.push({ name: attrName, value: value.includes('&') ? decodeHTMLAttribute(value) : value });
    }
    const parent = stack[stack.length - 1]!;
    const element = { nodeName: tagName, tagName, attrs, namespaceURI: HTML_NS, childNodes: [], parentNode: parent } as unknown as P5Element;
    parent.childNodes.push(element);
    if (!VOID.has(tagName)) stack.push(element);
  }
  text(html.slice(last));
  return stack.length === 1 ? root.childNodes : undefined;
}

/**
 * Write `&name;` as text when HTML has no such entity. CommonMark keeps `&notarealentity;` as written, but an
 * HTML parser reads the longest legacy entity it starts with (`&not` is "¬").
 */
export function escapeUnknownEntities(html: string): string {
  if (!html.includes('&')) return html;
  return html.replace(/&([A-Za-z][A-Za-z0-9]*;)/g, (ref: string, rest: string) => (decodeHTMLStrict(ref) === ref ? `&amp;${rest}` : ref));
}
