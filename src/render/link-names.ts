// Link names: a link whose only content is an image without a description (a README's badges:
// `[![](badge.svg)](https://ci.example/...)`) has no name for a screen reader, and nothing at all to show
// when the image cannot be loaded. Its image is described by where the link leads, as WCAG asks of an
// image that is a link's only content; a failed image then leaves that text (see assets.ts).
import { takeClasses, textOf, walk, type XElement } from './tree.js';

/** Describe the images that are the whole content of a link and have no description of their own. */
export function nameImageLinks(nodes: XElement['children']): void {
  walk(nodes, (e) => {
    if (e.ns !== 'html' || e.tag !== 'a' || !e.attrs.has('href')) return;
    if (textOf(e).trim()) return false;
    const images: XElement[] = [];
    let drawing = false;
    walk(e.children, (c) => {
      if (c.ns === 'html' && c.tag === 'img') images.push(c);
      else if (c.ns !== 'html') drawing = true;
    });
    const first = images[0];
    if (first && !drawing) first.attrs.set('alt', linkName(e.attrs.get('href')!, first.attrs.get('src') ?? ''));
    return false;
  });
}

/** What a link is called when nothing in it says: the web address it leads to, else the image's file name. */
function linkName(href: string, src: string): string {
  if (/^(https?|ftp):\/\//i.test(href)) return href;
  if (/^mailto:/i.test(href)) return href.slice('mailto:'.length);
  const file = src.replace(/[?#].*$/, '').split('/').filter(Boolean).pop();
  return file ? safeDecode(file) : href;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The class of quire's own links to documents (a MyST toctree's entries, the `{doc}` role, toctree.ts): their
 * text is the document's name as written, a stand-in for its title, which only the whole book knows.
 */
export const DOC_LINK = 'quire-doc';

/**
 * The links whose text is to be the title of the chapter they lead to (or of its heading), given at settle:
 * each document link, emptied, with its stand-in (its text, shown when it leads to no chapter), its marking
 * class taken off (in a heading, only its class: it keeps its name as written).
 */
export function documentLinks(nodes: XElement['children'], inHeading = false): Map<XElement, string> {
  const named = new Map<XElement, string>();
  walk(nodes, (e) => {
    if (e.ns !== 'html') return;
    // In a heading, a document link keeps its name as written: the heading's id and its entry in the
    // contents are made before the book is known, and `## About {doc}\`other\`` had the id `about`, where
    // it was `about-other`, and the entry "About", while the chapter showed "About The Other".
    if (!inHeading && /^h[1-6]$/.test(e.tag)) {
      documentLinks(e.children, true);
      return false;
    }
    if (e.tag !== 'a') return;
    if (!takeClasses(e.attrs, [DOC_LINK]).size) return;
    if (inHeading) return false;
    named.set(e, textOf(e).trim());
    e.children = [];
    return false;
  });
  return named;
}

/**
 * What a link to another file shows when it shows nothing of its own: `[](other.md)` showed nothing (nor
 * does it on GitHub), and is given the title of the chapter it leads to at settle; its stand-in, shown when
 * it leads to none, is empty. A document link's stand-in is its name as written (documentLinks). Undefined
 * for a link with text, an image or anything else in it, and for a link within the chapter (`#part`: raw
 * HTML's empty anchors beside headings would repeat the heading).
 */
export function standInOf(e: XElement, named: ReadonlyMap<XElement, string>): string | undefined {
  const given = named.get(e);
  if (given !== undefined) return given;
  if (e.attrs.get('href')!.startsWith('#')) return undefined;
  return e.children.every((c) => typeof c === 'string' && !c.trim()) ? '' : undefined;
}
