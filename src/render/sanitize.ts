// Sanitising: HTML from Marked (including raw HTML written in the Markdown) -> a safe, valid XHTML tree.
// parse5 repairs the markup as a browser would; this stage then keeps what is safe and valid in EPUB 3:
// no scripts, frames, forms, event handlers or javascript: URLs; presentational attributes become CSS;
// inline SVG and MathML keep their namespaces; content models that EPUBCheck enforces are respected.
import type { DefaultTreeAdapterMap } from 'parse5';
import { parseHtml, parseWithParse5 } from './html-parse.js';
import { POS_ATTR, POS_COMMENT } from './markdown.js';
import { hasValidHost, toValidUri } from './uri.js';
import { el, textOf, type Namespace, type XElement, type XNode } from './tree.js';
import { cleanStyleAttribute } from '../css.js';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

const NS_URI: Record<string, Namespace> = {
  'http://www.w3.org/1999/xhtml': 'html',
  'http://www.w3.org/2000/svg': 'svg',
  'http://www.w3.org/1998/Math/MathML': 'math',
};

/**
 * Dropped with everything inside them: code, the document's head, frames (media and embedded pages are first
 * given their due: see embedded()). Text found in them, other than code, is reported (see `problems`).
 */
const DROP = new Set([
  'script', 'style', 'head', 'title', 'meta', 'link', 'base', 'param', 'source', 'track', 'frame', 'frameset',
  'noframes', 'area', 'basefont', 'bgsound', 'isindex', 'keygen', 'portal',
]);
/** Dropped elements whose text is code, not prose: nothing to report. */
const CODE = new Set(['script', 'style']);

/** Renamed to a valid equivalent. Controls an e-book cannot keep are unwrapped: their text stays. */
const RENAME: Record<string, string> = {
  tt: 'code', strike: 's', acronym: 'abbr', big: 'span', center: 'div', dir: 'ul', menu: 'ul', listing: 'pre',
  xmp: 'pre', plaintext: 'pre', font: 'span', nav: 'div', main: 'div', hgroup: 'div', image: 'img', blink: 'span',
  marquee: 'div', nobr: 'span', label: 'span', fieldset: 'div', legend: 'div', form: 'div', noscript: 'div',
  picture: 'span', map: 'span', button: 'span', select: 'span', option: 'span', optgroup: 'span', datalist: 'span',
  output: 'span', progress: 'span', meter: 'span', 'math-field': 'span', menuitem: 'span', slot: 'span',
  textarea: 'pre', dialog: 'div', search: 'div', canvas: 'div', applet: 'div',
};

/** HTML elements kept, with the attributes each may carry besides the global ones. */
const HTML_ATTRS: Record<string, readonly string[]> = {
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
const PHRASING_ONLY = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'span', 'em', 'strong', 'b', 'i', 'u', 's', 'small', 'mark', 'abbr',
  'cite', 'code', 'dfn', 'kbd', 'q', 'samp', 'sub', 'sup', 'time', 'var', 'bdi', 'bdo', 'data', 'rt', 'rp', 'ruby',
  'summary', 'dt',
]);
/** Phrasing content: the elements allowed where only phrasing is. */
const PHRASING = new Set([
  'span', 'em', 'strong', 'b', 'i', 'u', 's', 'small', 'mark', 'abbr', 'cite', 'code', 'dfn', 'kbd', 'q', 'samp', 'sub',
  'sup', 'time', 'var', 'bdi', 'bdo', 'data', 'ruby', 'a', 'br', 'img', 'wbr', 'input', 'ins', 'del', 'svg', 'math',
]);

const ROLES = new Set([
  'doc-noteref', 'doc-footnote', 'doc-endnotes', 'doc-backlink', 'doc-chapter', 'doc-toc', 'doc-subtitle', 'doc-pullquote',
  'doc-epigraph', 'doc-example', 'doc-tip', 'doc-notice', 'doc-credit', 'note', 'presentation', 'none', 'img', 'figure',
  'list', 'listitem', 'heading', 'term', 'definition', 'region', 'group', 'separator',
]);

const SVG_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan',
  'textPath', 'title', 'desc', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern', 'marker', 'a',
  'switch', 'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feFlood', 'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology',
  'feOffset', 'feSpecularLighting', 'feTile', 'feTurbulence', 'feFuncR', 'feFuncG', 'feFuncB', 'feFuncA',
  'feDistantLight', 'fePointLight', 'feSpotLight',
]);

