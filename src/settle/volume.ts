// Stage: settle. Across one volume: every chapter's links (to other chapters, to anchors, to articles in
// other volumes) and images (local and remote) are settled, and the placeholders the renderer left
// in its body are filled. Returns the chapters' final bodies (each filled when asked), their notes' trees
// with their settled links and images (settle/notes.ts writes them), the images to embed and the problems
// found, in reading order.
import type { Diagnostic } from '../diagnostics.js';
import type { BookChapter, XElement } from '../model.js';
import type { Downloader } from '../remote.js';
import { resolveLinks, type ChapterIndex } from '../render/links.js';
import { fillPlaceholders } from '../render/placeholders.js';
import { AssetStore, type EmbeddedImage } from './images.js';

export interface SettledVolume {
  /**
   * The `<body>` content of the volume's chapter `i`, links and images in place. Made when asked, once
   * for each chapter (it takes the chapter's rendered body): a book's chapters are then never all in
   * memory twice over.
   */
  body(i: number): string;
  /** What fills chapter `i`'s placeholders (its settled links and images): the same rendered body and fillings make the same body. */
  fillings(i: number): readonly [links: readonly string[], images: readonly string[]];
  /** Each chapter's notes, when the book keeps its notes at the end. */
  notes: (SettledNotes | undefined)[];
  /** The images to embed, sorted by file name. */
  images: EmbeddedImage[];
  /** The local files read, for the writer (the book may not be written over one of them). */
  files: string[];
  diagnostics: Diagnostic[];
}

/** A chapter's notes for the notes document: their tree, and the settled start tags of their links and their images, in order. */
export interface SettledNotes {
  tree: XElement;
  /** Links within the chapter (`#id`, the back-links among them) name its file. */
  links: string[];
  images: string[];
}

/** The file of a chapter in the book. */
export function chapterFileName(c: Pick<BookChapter, 'article'>): string {
  return `chapter-${c.article.slug}.xhtml`;
}

/**
 * Settle the links and images of a volume's chapters. `volumeOf` names the volume of every article of the
 * book, by file, for links to articles in other volumes.
 */
export async function settleVolume(chapters: readonly BookChapter[], articlesDir: string, volumeOf: ReadonlyMap<string, string>, downloader: Downloader): Promise<SettledVolume> {
  const index: ChapterIndex = new Map();
  for (const c of chapters) index.set(c.article.file, { href: chapterFileName(c), chapter: c });
  const elsewhere = new Map([...volumeOf].filter(([file]) => !index.has(file)));

  const assets = new AssetStore(articlesDir, downloader);
  const linkProblems: Diagnostic[] = [];
  const imageProblems: Diagnostic[][] = chapters.map(() => []);
  const settled = await Promise.all(
    chapters.map(async (c, i) => {
      const links = resolveLinks(c, index, articlesDir, linkProblems, elsewhere);
      const images = await assets.resolve(c, imageProblems[i]!);
      // In the notes document, a link within the chapter (`#id`, the back-links among them) names its file.
      const file = chapterFileName(c);
      const notes: SettledNotes | undefined = c.notes && {
        tree: c.notes.tree,
        links: links.slice(c.notes.firstLink).map((l) => (l.startsWith('<a href="#') ? `<a href="${file}${l.slice(9)}` : l)),
        images: images.slice(c.notes.firstImage),
      };
      return { links, images, notes };
    }),
  );
  // Chapters settle their images concurrently; report in reading order all the same.
  const diagnostics = [...linkProblems, ...imageProblems.flat()];
  const images = [...assets.images.values()].sort((a, b) => (a.href < b.href ? -1 : 1));
  return {
    body: (i) => fillPlaceholders(chapters[i]!.body.take(), settled[i]!.links, settled[i]!.images),
    fillings: (i) => [settled[i]!.links, settled[i]!.images],
    notes: settled.map((s) => s.notes), images, files: [...assets.files], diagnostics };
}
