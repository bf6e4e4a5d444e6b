// The HTML-parsing seam. HTML that holds raw HTML from the Markdown goes through parse5, which repairs it
// exactly as a browser would. HTML that Marked wrote all by itself is already well nested, and a small
// tokenizer builds the same tree several times faster (a property test checks the two agree).
import { decodeHTML, decodeHTMLAttribute, decodeHTMLStrict } from 'entities';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { POS_COMMENT } from './markdown.js';

export type P5Node = DefaultTreeAdapterMap['childNode'];
export type P5Element = DefaultTreeAdapterMap['element'];
type P5Parent = DefaultTreeAdapterMap['parentNode'];

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const VOID = new Set(['br', 'hr', 'img', 'input', 'wbr', 'col', 'area', 'base', 'embed', 'link', 'meta', 'source', 'track']);

/** Parse an HTML fragment; `trusted` when Marked wrote all of it (no raw HTML from the article). */
export function parseHtml(html: string): P5Node[] {
  // Raw HTML from the article, and MathML (foreign content), go through parse5.
  const trusted = !html.includes(`<!--${POS_COMMENT}`) && !html.includes('<math');
  return (trusted && parseTrusted(html)) || parseWithParse5(html);
}

export function parseWithParse5(html: string): P5Node[] {
  return parseFragment(html, { scriptingEnabled: false }).childNodes;
}

const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>|<!--[^]*?-->/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:="([^"]*)")?/g;

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
    if (m[0].startsWith('<!--')) continue;
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
      attrs.push({ name: a[1]!.toLowerCase(), value: value.includes('&') ? decodeHTMLAttribute(value) : value });
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