const SVG_ATTRS = new Set([
  'id', 'class', 'style', 'transform', 'viewBox', 'preserveAspectRatio', 'x', 'y', 'width', 'height', 'x1', 'y1', 'x2',
  'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points', 'pathLength', 'fill', 'fill-opacity', 'fill-rule', 'stroke',
  'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'stroke-dasharray',
  'stroke-dashoffset', 'opacity', 'color', 'display', 'visibility', 'overflow', 'clip-path', 'clip-rule', 'clipPathUnits',
  'mask', 'maskUnits', 'maskContentUnits', 'filter', 'filterUnits', 'primitiveUnits', 'font-family', 'font-size',
  'font-weight', 'font-style', 'font-variant', 'font-stretch', 'text-anchor', 'text-decoration', 'dominant-baseline',
  'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing', 'writing-mode', 'direction', 'unicode-bidi',
  'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust', 'offset', 'stop-color', 'stop-opacity', 'gradientUnits',
  'gradientTransform', 'spreadMethod', 'fx', 'fy', 'patternUnits', 'patternContentUnits', 'patternTransform',
  'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient', 'marker-start', 'marker-mid', 'marker-end',
  'in', 'in2', 'result', 'stdDeviation', 'type', 'values', 'mode', 'operator', 'k1', 'k2', 'k3', 'k4', 'flood-color',
  'flood-opacity', 'lighting-color', 'color-interpolation-filters', 'shape-rendering', 'text-rendering',
  'image-rendering', 'startOffset', 'method', 'spacing', 'xml:space', 'xlink:href', 'xlink:title', 'tableValues',
  'slope', 'intercept', 'amplitude', 'exponent', 'baseFrequency', 'numOctaves', 'seed', 'stitchTiles', 'scale',
  'xChannelSelector', 'yChannelSelector', 'radius', 'order', 'kernelMatrix', 'divisor', 'bias', 'targetX', 'targetY',
  'edgeMode', 'surfaceScale', 'diffuseConstant', 'specularConstant', 'specularExponent', 'kernelUnitLength', 'azimuth',
  'elevation', 'z', 'pointsAtX', 'pointsAtY', 'pointsAtZ', 'limitingConeAngle',
]);

const MATH_ELEMENTS = new Set([
  'math', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'mrow', 'mfrac', 'msqrt', 'mroot', 'mstyle', 'merror', 'mpadded',
  'mphantom', 'mfenced', 'menclose', 'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mmultiscripts',
  'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'semantics', 'annotation', 'mglyph', 'maligngroup',
  'malignmark',
]);

const MATH_ATTRS = new Set([
  'id', 'class', 'style', 'display', 'alttext', 'mathvariant', 'mathsize', 'mathcolor', 'mathbackground', 'dir',
  'displaystyle', 'scriptlevel', 'stretchy', 'symmetric', 'fence', 'separator', 'largeop', 'movablelimits', 'accent',
  'accentunder', 'lspace', 'rspace', 'minsize', 'maxsize', 'form', 'linethickness', 'bevelled', 'numalign', 'denomalign',
  'notation', 'open', 'close', 'separators', 'width', 'height', 'depth', 'voffset', 'columnalign', 'rowalign',
  'columnspacing', 'rowspacing', 'columnlines', 'rowlines', 'frame', 'framespacing', 'equalrows', 'equalcolumns',
  'columnspan', 'rowspan', 'encoding', 'lquote', 'rquote', 'linebreak', 'subscriptshift', 'superscriptshift',
]);

/** SVG and MathML elements that may hold text; elsewhere only white space is kept. */
const SVG_TEXT = new Set(['text', 'tspan', 'textPath', 'title', 'desc', 'a']);
const MATH_TEXT = new Set(['mi', 'mn', 'mo', 'ms', 'mtext', 'annotation']);

function textIn(allowed: ReadonlySet<string>, tag: string, text: string): string {
  return allowed.has(tag) || !/\S/.test(text) ? text : ' ';
}

const SAFE_SCHEMES = /^(https?|mailto|ftp|tel|news|irc|ircs|xmpp|geo|sms):/i;

/** Text of the article that could not be kept, at an offset of the Markdown source. */
export interface SanitizeProblem {
  pos: number;
  code: 'html-text-dropped';
  message: string;
}

export interface SanitizeResult {
  nodes: XNode[];
  svg: boolean;
  mathml: boolean;
  problems: SanitizeProblem[];
}

/**
 * Elements nested deeper than this are flattened to their text: e-readers (and recursion) give up on such
 * trees long before, and no real article needs more.
 */
export const MAX_DEPTH = 100;

interface State {
  source: string;
  depth: number;
  /** Span of the last raw-HTML block seen, and how far into it elements have been found. */
  rawPos: number;
  rawEnd: number;
  rawCursor: number;
  svg: boolean;
  mathml: boolean;
  /** Links open around the element being cleaned (a link cannot hold another). */
  links: number;
  problems: SanitizeProblem[];
}

