// Serialising: the XHTML tree -> well-formed XHTML text, smartening typography on the way.
// Links and images are written as placeholders (see links.ts and assets.ts) and filled in once the whole book is known.
import { highlightKey, highlightXhtml } from './highlight.js';
import { quotesFor, smarten, UNSMARTENED } from './typography.js';
import { escapeText, serializeAttrs, shownAsIs, stripForbidden, VOID_ELEMENTS, type XElement, type XNode } from './tree.js';

/** Elements that start a new run of text (quotes do not pair across them). */
const BLOCKS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'blockquote', 'pre',
  'figcaption', 'summary', 'section', 'article', 'aside', 'header', 'footer', 'address', 'details', 'br',
]);

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';

export interface SerializeHooks {
  /** Called for each `<a>` with an href; returns the start and end tags to write in place of the element's own. */
  link?(e: XElement): [start: string, end: string] | undefined;
  /** Called for each `<img>`; returns the text to write in place of the element. */
  image?(e: XElement): string | undefined;
  /** Blocks highlighted already, by highlightKey (markdown.ts); others are highlighted here. */
  highlighted?: ReadonlyMap<string, string>;
  /** The text's language, whose quotation marks its quotes become (an element's `lang` changes it within). */
  lang?: string;
}

export function serialize(nodes: readonly XNode[], hooks: SerializeHooks = {}, smart = true): string {
  const out: string[] = [];
  const state = { before: '', literal: 0, quotes: quotesFor(hooks.lang) };
  const write = (n: XNode): void => {
    if (typeof n === 'string') {
      const text = smart && state.literal === 0 ? smarten(n, state.before, state.quotes) : n;
      if (text) state.before = text[text.length - 1]!;
      out.push(escapeText(text));
      return;
    }
    if (n.ns === 'html' && BLOCKS.has(n.tag)) state.before = '';
    if (n.ns === 'html' && n.tag === 'img' && hooks.image) {
      const replaced = hooks.image(n);
      if (replaced !== undefined) {
        out.push(replaced);
        state.before = 'x';
        return;
      }
    }
    if (n.highlight !== undefined) {
      const html = highlighted(n, n.highlight, hooks.highlighted);
      if (html !== undefined) {
        out.push(html);
        return;
      }
    }
    const tags = n.ns === 'html' && n.tag === 'a' && n.attrs.has('href') && hooks.link ? hooks.link(n) : undefined;
    let attrs = tags ? '' : serializeAttrs(n.attrs);
    if (n.tag === 'svg' && n.ns === 'svg') attrs = ` xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}"${attrs}`;
    if (n.tag === 'math' && n.ns === 'math') attrs = ` xmlns="${MATHML_NS}"${attrs}`;
    if (n.ns === 'html' && VOID_ELEMENTS.has(n.tag)) {
      out.push(`<${n.tag}${attrs}/>`);
      return;
    }
    const literal = n.ns !== 'html' || UNSMARTENED.has(n.tag) || shownAsIs.has(n);
    if (literal) state.literal++;
    const quotes = state.quotes;
    const lang = n.attrs.get('lang');
    if (lang !== undefined) state.quotes = quotesFor(lang);
    out.push(tags ? tags[0] : `<${n.tag}${attrs}>`);
    for (const c of n.children) write(c);
    out.push(tags ? tags[1] : `</${n.tag}>`);
    state.quotes = quotes;
    if (literal) state.literal--;
    if (n.ns === 'html' && BLOCKS.has(n.tag)) state.before = '';
  };
  for (const n of nodes) write(n);
  return out.join('');
}

/**
 * A fenced block's `<code>` (its text only, as the Markdown stage wrote it) highlighted as `lang`, with the
 * class `hljs` first; undefined when it is not highlighted (an unknown language), and it is written as it is.
 */
function highlighted(n: XElement, lang: string, made?: ReadonlyMap<string, string>): string | undefined {
  let text = '';
  for (const c of n.children) {
    if (typeof c !== 'string') return undefined;
    text += c;
  }
  const newline = text.endsWith('\n');
  const code = stripForbidden(newline ? text.slice(0, -1) : text);
  const html = made?.get(highlightKey(lang, code)) ?? highlightXhtml(code, lang);
  if (html === undefined) return undefined;
  const attrs = new Map(n.attrs);
  attrs.set('class', ['hljs', n.attrs.get('class')].filter(Boolean).join(' '));
  return `<code${serializeAttrs(attrs)}>${html}${newline ? '\n' : ''}</code>`;
}
