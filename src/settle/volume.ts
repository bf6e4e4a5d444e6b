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
 * What settling a volume's links leaves for the next build of a long-running process (watch mode): where
 * every link can lead (the volume's chapters, their files and anchors, the articles in other volumes) and
 * each chapter's settled links with their problems. In a volume laid out the same, a chapter whose links
 * and text are the same settles the same way, and is given its last links: settling every link of 5,000
 * real-docs articles again took about 0.1 s of each rebuild.
 */
export interface LinkMemory {
  layout: { articlesDir: string; files: string[]; hrefs: string[]; ids: ReadonlySet<string>[]; names: string[]; elsewhere: ReadonlyMap<string, string> };
  chapters: Map<string, { from: Pick<BookChapter, 'links' | 'titleId'> & Pick<BookChapter['article'], 'body' | 'lifted'>; links: string[]; problems: Diagnostic[] }>;
}

/**
 * Settle the links and images of a volume's chapters. `volumeOf` names the volume of every article of the
 * book, by file, for links to articles in other volumes. `links` carries the settled links from one build
 * of a long-running process to the next (see LinkMemory).
 */
export async function settleVolume(
  chapters: readonly BookChapter[],
  articlesDir: string,
  volumeOf: ReadonlyMap<string, string>,
  downloader: Downloader,
  links?: { last?: LinkMemory; next(memory: LinkMemory): void },
): Promise<SettledVolume> {
  const index: ChapterIndex = new Map();
  for (const c of chapters) index.set(c.article.file, { href: chapterFileName(c), chapter: c });
  const elsewhere = new Map([...volumeOf].filter(([file]) => !index.has(file)));
  const layout: LinkMemory['layout'] = { articlesDir, files: chapters.map((c) => c.article.file), hrefs: chapters.map(chapterFileName), ids: chapters.map((c) => c.ids), names: chapters.map(linkNames), elsewhere };
  const last = links?.last && sameLayout(links.last.layout, layout) ? links.last.chapters : undefined;
  const memory: LinkMemory = { layout, chapters: new Map() };

  const assets = new AssetStore(articlesDir, downloader);
  const linkProblems: Diagnostic[] = [];
  const imageProblems: Diagnostic[][] = chapters.map(() => []);
  /** The chapter's settled links, and their problems (reported in reading order with the others'). */
  const settleLinks = (c: BookChapter): string[] => {
    const known = last?.get(c.article.file);
    const { from } = known ?? {};
    const same = from && from.links === c.links && from.titleId === c.titleId && from.body === c.article.body && from.lifted === c.article.lifted;
    const entry = same ? known! : { from: { links: c.links, titleId: c.titleId, body: c.article.body, lifted: c.article.lifted }, links: [] as string[], problems: [] as Diagnostic[] };
    if (!same) entry.links = resolveLinks(c, index, articlesDir, entry.problems, elsewhere);
    for (const d of entry.problems) linkProblems.push(d);
    if (links) memory.chapters.set(c.article.file, entry);
    return entry.links;
  };
  const settled = await Promise.all(
    chapters.map(async (c, i) => {
      const links = settleLinks(c);
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
  links?.next(memory);
  return {
    body: (i) => fillPlaceholders(chapters[i]!.body.take(), settled[i]!.links, settled[i]!.images),
    fillings: (i) => [settled[i]!.links, settled[i]!.images],
    notes: settled.map((s) => s.notes), images, files: [...assets.files], diagnostics };
}

/**
 * What a link that shows nothing of its own may show of a chapter: its title, its headings' text, and what
 * names its MyST labels (a figure's caption, a box's title: links.ts).
 */
function linkNames(c: BookChapter): string {
  return [c.title, ...c.sections.map((s) => `${s.id}\u0000${s.text}`), ...[...(c.labels ?? [])].map(([id, text]) => `${id}\u0000${text}`)].join('\u0000');
}

/** Whether links lead where they led: the same chapters in the same files, with the same anchors, titles and headings, and the same articles elsewhere. */
function sameLayout(a: LinkMemory['layout'], b: LinkMemory['layout']): boolean {
  if (a.articlesDir !== b.articlesDir || a.files.length !== b.files.length || a.elsewhere.size !== b.elsewhere.size) return false;
  for (let i = 0; i < a.files.length; i++) {
    if (a.files[i] !== b.files[i] || a.hrefs[i] !== b.hrefs[i] || a.names[i] !== b.names[i]) return false;
    const x = a.ids[i]!;
    const y = b.ids[i]!;
    if (x !== y && (x.size !== y.size || [...x].some((id) => !y.has(id)))) return false;
  }
  for (const [file, label] of a.elsewhere) if (b.elsewhere.get(file) !== label) return false;
  return true;
}