function insideLink<T>(state: State, clean: () => T): T {
  state.links++;
  try {
    return clean();
  } finally {
    state.links--;
  }
}

export function sanitizeHtml(html: string, source: string, options: { alwaysParse5?: boolean } = {}): SanitizeResult {
  const parsed = options.alwaysParse5 ? parseWithParse5(html) : parseHtml(html);
  const state: State = { source, depth: 0, rawPos: 0, rawEnd: 0, rawCursor: 0, svg: false, mathml: false, links: 0, problems: [] };
  const nodes = cleanChildren(parsed, state, false, '');
  return { nodes, svg: state.svg, mathml: state.mathml, problems: state.problems };
}

function cleanChildren(children: readonly P5Node[], state: State, phrasing: boolean, parentTag: string): XNode[] {
  const out: XNode[] = [];
  for (const child of children) {
    if (child.nodeName === '#text') {
      const value = (child as DefaultTreeAdapterMap['textNode']).value;
      if (value) out.push(value);
    } else if (child.nodeName === '#comment') {
      const data = (child as DefaultTreeAdapterMap['commentNode']).data;
      if (data.startsWith(POS_COMMENT)) {
        const [start, end] = data.slice(POS_COMMENT.length).split(':').map(Number);
        state.rawPos = state.rawCursor = start || 0;
        state.rawEnd = end || 0;
      }
    } else if ('tagName' in child) {
      out.push(...cleanElement(child as P5Element, state, phrasing, parentTag));
    }
  }
  return fixContentModel(out, parentTag);
}

function cleanElement(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  if (state.depth >= MAX_DEPTH) return [textContent(node)];
  state.depth++;
  try {
    return cleanElementAt(node, state, phrasing, parentTag);
  } finally {
    state.depth--;
  }
}

