// Render stage, sanitising: the policy tables. Which HTML elements are dropped, renamed or kept (and with
// which attributes), which are phrasing content, which roles, media and formatting elements the cleaning
// walk knows; the namespaces parse5 reports. Only data: the walk (sanitize-walk.ts) applies it.
import type { Namespace } from './tree.js';

export const NS_URI: Record<string, Namespace> = {
  'http://www.w3.org/1999/xhtml': 'html',
  'http://www.w3.org/2000/svg': 'svg',
  'http://www.w3.org/1998/Math/MathML': 'math',
};

/**
 * Dropped with everything inside them: code, the document's head, frames (media and embedded pages are first
 * given their due: see embedded()). Text found in them, other than code, is reported (see `problems`).
 */
export const DROP = new Set([
  'script', 'style', 'head', 'title', 'meta', 'link', 'base', 'param', 'source', 'track', 'frame', 'frameset',
  'noframes', 'basefont', 'bgsound', 'isindex', 'keygen', 'portal',
]);
/** Dropped elements whose text is code, not prose: nothing to report. */
export const CODE = new Set(['script', 'style']);

/** Renamed to a valid equivalent. Controls an e-book cannot keep are unwrapped: their text stays. */
export const RENAME: Record<string, string> = {
  tt: 'code', strike: 's', acronym: 'abbr', big: 'span', center: 'div', dir: 'ul', menu: 'ul', listing: 'pre',
  xmp: 'pre', plaintext: 'pre', font: 'span', nav: 'div', main: 'div', hgroup: 'div', image: 'img', blink: 'span',
  marquee: 'div', nobr: 'span', label: 'span', fieldset: 'div', legend: 'div', form: 'div', noscript: 'div',
  picture: 'span', map: 'span', button: 'span', select: 'span', option: 'span', optgroup: 'span', datalist: 'span',
  output: 'span', progress: 'span', meter: 'span', 'math-field': 'span', menuitem: 'span', slot: 'span',
  textarea: 'pre', dialog: 'div', search: 'div', canvas: 'div', applet: 'div',
};

/** HTML elements kept, with the attributes each may carry besides the global ones. */
export const HTML_ATTRS: Record<string, readonly string[]> = {
  a: ['href'],
  abbr: [], address: [], article: [], aside: [], b: [], bdi: [], bdo: [], blockquote: [], br: [], caption: [], cite: [],
  code: [], col: ['span'], colgroup: ['span'], data: ['value'], dd: [], del: ['datetime'], details: [], dfn: [],
  div: [], dl: [], dt: [], em: [], figcaption: [], figure: [], footer: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [],
  header: [], hr: [], i: [], img: ['src', 'alt', 'width', 'height'], ins: ['datetime'], kbd: [], li: ['value'], mark: [],
  ol: ['start', 'reversed', 'type'], p: [], pre: [], q: [], rp: [], rt: [], ruby: [], s: [], samp: [], section: [],
  small: [], span: [], strong: [], sub: [], summary: [], sup: [], table: [], tbody: [], td: ['colspan', 'rowspan'],
  tfoot: [], th: ['colspan', 'rowspan', 'scope'], thead: [], time: ['datetime'], tr: [], u: [], ul: [], var: [], wbr: [],
  input: ['type', 'checked', 'disabled'],
};

/** Elements whose content model is phrasing only: flow content inside them is turned into spans. */
export const PHRASING_ONLY = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'span', 'em', 'strong', 'b', 'i', 'u', 's', 'small', 'mark', 'abbr',
  'cite', 'code', 'dfn', 'kbd', 'q', 'samp', 'sub', 'sup', 'time', 'var', 'bdi', 'bdo', 'data', 'rt', 'rp', 'ruby',
  'summary', 'dt',
]);
/** Phrasing content: the elements allowed where only phrasing is. */
export const PHRASING = new Set([
  'span', 'em', 'strong', 'b', 'i', 'u', 's', 'small', 'mark', 'abbr', 'cite', 'code', 'dfn', 'kbd', 'q', 'samp', 'sub',
  'sup', 'time', 'var', 'bdi', 'bdo', 'data', 'ruby', 'a', 'br', 'img', 'wbr', 'input', 'ins', 'del', 'svg', 'math',
]);

export const ROLES = new Set([
  'doc-noteref', 'doc-footnote', 'doc-endnotes', 'doc-backlink', 'doc-chapter', 'doc-toc', 'doc-subtitle', 'doc-pullquote',
  'doc-epigraph', 'doc-example', 'doc-tip', 'doc-notice', 'doc-credit', 'note', 'presentation', 'none', 'img', 'figure',
  'list', 'listitem', 'heading', 'term', 'definition', 'region', 'group', 'separator',
]);

export const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Elements that style text, which the HTML parser carries across block boundaries. */
export const FORMATTING = new Set(['b', 'i', 'em', 'strong', 'u', 's', 'small', 'mark', 'span', 'code', 'sub', 'sup', 'q', 'cite', 'abbr']);
export const NO_FORMATTING_INSIDE = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'hr', 'img', 'br', 'input', 'col', 'colgroup', 'pre']);

/** Media and embedded pages: an e-book cannot play or load them. */
export const EMBEDS = new Set(['video', 'audio', 'iframe', 'object', 'embed']);
