// A chapter's zip entry, made where the chapter is rendered (in parallel, and cached with it): the
// chapter's document with its link and image placeholders still in, deflated in pieces between them.
// Once the book knows where links point and what images are called, it only puts that text between
// the pieces (finishEntry), without writing or compressing the document again.
import type { RenderedChapter, RenderSettings } from '../model.js';
import { holeText, PLACEHOLDER } from '../render/placeholders.js';
import { deflateSegments, joinSegments, type Deflated, type DeflatedSegments } from './deflate.js';
import { chapterDocument } from './documents.js';

export interface ChapterEntry {
  deflated: DeflatedSegments;
  /** The placeholders between the pieces, in order: `L<n>` and `E<n>` (a link's start and end tags) or `I<n>` (an image). */
  holes: string[];
}

export function chapterEntry(chapter: RenderedChapter, settings: RenderSettings): ChapterEntry {
  const xhtml = chapterDocument({
    title: chapter.title,
    titleId: chapter.titleId,
    lang: chapter.lang ?? settings.lang,
    dir: chapter.dir,
    body: chapter.body,
    kobo: settings.target === 'kobo',
  });
  // split() with a capturing group: text, hole, text, hole, ..., text.
  const pieces = xhtml.split(PLACEHOLDER);
  return {
    deflated: deflateSegments(pieces.filter((_, i) => i % 2 === 0).map((t) => Buffer.from(t, 'utf8'))),
    holes: pieces.filter((_, i) => i % 2 === 1),
  };
}

/** The text that goes in each hole, given the chapter's settled links and images. */
export function entryFills(entry: ChapterEntry, links: readonly string[], images: readonly string[]): string[] {
  return entry.holes.map((h) => holeText(h, links, images));
}

/** The finished entry, with `fills` (from entryFills) in the holes. */
export function finishEntry(entry: ChapterEntry, fills: readonly string[]): Deflated {
  return joinSegments(entry.deflated, fills.map((f) => Buffer.from(f, 'utf8')));
}