/** The text of a subtree, gathered without recursion (the subtree may be thousands of levels deep). */
function textContent(node: P5Node): string {
  let text = '';
  const stack: P5Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') text += (n as DefaultTreeAdapterMap['textNode']).value;
    else if ('childNodes' in n && !(('tagName' in n) && DROP.has((n as P5Element).tagName))) {
      const children = (n as P5Element).tagName === 'template' ? (n as DefaultTreeAdapterMap['template']).content.childNodes : (n as P5Element).childNodes;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return text;
}

function cleanElementAt(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  const ns = NS_URI[node.namespaceURI] ?? 'html';
  if (ns === 'svg' || ns === 'math') return foreignRoot(node, state, ns);
  let tag = node.tagName;
  if (EMBEDS.has(tag)) return embedded(node, state, phrasing, parentTag);
  // A template's content is kept in a fragment of its own: it is unwrapped like any element quire cannot keep.
  if (tag === 'template') return cleanChildren((node as DefaultTreeAdapterMap['template']).content.childNodes, state, phrasing, parentTag);
  if (DROP.has(tag)) {
    const text = CODE.has(tag) ? '' : node.childNodes.map(textContent).join('').replace(/\s+/g, ' ').trim();
    if (text) dropped(state, tag, `text inside <${tag}> is not kept (an e-book cannot show it): "${excerpt(text)}"`);
    return [];
  }
  if (tag === 'input' && !node.attrs.some((a) => a.name === 'type' && a.value.toLowerCase() === 'checkbox')) return [];
  const renamed = RENAME[tag];
  const original = tag;
  if (renamed) tag = renamed;
  if (!(tag in HTML_ATTRS)) {
    // Unknown and custom elements: keep their content.
    return cleanChildren(node.childNodes, state, phrasing, parentTag);
  }
  // Flow content where only phrasing is allowed becomes a span; rules and similar voids are dropped.
  if (phrasing && !PHRASING.has(tag) && !((tag === 'rt' || tag === 'rp') && parentTag === 'ruby')) {
    if (tag === 'hr') return [];
    tag = 'span';
  }
  // Elements that only make sense inside a particular parent.
  if (tag === 'li' && parentTag !== 'ul' && parentTag !== 'ol') tag = 'div';
  if ((tag === 'dt' || tag === 'dd') && parentTag !== 'dl') tag = 'div';
  if (tag === 'figcaption' && parentTag !== 'figure') tag = 'div';
  if (tag === 'summary' && parentTag !== 'details') tag = 'div';
  if ((tag === 'rt' || tag === 'rp') && parentTag !== 'ruby') tag = 'span';

  const attrs = new Map<string, string>();
  const style: string[] = [];
  let pos: number | undefined;
  const allowed = HTML_ATTRS[tag] ?? [];
  for (const a of node.attrs) {
    const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
    const value = a.value;
    if (name === POS_ATTR) {
      pos = Number(value);
      continue;
    }
    if (/^on/i.test(name)) continue;
    if (globalAttr(name, value, attrs)) continue;
    if (presentational(original, name, value, style, attrs)) continue;
    if (!allowed.includes(name)) continue;
    const v = elementAttr(tag, name, value);
    if (v !== undefined) attrs.set(name, v);
  }
  if (original === 'a' && !attrs.has('id')) {
    const name = node.attrs.find((a) => a.name === 'name')?.value.trim();
    if (name) globalAttr('id', name, attrs);
  }
  if (original === 'center') style.push('text-align: center');
  if (original === 'big') style.push('font-size: larger');
  if (style.length) attrs.set('style', [attrs.get('style'), style.join('; ')].filter(Boolean).join('; '));
  if (tag === 'img') {
    const src = attrs.get('src');
    if (!src || !src.trim()) return node.attrs.some((a) => a.name === 'alt' && a.value) ? [node.attrs.find((a) => a.name === 'alt')!.value] : [];
    if (!attrs.has('alt')) attrs.set('alt', '');
  }
  if (tag === 'bdo' && !attrs.has('dir')) attrs.set('dir', 'ltr');
  const element: XElement = { tag, ns: 'html', attrs, children: [], pos: pos ?? (tag === 'a' || tag === 'img' ? rawPosition(node, state) : undefined) };
  // A link with nowhere safe to go (a javascript: URL, no href at all) is only its text: it must not look like one.
  if (tag === 'a' && !attrs.has('href')) element.tag = tag = 'span';
  if (!phrasing && FORMATTING.has(tag) && node.childNodes.some((c) => 'tagName' in c && !PHRASING.has(RENAME[(c as P5Element).tagName] ?? (c as P5Element).tagName) && (c as P5Element).namespaceURI === HTML_NS)) {
    // A formatting element left open around blocks (`<b>` never closed): browsers apply it to what follows,
    // so it is pushed down into those blocks instead of flattening them.
    return pushDown(element, cleanChildren(node.childNodes, state, false, parentTag));
  }
  const childPhrasing = phrasing || PHRASING_ONLY.has(tag);
  element.children = tag === 'img' || tag === 'br' || tag === 'hr' || tag === 'wbr' || tag === 'input' || tag === 'col'
    ? []
    : tag === 'a'
      ? insideLink(state, () => cleanChildren(node.childNodes, state, childPhrasing, tag))
      : cleanChildren(node.childNodes, state, childPhrasing, tag);
  // A checkbox needs a name for screen readers (DAISY Ace calls an unlabelled one critical): its state.
  if (tag === 'input') element.attrs.set('aria-label', element.attrs.has('checked') ? 'done' : 'not done');
  if (tag === 'details') unfoldDetails(element);
  // The choices of a list stay apart once they are only text.
  if (original === 'option' && element.children.length) element.children.push(' ');
  if (tag === 'dl') checkDefinitionList(element);
  if (tag === 'li' && element.children.some((c) => typeof c !== 'string' && c.tag === 'input')) {
    element.attrs.set('class', [element.attrs.get('class'), 'task-list-item'].filter(Boolean).join(' '));
  }
  return [element];
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Elements that style text, which the HTML parser carries across block boundaries. */
const FORMATTING = new Set(['b', 'i', 'em', 'strong', 'u', 's', 'small', 'mark', 'span', 'code', 'sub', 'sup', 'q', 'cite', 'abbr']);
const NO_FORMATTING_INSIDE = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'hr', 'img', 'br', 'input', 'col', 'colgroup', 'pre']);

/** Wrap every run of phrasing content in `nodes` (descending into blocks) in a copy of `format`. */
function pushDown(format: XElement, nodes: XNode[]): XNode[] {
  const out: XNode[] = [];
  let run: XNode[] = [];
  const flush = () => {
    if (run.some((n) => typeof n !== 'string' || n.trim())) out.push({ ...format, attrs: new Map(format.attrs), children: run });
    else out.push(...run);
    run = [];
  };
  for (const n of nodes) {
    if (typeof n === 'string' || n.ns !== 'html' || PHRASING.has(n.tag)) {
      run.push(n);
      continue;
    }
    flush();
    if (!NO_FORMATTING_INSIDE.has(n.tag)) n.children = pushDown(format, n.children);
    else if (n.tag === 'ul' || n.tag === 'ol') for (const li of n.children) if (typeof li !== 'string') li.children = pushDown(format, li.children);
    out.push(n);
  }
  flush();
  return out;
}

/** Media and embedded pages: an e-book cannot play or load them. */
const EMBEDS = new Set(['video', 'audio', 'iframe', 'object', 'embed']);

