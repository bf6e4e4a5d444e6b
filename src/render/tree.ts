// The tree quire's XHTML stages work on: a small, namespace-aware element tree.
// Produced from parse5's output by the sanitiser, consumed by the serialiser.

export type Namespace = 'html' | 'svg' | 'math';

export interface XElement {
  tag: string;
  ns: Namespace;
  /** Attribute name -> value, in output order. Names are as written in XHTML (`xlink:href`, `epub:type`). */
  attrs: Map<string, string>;
  children: XNode[];
  /** Offset in the Markdown source where this element came from, when known. */
  pos?: number;
}

export type XNode = XElement | string;

export function el(tag: string, attrs: Record<string, string> = {}, children: XNode[] = [], ns: Namespace = 'html'): XElement {
  return { tag, ns, attrs: new Map(Object.entries(attrs)), children };
}

export function isElement(n: XNode): n is XElement {
  return typeof n !== 'string';
}

/** The text content of a node, as a reader would see it. */
export function textOf(n: XNode): string {
  if (typeof n === 'string') return n;
  if (n.tag === 'img') return n.attrs.get('alt') ?? '';
  // A formula reads as its TeX (its alttext), not as the letters of its MathML and annotation run together.
  if (n.tag === 'math' && n.attrs.has('alttext')) return n.attrs.get('alttext')!;
  let s = '';
  for (const c of n.children) s += textOf(c);
  return s;
}

/** Depth-first walk over the elements of a forest; the visitor may return false to skip an element's children. */
export function walk(nodes: readonly XNode[], visit: (e: XElement, parent: XElement | undefined) => boolean | void, parent?: XElement): void {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    if (visit(n, parent) !== false) walk(n.children, visit, n);
  }
}

export const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

const XML_TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/U+FFFF),
 * plus C1 controls and CR, which e-readers show as boxes.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether text may hold anything escaping changes (a surrogate may be half a pair): most text does not. */
// eslint-disable-next-line no-control-regex
const TEXT_WORK = /[&<>\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const ATTR_WORK = /[&<>"\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/;

export function stripForbidden(s: string): string {
  return s.replace(FORBIDDEN, '');
}

export function escapeText(s: string): string {
  if (!TEXT_WORK.test(s)) return s;
  return stripForbidden(s).replace(/[&<>]/g, (c) => XML_TEXT_ESCAPES[c]!);
}

export function escapeAttr(s: string): string {
  if (!ATTR_WORK.test(s)) return s;
  return stripForbidden(s).replace(/[&<>"]/g, (c) => XML_TEXT_ESCAPES[c]!).replace(/[\t\n]/g, (c) => (c === '\t' ? '&#9;' : '&#10;'));
}

/** Serialise attributes as ` name="value"` pairs. */
export function serializeAttrs(attrs: ReadonlyMap<string, string>): string {
  let s = '';
  for (const [k, v] of attrs) s += ` ${k}="${escapeAttr(v)}"`;
  return s;
}
