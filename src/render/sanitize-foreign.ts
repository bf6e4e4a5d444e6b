// Render stage, sanitising: foreign content. Inline SVG and MathML keep their namespaces and only the
// elements and attributes EPUB readers and EPUBCheck accept; MathML that is not MathML, and an `<svg>` that
// only holds text, become their text; SVG references that reach no id are removed once ids are final.
import type { DefaultTreeAdapterMap } from 'parse5';
import type { XElement, XNode } from './tree.js';
import { CODE, NS_URI } from './sanitize-policy.js';
import { sanitizeStyle } from './sanitize-attributes.js';
import { MAX_DEPTH, dropped, elementStart, excerpt, readPosComment, textContent, type State } from './sanitize-state.js';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

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
export function foreignRoot(node: P5Element, state: State, ns: 'svg' | 'math'): XNode[] {
  // A drawing or formula deeper than the depth limit allows is its text: cut inside, its text would stand
  // where none may (a formula's rows), or be lost (a drawing's).
  if (state.depth + heightOf(node, MAX_DEPTH - state.depth + 1) > MAX_DEPTH) return [textContent(node)];
  const lost = lostForeignText(node, ns);
  // MathML that is not MathML, and an `<svg>` that holds text but nothing SVG draws, are their text.
  const draws = (e: P5Element): boolean => e.childNodes.some((c) => 'tagName' in c && NS_URI[(c as P5Element).namespaceURI] === 'svg' && SVG_ELEMENTS.has((c as P5Element).tagName));
  if (lost && (ns === 'math' || !draws(node))) return [textContent(node)];
  if (lost) dropped(state, node.tagName, `text inside <svg> that the drawing cannot show is not kept: "${excerpt(lost)}"`);
  return cleanForeign(node, state, ns);
}

/** How many levels of elements `root` holds, itself included, counted up to `limit`. */
function heightOf(root: P5Element, limit: number): number {
  let most = 0;
  const stack: [P5Element, number][] = [[root, 1]];
  while (stack.length) {
    const [e, level] = stack.pop()!;
    if (level > most) most = level;
    if (most >= limit) return most;
    for (const c of e.childNodes) if ('tagName' in c) stack.push([c as P5Element, level + 1]);
  }
  return most;
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

/** An element of inline SVG or MathML: kept with its namespace, only what EPUB readers and EPUBCheck accept. */
function cleanForeign(node: P5Element, state: State, ns: 'svg' | 'math'): XNode[] {
  // MathML nested too deep is its text, as a text element (bare text is not allowed in a formula's rows).
  if (state.depth >= MAX_DEPTH) return ns === 'math' ? [{ tag: 'mtext', ns: 'math', attrs: new Map(), children: [textContent(node)] }] : [];
  const rules = FOREIGN[ns];
  const tag = node.tagName;
  // A picture the drawing shows from a file or an address (`<image href>`): a drawing in the book may
  // only refer to its own document, so the picture is not kept, and the reader of the article saw it.
  if (ns === 'svg' && tag === 'image') {
    const href = node.attrs.find((a) => a.name === 'href' && a.value.trim())?.value.trim();
    if (href) state.problems.push({ pos: elementStart(state, 'image'), code: 'html-media-dropped', message: `<image> of ${excerpt(href)} in an inline <svg> left out: a drawing in an e-book may only refer to its own document; show the picture with ![alt](${excerpt(href)}) or <img> beside the drawing` });
  }
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
    // (Each piece of raw HTML in a paragraph, a tag, has its own span: the elements after it are looked for there.)
    else if (child.nodeName === '#comment') readPosComment(state, (child as DefaultTreeAdapterMap['commentNode']).data);
    else if ('tagName' in child && NS_URI[(child as P5Element).namespaceURI] === ns) for (const n of cleanForeign(child as P5Element, state, ns)) children.push(n);
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