/**
 * What stands for a video, an audio clip or an embedded page: its fallback content when it has some
 * (what a browser without the media shows), else a link to where it lives on the web, so that the reader
 * knows something was there and can open it. A local file is not in the book: nothing is left of it.
 */
function embedded(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  // Their <source>, <track> and <param> children are dropped by cleanChildren like any other.
  const kept = node.tagName === 'iframe' || node.tagName === 'embed' ? [] : cleanChildren(node.childNodes, state, phrasing, parentTag);
  if (kept.some((n) => (typeof n === 'string' ? n.trim() !== '' : textOf(n).trim() !== '' || n.tag === 'img'))) return kept;
  const attr = (e: P5Element, name: string) => e.attrs.find((a) => a.name === name)?.value.trim();
  const sources = [attr(node, node.tagName === 'object' ? 'data' : 'src'), ...node.childNodes.filter((c): c is P5Element => 'tagName' in c && c.tagName === 'source').map((c) => attr(c, 'src'))];
  for (const source of sources) {
    const href = source && /^https?:\/\//i.test(source) ? elementAttr('a', 'href', source) : undefined;
    if (href) return state.links > 0 ? [href] : [{ tag: 'a', ns: 'html', attrs: new Map([['href', href]]), children: [href], pos: rawPosition(node, state) }];
  }
  return [];
}

/**
 * Where a raw-HTML link or image stands in the Markdown: its target's next occurrence inside the raw
 * block it came from (searching on from the previous one), else the start of that block.
 */
function rawPosition(node: P5Element, state: State): number {
  const target = node.attrs.find((a) => a.name === 'src' || a.name === 'href')?.value;
  if (target && state.rawEnd > state.rawCursor) {
    const at = state.source.slice(state.rawCursor, state.rawEnd).indexOf(target);
    if (at !== -1) {
      state.rawCursor += at + target.length;
      return state.rawCursor - target.length;
    }
  }
  return state.rawPos;
}

