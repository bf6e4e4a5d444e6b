// Stage: settle. With the notes at the end of the book: every chapter's settled notes gathered under the
// chapters' titles, as the body of the notes document (epub/book.ts wraps it). In a Kobo book the notes'
// Kobo spans are added here, to their trees, numbered on across the whole document.
import { isRightToLeft } from '../config.js';
import type { BookChapter } from '../model.js';
import { serializeNotes } from '../render/book-notes.js';
import { firstStrong } from '../render/direction.js';
import { addKoboSpans } from '../render/kobo.js';
import { escapeAttr, escapeText } from '../render/tree.js';
import { chapterFileName, type SettledNotes } from './volume.js';

/** The notes document's id for its title. */
export const NOTES_TITLE_ID = 'notes-title';

/**
 * The notes of every chapter under the chapters' titles; undefined when no chapter has notes. A chapter in
 * another language than the book's gives its section its `lang`. `lang`, the book's, gives the notes
 * document's direction (a chapter title that runs against it gets its own `dir`,
 * as the notes' blocks got theirs when the chapter was rendered) and the quotation marks of the notes of
 * chapters that have no language of their own.
 */
export function gatherNotes(chapters: readonly BookChapter[], notes: readonly (SettledNotes | undefined)[], notesTitle: string, kobo: boolean, lang: string): { body: string; properties?: string } | undefined {
  const dir = isRightToLeft(lang) ? 'rtl' : 'ltr';
  // In a Kobo book the title and every chapter's heading are one block each; the notes' blocks follow on.
  let block = 0;
  const span = (text: string) => (kobo ? `<span class="koboSpan" id="kobo.${++block}.1">${text}</span>` : text);
  const title = span(escapeText(notesTitle));
  const parts: string[] = [];
  const texts: string[] = [];
  chapters.forEach((c, i) => {
    const settled = notes[i];
    if (settled === undefined) return;
    const heading = span(escapeText(c.title));
    // The rendered tree may be shared (the render cache, other volumes): spans go on a copy.
    const tree = kobo ? structuredClone(settled.tree) : settled.tree;
    if (kobo) block = addKoboSpans([tree], block);
    // The chapter's quotation marks, as in its body: a German chapter's notes had English ones.
    const n = serializeNotes(tree, settled.links, settled.images, c.lang ?? lang);
    texts.push(n);
    const own = firstStrong([c.title]);
    const headingDir = own && own !== dir ? ` dir="${own}"` : '';
    // A chapter in another language than the book's: its title and notes are read in that language.
    const langAttrs = c.lang ? ` xml:lang="${escapeAttr(c.lang)}" lang="${escapeAttr(c.lang)}"` : '';
    parts.push(`<section class="chapter-notes"${langAttrs}>\n<h2${headingDir}><a href="${escapeAttr(chapterFileName(c))}">${heading}</a></h2>\n${n}\n</section>`);
  });
  if (parts.length === 0) return undefined;
  const body = `<header class="chapter-header"><h1 id="${NOTES_TITLE_ID}" class="chapter-title">${title}</h1></header>\n${parts.join('\n')}`;
  // Text is escaped, so `<svg` and `<math` can only be elements.
  const properties = [texts.some((n) => n.includes('<svg')) ? 'svg' : '', texts.some((n) => n.includes('<math')) ? 'mathml' : ''].filter(Boolean).join(' ');
  return { body, properties: properties || undefined };
}
