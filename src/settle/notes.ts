// Stage: settle. With the notes at the end of the book: every chapter's settled notes gathered under the
// chapters' titles, as the body of the notes document (epub/book.ts wraps it).
import type { BookChapter } from '../model.js';
import { escapeAttr, escapeText } from '../render/tree.js';
import { chapterFileName } from './volume.js';

/** The notes document's id for its title. */
export const NOTES_TITLE_ID = 'notes-title';

/** The notes of every chapter under the chapters' titles; undefined when no chapter has notes. */
export function gatherNotes(chapters: readonly BookChapter[], notes: readonly (string | undefined)[], notesTitle: string, kobo: boolean): { body: string; properties?: string } | undefined {
  // In a Kobo book every chapter's notes come with Kobo spans numbered from 1; here they are numbered on.
  let block = 0;
  const span = (text: string) => (kobo ? `<span class="koboSpan" id="kobo.${++block}.1">${text}</span>` : text);
  const title = span(escapeText(notesTitle));
  const parts: string[] = [];
  chapters.forEach((c, i) => {
    let n = notes[i];
    if (n === undefined) return;
    const heading = span(escapeText(c.title));
    if (kobo) {
      const offset = block;
      n = n.replace(/<span class="koboSpan" id="kobo\.(\d+)\.(\d+)">/g, (_, b: string, m: string) => {
        block = Math.max(block, offset + Number(b));
        return `<span class="koboSpan" id="kobo.${offset + Number(b)}.${m}">`;
      });
    }
    parts.push(`<section class="chapter-notes">\n<h2><a href="${escapeAttr(chapterFileName(c))}">${heading}</a></h2>\n${n}\n</section>`);
  });
  if (parts.length === 0) return undefined;
  const body = `<header class="chapter-header"><h1 id="${NOTES_TITLE_ID}" class="chapter-title">${title}</h1></header>\n${parts.join('\n')}`;
  // Text is escaped, so `<svg` and `<math` can only be elements.
  const properties = [notes.some((n) => n?.includes('<svg')) ? 'svg' : '', notes.some((n) => n?.includes('<math')) ? 'mathml' : ''].filter(Boolean).join(' ');
  return { body, properties: properties || undefined };
}
