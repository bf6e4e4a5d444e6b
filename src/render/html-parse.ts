// The HTML-parsing seam. HTML that holds raw HTML from the Markdown goes through parse5, which repairs it
// exactly as a browser would. HTML that Marked wrote all by itself is already well nested, and a small
// tokenizer builds the same tree several times faster (a property test checks the two agree). So does raw
// HTML made only of comments and inline tags that a browser never closes or moves by itself (`<!-- -->`,
// `<a name="x"></a>`, `<code>`, `<b>`, `<br>`): half the chapters of real documentation hold some, and
// parse5 took an eighth of a build's CPU for them.
import { decodeHTML, decodeHTMLAttribute, decodeHTMLStrict } from 'entities';
import { defaultTreeAdapter, parseFragment, type DefaultTreeAdapterMap } from 'parse5';

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
}

/** Parse an HTML fragment; `trusted` when Marked wrote all of it (no raw HTML from the article). */
export function parseHtml(html: string): Parsed {
  // Raw HTML from the article but the simplest, and MathML (foreign content), go through parse5.
  const trusted = !html.includes('<math') && simpleRawHtml(html);
  const nodes = trusted && parseTrusted(html);
  return nodes ? { nodes, tablesEnded: [] } : parseWithParse5(html);
}

/** Inline elements that the HTML parser never closes, opens or moves by itself when they are well nested. */
const SIMPLE_TAGS = new Set(['a', 'abbr', 'b', 'br', 'cite', 'code', 'del', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'var', 'wbr']);
/** Made on first use: markdown.ts, which defines POS_COMMENT, imports this module too. */
let rawSpan: RegExp | undefined;

/**
 * The pieces of raw HTML in `html`, in order: each follows a `<!--quire-pos:start:end-->` comment and is
 * end - start characters long, as Marked copies it. `from` and `to` are offsets in `html`, `source` the
 * piece's offset in the article.
 */
function* rawSpans(html: string): Generator<{ from: number; to: number; source: number }> {
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
  const noting = { ...defaultTreeAdapter, insertBefore: note(defaultTreeAdapter.insertBefore), insertTextBefore: note(defaultTreeAdapter.insertTextBefore) };
  function note<F extends (...args: never[]) => void>(insert: F): F {
    return ((...args: never[]) => {
      fostered = true;
      insert(...args);
    }) as F;
  }
  const nodes = parseFragment(html, { scriptingEnabled: false, treeAdapter: noting }).childNodes;
  if (!fostered) return { nodes, tablesEnded: [] };
  return endTablesBeforeMarkdown(html) ?? { nodes, tablesEnded: [] };
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
  return { nodes: parseFragment(repaired, { scriptingEnabled: false }).childNodes, tablesEnded: tablesEnded.sort((a, b) => a - b) };
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