function globalAttr(name: string, value: string, attrs: Map<string, string>): boolean {
  switch (name) {
    case 'id': {
      // Ids are link targets: keep them free of what a URI fragment cannot hold.
      const id = value.trim().replace(/[\s#%"<>\\^`{|}[\]]+/g, '-');
      if (id) attrs.set('id', id);
      return true;
    }
    case 'class': {
      const classes = value.split(/\s+/).filter((c) => /^[A-Za-z_][\w-]*$/.test(c));
      if (classes.length) attrs.set('class', classes.join(' '));
      return true;
    }
    case 'title':
      attrs.set('title', value);
      return true;
    case 'lang':
    case 'xml:lang':
      if (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(value.trim())) attrs.set('lang', value.trim());
      return true;
    case 'dir': {
      const dir = value.trim().toLowerCase();
      if (dir === 'ltr' || dir === 'rtl' || dir === 'auto') attrs.set('dir', dir);
      return true;
    }
    case 'style': {
      const css = sanitizeStyle(value);
      if (css) attrs.set('style', css);
      return true;
    }
    case 'epub:type': {
      const types = value.split(/\s+/).filter((t) => /^[a-z][a-z-]*(:[a-z][a-z-]*)?$/.test(t));
      if (types.length) attrs.set('epub:type', types.join(' '));
      return true;
    }
    case 'role':
      if (ROLES.has(value.trim())) attrs.set('role', value.trim());
      return true;
    case 'aria-label':
      if (value.trim()) attrs.set('aria-label', value);
      return true;
    case 'aria-hidden':
      if (value === 'true' || value === 'false') attrs.set('aria-hidden', value);
      return true;
    default:
      return false;
  }
}

const FONT_SIZES = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', 'xx-large'];

/** Presentational HTML attributes, turned into CSS declarations. Returns true when the attribute was consumed. */
function presentational(tag: string, name: string, value: string, style: string[], attrs: Map<string, string>): boolean {
  const v = value.trim().toLowerCase();
  switch (name) {
    case 'align':
      if (tag === 'img') {
        if (v === 'left' || v === 'right') style.push(`float: ${v}`);
        else if (v === 'middle' || v === 'top' || v === 'bottom') style.push(`vertical-align: ${v}`);
      } else if (tag === 'table') {
        if (v === 'center') style.push('margin-left: auto; margin-right: auto');
        else if (v === 'left' || v === 'right') style.push(`float: ${v}`);
      } else if (['left', 'right', 'center', 'justify'].includes(v)) style.push(`text-align: ${v}`);
      return true;
    case 'valign':
      if (['top', 'middle', 'bottom', 'baseline'].includes(v)) style.push(`vertical-align: ${v}`);
      return true;
    case 'width':
    case 'height':
      if (tag === 'img' && /^\d+$/.test(v)) return false; // a valid attribute on img: keep it
      if (/^\d+(\.\d+)?(px|%)?$/.test(v)) style.push(`${name}: ${/\d$/.test(v) ? `${v}px` : v}`);
      return true;
    case 'bgcolor':
      if (/^#?[0-9a-z]+$/.test(v)) style.push(`background-color: ${v}`);
      return true;
    case 'color':
      if (tag === 'font' && /^#?[0-9a-z]+$/.test(v)) style.push(`color: ${v}`);
      return tag === 'font';
    case 'face':
      if (tag === 'font' && /^[\w ,'"-]+$/.test(value)) style.push(`font-family: ${value.replace(/"/g, "'")}`);
      return tag === 'font';
    case 'size':
      if (tag === 'font') {
        const n = /^[+-]?\d$/.test(v) ? (v.startsWith('+') || v.startsWith('-') ? 3 + Number(v) : Number(v)) : NaN;
        if (n >= 1 && n <= 7) style.push(`font-size: ${FONT_SIZES[n - 1]}`);
        return true;
      }
      return false;
    case 'nowrap':
      if (tag === 'td' || tag === 'th') style.push('white-space: nowrap');
      return true;
    case 'type':
      if (tag === 'ul' && ['disc', 'circle', 'square'].includes(v)) style.push(`list-style-type: ${v}`);
      return tag === 'ul';
    case 'border':
      if (tag === 'table' && v !== '0') attrs.set('class', [attrs.get('class'), 'bordered'].filter(Boolean).join(' '));
      return true;
    default:
      return false;
  }
}

function elementAttr(tag: string, name: string, value: string): string | undefined {
  const v = value.trim();
  switch (name) {
    case 'href': {
      const url = sanitizeUrl(v);
      // External links are kept as written but must be valid URIs; local ones are settled later.
      if (url === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
      return hasValidHost(url) ? toValidUri(url) : undefined;
    }
    case 'src':
      return sanitizeUrl(v, true);
    case 'alt':
      return value;
    case 'width':
    case 'height':
    case 'span':
    case 'colspan':
    case 'rowspan':
      return /^[1-9]\d{0,4}$/.test(v) ? v : undefined;
    case 'start':
    case 'value':
      return /^-?\d{1,9}$/.test(v) ? v : undefined;
    case 'reversed':
    case 'open':
    case 'checked':
    case 'disabled':
      return name;
    case 'type':
      if (tag === 'input') return 'checkbox';
      return /^[1aAiI]$/.test(v) ? v : undefined;
    case 'scope':
      return ['row', 'col', 'rowgroup', 'colgroup'].includes(v) ? v : undefined;
    case 'datetime':
      return /^[\d:T.+\-Z ]+$/.test(v) ? v : undefined;
    default:
      return v;
  }
}

/** A URL that is safe to keep, or undefined. Scripting schemes are refused; `data:` only for images. */
export function sanitizeUrl(raw: string, image = false): string | undefined {
  // Browsers ignore control characters and spaces inside a scheme: `java\tscript:` is still javascript.
  // eslint-disable-next-line no-control-regex
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!compact) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (!scheme) return raw.trim();
  if (SAFE_SCHEMES.test(compact)) return raw.trim();
  if (image && /^(data|file):/i.test(compact)) return raw.trim();
  if (!image && /^file:/i.test(compact)) return raw.trim(); // resolved (and refused) like any local link later
  return undefined;
}

/** Keep plain CSS declarations; drop anything that loads a resource or runs code (the rules: css.ts). */
export function sanitizeStyle(css: string): string {
  return cleanStyleAttribute(css);
}

/** What is kept of SVG and of MathML: their elements, attributes, where text may stand, and attribute rules. */
const FOREIGN: Record<'svg' | 'math', { elements: Set<string>; text: Set<string>; attr(name: string, value: string): [string, string] | undefined }> = {
  svg: {
    elements: SVG_ELEMENTS,
    text: SVG_TEXT,
    attr(raw, value) {
      // SVG 1.1's xlink:href, which EPUB 3 reading systems and EPUBCheck expect.
      const name = raw === 'href' ? 'xlink:href' : raw;
      // A drawing's accessible name (role="img" with aria-label), which EPUBCheck accepts on SVG elements.
      if (name === 'aria-label') return value.trim() ? [name, value.replace(/\s+/g, ' ').trim()] : undefined;
      if (name === 'role') return value.trim() === 'img' ? [name, 'img'] : undefined;
      if (!SVG_ATTRS.has(name)) return undefined;
      if (name === 'xlink:href' && !/^#[^\s]+$/.test(value.trim())) return undefined; // only references inside the document
      if (name === 'style') return sanitizeStyle(value) ? [name, sanitizeStyle(value)] : undefined;
      if (/url\s*\(/i.test(value) && !/^\s*url\s*\(\s*['"]?#[^)'"\s]+['"]?\s*\)\s*$/i.test(value)) return undefined;
      return [name, value];
    },
  },
  math: {
    elements: MATH_ELEMENTS,
    text: MATH_TEXT,
    attr: (name, value) => (MATH_ATTRS.has(name) ? [name, name === 'style' ? sanitizeStyle(value) : value] : undefined),
  },
};

/**
 * Inline SVG or MathML met in HTML. MathML is kept only when it is MathML: a `<math>` that holds text
 * outside MathML's token elements or elements MathML does not have (`<math>x = 2</math>`) is its text, as is
 * an `<svg>` with text and no drawing. Text a drawing cannot show is reported.
 */
function foreignRoot(node: P5Element, state: State, ns: 'svg' | 'math'): XNode[] {
  const lost = lostForeignText(node, ns);
  // MathML that is not MathML, and an `<svg>` that holds text but nothing SVG draws, are their text.
  const draws = (e: P5Element): boolean => e.childNodes.some((c) => 'tagName' in c && NS_URI[(c as P5Element).namespaceURI] === 'svg' && SVG_ELEMENTS.has((c as P5Element).tagName));
  if (lost && (ns === 'math' || !draws(node))) return [textContent(node)];
  if (lost) dropped(state, node.tagName, `text inside <svg> that the drawing cannot show is not kept: "${excerpt(lost)}"`);
  return cleanForeign(node, state, ns);
}

/** The text of a foreign subtree that cleanForeign would not keep (elements unknown to it, text where none may stand). */
function lostForeignText(root: P5Element, ns: 'svg' | 'math'): string {
  const rules = FOREIGN[ns];
  let lost = '';
  const stack: { n: P5Node; keep: boolean; tag: string }[] = [{ n: root, keep: true, tag: '' }];
  while (stack.length) {
    const { n, keep, tag } = stack.pop()!;
    if (n.nodeName === '#text') {
      const value = (n as DefaultTreeAdapterMap['textNode']).value;
      if (/\S/.test(value) && (!keep || !rules.text.has(tag))) lost += `${value} `;
    } else if ('tagName' in n) {
      const e = n as P5Element;
      const inNs = NS_URI[e.namespaceURI] === ns;
      // Code in a drawing (`<style>`, `<script>`), metadata and other encodings of a formula are not text
      // for the reader.
      if (CODE.has(e.tagName) || e.tagName === 'metadata' || e.tagName === 'annotation-xml') continue;
      const kept = keep && inNs && rules.elements.has(e.tagName);
      for (const c of e.childNodes) stack.push({ n: c, keep: kept, tag: e.tagName });
    }
  }
  return lost.replace(/\s+/g, ' ').trim();
}

/** Report text that is not kept, where its element starts in the raw HTML block it came from. */
function dropped(state: State, tag: string, message: string): void {
  let pos = state.rawPos;
  if (state.rawEnd > state.rawCursor) {
    const m = new RegExp(`<${tag.replace(/[^\w-]/g, '')}[\\s/>]`, 'i').exec(state.source.slice(state.rawCursor, state.rawEnd));
    if (m) pos = state.rawCursor + m.index;
  }
  state.problems.push({ pos, code: 'html-text-dropped', message });
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** An element of inline SVG or MathML: kept with its namespace, only what EPUB readers and EPUBCheck accept. */
function cleanForeign(node: P5Element, state: State, ns: 'svg' | 'math'): XNode[] {
  if (state.depth >= MAX_DEPTH) return ns === 'math' ? [textContent(node)] : [];
  const rules = FOREIGN[ns];
  const tag = node.tagName;
  if (!rules.elements.has(tag)) return [];
  if (ns === 'svg') state.svg = true;
  else state.mathml = true;
  const attrs = new Map<string, string>();
  for (const a of node.attrs) {
    if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
    const kept = rules.attr(a.prefix ? `${a.prefix}:${a.name}` : a.name, a.value);
    if (kept) attrs.set(kept[0], kept[1]);
  }
  const children: XNode[] = [];
  state.depth++;
  for (const child of node.childNodes) {
    if (child.nodeName === '#text') children.push(textIn(rules.text, tag, (child as DefaultTreeAdapterMap['textNode']).value));
    else if ('tagName' in child && NS_URI[(child as P5Element).namespaceURI] === ns) children.push(...cleanForeign(child as P5Element, state, ns));
  }
  state.depth--;
  if (ns === 'math') fixMathContentModel(tag, attrs, children);
  // An SVG link that pointed outside the document is only its content now.
  if (ns === 'svg' && tag === 'a' && !attrs.has('xlink:href')) return children;
  return [{ tag, ns, attrs, children }];
}

/**
 * What EPUBCheck's MathML 3 schema asks beyond the element and attribute names: `scriptlevel` only on
 * `mstyle`, `displaystyle` only on `math`, `mstyle` and `mtable`, and a `semantics` that starts with the
 * formula itself, not with an annotation (Temml writes one for a formula that is only a comment).
 */
function fixMathContentModel(tag: string, attrs: Map<string, string>, children: XNode[]): void {
  if (tag !== 'mstyle') attrs.delete('scriptlevel');
  if (tag !== 'math' && tag !== 'mstyle' && tag !== 'mtable') attrs.delete('displaystyle');
  if (tag === 'semantics') {
    const first = children.find((c): c is XElement => typeof c !== 'string');
    if (!first || first.tag === 'annotation' || first.tag === 'annotation-xml') children.unshift({ tag: 'mrow', ns: 'math', attrs: new Map(), children: [] });
  }
}

/** Children that a parent may not hold directly are wrapped (text in a list becomes a list item, and so on). */
function fixContentModel(nodes: XNode[], parentTag: string): XNode[] {
  const wrapper = parentTag === 'ul' || parentTag === 'ol' ? 'li' : parentTag === 'dl' ? 'dd' : undefined;
  if (!wrapper) return nodes;
  const ok = wrapper === 'li' ? (t: string) => t === 'li' : (t: string) => t === 'dt' || t === 'dd';
  const out: XNode[] = [];
  for (const n of nodes) {
    if (typeof n === 'string') {
      if (n.trim()) out.push(el(wrapper, {}, [n]));
      else out.push(n);
    } else if (n.ns === 'html' && ok(n.tag)) out.push(n);
    else if (!textOf(n).trim() && !hasEmbedded(n)) out.push(...n.children.filter((c) => typeof c === 'string'));
    else out.push(el(wrapper, {}, [n]));
  }
  return out;
}

/** A `dl` must be groups of terms each followed by descriptions; one that is not becomes plain `div`s. */
function checkDefinitionList(dl: XElement): void {
  const sequence = dl.children
    .filter((c): c is XElement => typeof c !== 'string')
    .map((c) => (c.tag === 'dt' ? 'T' : 'D'))
    .join('');
  if (sequence === '' || /^(T+D+)+$/.test(sequence)) return;
  dl.tag = 'div';
  for (const c of dl.children) if (typeof c !== 'string') c.tag = 'div';
}

function hasEmbedded(e: XElement): boolean {
  return e.tag === 'img' || e.tag === 'svg' || e.tag === 'math' || e.tag === 'input' || e.children.some((c) => typeof c !== 'string' && hasEmbedded(c));
}

/**
 * `<details>` is unfolded into a plain block that starts with its summary as a label: e-readers cannot open
 * it, so its content would stay hidden (a README's install steps, a FAQ), and a reader that ignores CSS
 * or the `open` attribute still shows plain blocks. A block with no summary has no label.
 */
function unfoldDetails(details: XElement): void {
  const i = details.children.findIndex((c) => typeof c !== 'string' && c.tag === 'summary');
  const summary = i === -1 ? undefined : (details.children.splice(i, 1)[0] as XElement);
  details.tag = 'div';
  details.attrs.set('class', [details.attrs.get('class'), 'details'].filter(Boolean).join(' '));
  if (summary && (textOf(summary).trim() || hasEmbedded(summary))) {
    summary.tag = 'p';
    summary.attrs.set('class', [summary.attrs.get('class'), 'details-summary'].filter(Boolean).join(' '));
    details.children.unshift(summary);
  }
}

/**
 * SVG references (`<use xlink:href="#x">`) must reach an id of the same document, or EPUBCheck rejects
 * the book: dangling ones are removed once the chapter's ids are final.
 */
export function dropDanglingSvgReferences(nodes: XNode[], ids: ReadonlySet<string>): XNode[] {
  const out: XNode[] = [];
  for (const n of nodes) {
    if (typeof n === 'string') {
      out.push(n);
      continue;
    }
    const href = n.ns === 'svg' ? n.attrs.get('xlink:href') : undefined;
    if (href !== undefined && !ids.has(href.slice(1))) {
      if (n.tag === 'use') continue;
      n.attrs.delete('xlink:href');
    }
    n.children = dropDanglingSvgReferences(n.children, ids);
    out.push(n);
  }
  return out;
}
