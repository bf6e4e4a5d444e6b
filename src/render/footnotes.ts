// Footnotes: marked-footnote's GitHub-style markup -> EPUB 3 notes. References become
// `a epub:type="noteref"`; notes become `aside epub:type="footnote"` (they pop up on e-readers), or
// endnotes (`li epub:type="endnote"` in a list) after the chapter or in a notes document at the end of the
// book. Every id gets the chapter's prefix so that note ids are unique across the whole book.
import { labelsFor } from '../labels.js';
import type { NotesPlacement } from '../model.js';
import { el, isElement, walk, type XElement, type XNode } from './tree.js';

/** The document that holds the book's notes when they are gathered at its end. */
export const NOTES_FILE = 'notes.xhtml';

/**
 * Turn the chapter's footnotes into notes placed as asked. With `book`, the list of notes is taken out of
 * `nodes` and returned (their references point into NOTES_FILE); otherwise they stay at the chapter's end.
 */
export function convertFootnotes(nodes: XNode[], prefix: string, placement: NotesPlacement, lang: string): XElement | undefined {
  const sectionIndex = nodes.findIndex((n) => isElement(n) && n.tag === 'section' && n.attrs.get('class') === 'footnotes');
  if (sectionIndex === -1) return undefined;
  const section = nodes[sectionIndex] as XElement;
  const list = section.children.find((c): c is XElement => isElement(c) && c.tag === 'ol');
  if (!list) {
    nodes.splice(sectionIndex, 1);
    return undefined;
  }
  const endnotes = placement !== 'footnotes';
  // Old id -> new id, for notes and references alike.
  const rename = new Map<string, string>();
  const notes: XElement[] = [];
  let number = 0;
  for (const item of list.children) {
    if (!isElement(item) || item.tag !== 'li') continue;
    number++;
    const oldId = item.attrs.get('id') ?? '';
    const id = `${prefix}fn${number}`;
    rename.set(oldId, id);
    notes.push(
      endnotes
        ? el('li', { id, class: 'endnote', 'epub:type': 'endnote', role: 'doc-endnote' }, item.children)
        : el('aside', { id, class: 'footnote', 'epub:type': 'footnote', role: 'doc-footnote' }, item.children),
    );
  }
  // References, in document order: the first reference to note N is fnrefN, later ones fnrefN-2, -3...
  // Then those inside notes (a note may refer to another), numbered on.
  const refCount = new Map<string, number>();
  const reference = (e: XElement): boolean | void => {
    if (e === section) return false;
    if (e.tag !== 'a' || !e.attrs.has('id') || !isFootnoteHref(e.attrs.get('href'), rename)) return;
    const target = rename.get(decodeFragment(e.attrs.get('href')!))!;
    const n = (refCount.get(target) ?? 0) + 1;
    refCount.set(target, n);
    const refId = `${target.replace(/fn(\d+)$/, 'fnref$1')}${n > 1 ? `-${n}` : ''}`;
    rename.set(e.attrs.get('id')!, refId);
    e.attrs = new Map([
      ['id', refId],
      ['href', `${placement === 'book' ? NOTES_FILE : ''}#${target}`],
      ['class', 'noteref'],
      ['epub:type', 'noteref'],
      ['role', 'doc-noteref'],
    ]);
  };
  walk(nodes, reference);
  separateReferences(nodes);
  const inText = new Set(refCount.keys());
  walk(notes, reference);
  // Each note opens with its number, linked back to its first reference in the text (not to one inside
  // another note: in a notes document those lose their ids); the extension's trailing arrows go.
  const refIds = new Set([...rename.entries()].filter(([, v]) => /fnref/.test(v)).map(([k]) => k));
  notes.forEach((note, i) => {
    note.children = pruneLinks(note.children, (href) => refIds.has(decodeFragment(href)));
    const label: XNode[] = inText.has(note.attrs.get('id')!)
      ? [el('a', { href: `#${prefix}fnref${i + 1}`, class: 'footnote-back', role: 'doc-backlink' }, [String(i + 1)]), '. ']
      : [`${i + 1}. `];
    const first = note.children.find((c): c is XElement => isElement(c));
    if (first && first.tag === 'p') first.children.unshift(...label);
    else note.children.unshift(el('p', { class: 'footnote-number' }, label));
    trimEnd(note);
  });
  // A footnote is shown where it is referred to, as a pop-up: one referred to from nowhere would never be
  // seen (Apple Books and others hide every footnote), so it is a plain block at the chapter's end.
  if (!endnotes) {
    for (const note of notes) {
      if (refCount.has(note.attrs.get('id')!)) continue;
      note.tag = 'div';
      note.attrs = new Map([
        ['id', note.attrs.get('id')!],
        ['class', 'footnote'],
      ]);
    }
  }
  const items = notes.flatMap((n) => ['\n', n]).concat('\n');
  if (!endnotes) {
    nodes[sectionIndex] = el('section', { class: 'footnotes', 'epub:type': 'footnotes' }, items);
    return undefined;
  }
  const endnotesList = el('ol', { class: 'endnotes-list' }, items);
  if (placement === 'chapter') {
    nodes[sectionIndex] = el('section', { class: 'footnotes endnotes', 'epub:type': 'endnotes', role: 'doc-endnotes', 'aria-label': labelsFor(lang).notes }, ['\n', endnotesList, '\n']);
    return undefined;
  }
  nodes.splice(sectionIndex, 1);
  // Ids inside the notes other than the notes' own could meet the same ids of another chapter there.
  walk(endnotesList.children, (e) => {
    if (e.tag !== 'li' || e.attrs.get('class') !== 'endnote') e.attrs.delete('id');
  });
  return endnotesList;
}

/**
 * References side by side (`text[^6][^7]`, a page's citations) get a comma between them, raised with them:
 * `⁶,⁷`, where they read as one number, 67.
 */
function separateReferences(nodes: XNode[]): void {
  const isRef = (n: XNode | undefined): boolean => n !== undefined && isElement(n) && n.tag === 'sup' && n.children.length === 1 && isElement(n.children[0]) && n.children[0].attrs.get('class') === 'noteref';
  const visit = (list: XNode[]): void => {
    for (let i = list.length - 1; i > 0; i--) if (isRef(list[i]) && isRef(list[i - 1])) list.splice(i, 0, el('sup', { class: 'noteref-separator' }, [',']));
    for (const n of list) if (isElement(n)) visit(n.children);
  };
  visit(nodes);
}

/** Remove `<a>` elements whose href matches, with their content. */
function pruneLinks(children: XNode[], match: (href: string) => boolean): XNode[] {
  return children.filter((c) => {
    if (!isElement(c)) return true;
    if (c.tag === 'a' && c.attrs.get('href')?.startsWith('#') && match(c.attrs.get('href')!)) return false;
    c.children = pruneLinks(c.children, match);
    return true;
  });
}

/** Drop the white space left where a trailing back-link was. */
function trimEnd(e: XElement): void {
  while (typeof e.children[e.children.length - 1] === 'string') {
    const t = (e.children[e.children.length - 1] as string).trimEnd();
    if (t) {
      e.children[e.children.length - 1] = t;
      return;
    }
    e.children.pop();
  }
  const last = e.children[e.children.length - 1];
  if (last && typeof last !== 'string' && last.tag === 'p') trimEnd(last);
}

function isFootnoteHref(href: string | undefined, rename: Map<string, string>): boolean {
  return href !== undefined && href.startsWith('#') && rename.has(decodeFragment(href));
}

function decodeFragment(href: string): string {
  try {
    return decodeURIComponent(href.slice(1));
  } catch {
    return href.slice(1);
  }
}

