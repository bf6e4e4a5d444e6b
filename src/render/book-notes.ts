// Render stage: the notes kept for the notes document at the end of the book. Which of a chapter's links
// wait for the whole book (the same rule for its body and its notes), the links and images its notes
// hold, in the order the serialiser meets them, and the notes' XHTML once those are settled.
import type { Reference } from '../model.js';
import { NOTES_FILE } from './footnotes.js';
import { standInOf } from './link-names.js';
import { endTag, markShownAlt, spaceShownAlts } from './placeholders.js';
import { PHRASING } from './sanitize-policy.js';
import { serialize } from './serialize.js';
import { walk, type XElement } from './tree.js';

/**
 * Whether a link's start tag waits for the whole book: not an external link (kept as written), nor, when the
 * notes go at the end of the book, a note reference to the notes document.
 */
export function waitsForBook(e: XElement, notesAtEnd: boolean): boolean {
  const href = e.attrs.get('href')!;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^file:/i.test(href)) return false;
  if (notesAtEnd && e.attrs.get('epub:type') === 'noteref' && href.startsWith(`${NOTES_FILE}#`)) return false;
  return true;
}

/** What settling a link needs of it: its attributes and target, where it is, its stand-in, whether it holds blocks. */
export function linkReference(e: XElement, documentLinkNames: ReadonlyMap<XElement, string>): Reference {
  const standIn = standInOf(e, documentLinkNames);
  return { attrs: e.attrs, target: e.attrs.get('href')!, pos: e.pos ?? 0, ...(standIn !== undefined && { standIn }), ...(holdsBlocks(e) && { block: true as const }) };
}

/** Whether an element holds an HTML element that is not phrasing content (a `<div>`, a list, a paragraph). */
function holdsBlocks(e: XElement): boolean {
  let found = false;
  walk(e.children, (c) => {
    if (found || c.ns !== 'html') return false;
    if (!PHRASING.has(c.tag)) found = true;
  });
  return found;
}

/** Add the links and images of the notes to the chapter's, in the order serializeNotes writes them. */
export function notesReferences(notes: XElement, links: Reference[], images: Reference[], documentLinkNames: ReadonlyMap<XElement, string> = new Map()): void {
  walk([notes], (e) => {
    if (e.ns !== 'html') return;
    if (e.tag === 'img') {
      images.push({ attrs: e.attrs, target: e.attrs.get('src')!, pos: e.pos ?? 0 });
      return false;
    }
    if (e.tag === 'a' && e.attrs.has('href') && waitsForBook(e, true)) links.push(linkReference(e, documentLinkNames));
  });
}

/** The notes' XHTML, given the settled start tags of their links and their images, in order, and their language. */
export function serializeNotes(notes: XElement, links: readonly string[], images: readonly string[], lang: string): string {
  let link = 0;
  let image = 0;
  return spaceShownAlts(serialize([notes], {
    link(e: XElement): [string, string] | undefined {
      if (!waitsForBook(e, true)) return undefined;
      const start = links[link++]!;
      return [start, endTag(start)];
    },
    image: () => markShownAlt(images[image++]!),
    lang,
  }));
}
