// The tree quire's XHTML stages work on: a small, namespace-aware element tree.
// Produced from parse5's output by the sanitiser, consumed by the serialiser.

import { escapeAttr } from '../xml.js';

// The XML escapes live in xml.ts (earlier stages need them too); the renderer's modules find them here.
export { escapeAttr, escapeText, stripForbidden } from '../xml.js';

// The tree's types are data between stages (a chapter's notes travel as a tree): model.ts holds them.
import type { Namespace, XElement, XNode } from '../model.js';
export type { Namespace, XElement, XNode } from '../model.js';

export function el(tag: string, attrs: Record<string, string> = {}, children: XNode[] = [], ns: Namespace = 'html'): XElement {
  return { tag, ns, attrs: new Map(Object.entries(attrs)), children };
}

export function isElement(n: XNode): n is XElement {
  return typeof n !== 'string';
}

/**
 * The elements that show a component's prop as its text (`<Badge text="beta" />`): on the page, not in the
 * heading's text that its id and its entry in the contents are made from (GitHub and VitePress leave the
 * tag out there, so that `#define-config` links keep working).
 */
export const propTexts = new WeakSet<XElement>();
/**
 * The elements whose text is shown as it is, typography done (a chapter's contents entries, made from its
 * sections' text, where code stays as written): the serialiser does not smarten it again.
 */
export const shownAsIs = new WeakSet<XElement>();
/** Text a heading shows that its id leaves out, as GitHub's does: a placeholder GitHub drops (`Promise<void>`). */
export const unslugged = new WeakSet<XElement>();

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
/**
 * Take quire's own marking classes `names` off an element's attributes (the attribute too, when no other
 * class is left): those of them it had.
 */
export function takeClasses(attrs: Map<string, string>, names: readonly string[]): Set<string> {
  const taken = new Set<string>();
  const classes = attrs.get('class');
  if (!classes) return taken;
  const rest = classes.split(/\s+/).filter((c) => c && !(names.includes(c) && taken.add(c)));
  if (!taken.size) return taken;
  if (rest.length) attrs.set('class', rest.join(' '));
  else attrs.delete('class');
  return taken;
}

export function walk(nodes: readonly XNode[], visit: (e: XElement, parent: XElement | undefined) => boolean | void, parent?: XElement): void {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    if (visit(n, parent) !== false) walk(n.children, visit, n);
  }
}

/**
 * Replace each of `list`'s nodes, in place, by the nodes `replace` gives for it (undefined: kept as it is).
 * The new list is made once, when the first node is replaced: splicing each replacement in moved the rest
 * of the list every time, which was quadratic in a paragraph of many (and spreading a long replacement into
 * one call overflowed the stack).
 */
export function replaceEach(list: XNode[], replace: (n: XNode) => readonly XNode[] | undefined): void {
  let out: XNode[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const n = list[i]!;
    const by = replace(n);
    if (by === undefined) {
      out?.push(n);
      continue;
    }
    out ??= list.slice(0, i);
    for (const m of by) out.push(m);
  }
  if (!out) return;
  list.length = 0;
  for (const n of out) list.push(n);
}

export const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Serialise attributes as ` name="value"` pairs. */
export function serializeAttrs(attrs: ReadonlyMap<string, string>): string {
  let s = '';
  for (const [k, v] of attrs) s += ` ${k}="${escapeAttr(v)}"`;
  return s;
}
