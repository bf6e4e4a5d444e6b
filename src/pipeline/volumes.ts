// Orchestration: the rendered chapters cut into one book or several (volumes), and each volume settled
// (settle/), made into documents (epub/book.ts) and packaged (epub/package.ts).
import type { Cache } from '../cache.js';
import type { BookConfig } from '../config.js';
import type { Diagnostics } from '../diagnostics.js';
import { bookFiles, type DocumentMemory } from '../epub/book.js';
import { packageEpub, type PackageInput, type PackageMemory } from '../epub/package.js';
import { sniffImage } from '../images.js';
import { KINDLE_MAX_BYTES, type BookChapter } from '../model.js';
import type { BuildOptions } from '../options.js';
import type { Downloader } from '../remote.js';
import { settleVolume, type LinkMemory } from '../settle/volume.js';
import type { Covers } from './covers.js';

export interface VolumePlan {
  /** `1`, `2`... or a year; undefined for a book in one volume. */
  label?: string;
  title: string;
  chapters: BookChapter[];
}

/** Cut the book into volumes: every `size` chapters, or by the year of each article's date. */
export function splitVolumes(chapters: BookChapter[], title: string, split: BuildOptions['split']): VolumePlan[] {
  if (!split) return [{ title, chapters }];
  if (split.by === 'count') {
    const count = Math.ceil(chapters.length / split.size);
    if (count <= 1) return [{ title, chapters }];
    return Array.from({ length: count }, (_, i) => ({
      label: String(i + 1),
      title: `${title} (${i + 1} of ${count})`,
      chapters: chapters.slice(i * split.size, (i + 1) * split.size),
    }));
  }
  const byYear = new Map<string, BookChapter[]>();
  for (const c of chapters) {
    const year = /^(\d{4})/.exec(c.article.meta.date ?? '')?.[1] ?? 'undated';
    byYear.set(year, [...(byYear.get(year) ?? []), c]);
  }
  const years = [...byYear.keys()].sort((a, b) => (a === 'undated' ? 1 : b === 'undated' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return years.map((year) => ({ label: year, title: year === 'undated' ? `${title} (undated)` : `${title}, ${year}`, chapters: byYear.get(year)! }));
}

export interface VolumeContext {
  options: BuildOptions;
  articlesDir: string;
  config: BookConfig;
  css: string;
  cover: Buffer | undefined;
  covers: Covers;
  /** The volume of every article of the book, by file. */
  volumeOf: Map<string, string>;
  diagnostics: Diagnostics;
  downloader: Downloader;
  /** Where the last packaging of each volume is kept for the next build of this process (watch mode). */
  cache: Cache;
  /** Where each volume's bytes go as they are made (`build` writes them to a file); else they are returned. */
  sink?: (label: string | undefined) => (chunk: Uint8Array) => void;
  /**
   * What deflates the book's documents on other threads too (Pool.deflate), when there are any, and starts
   * its thread ahead of time.
   */
  deflater?: { ready(): void; deflate: NonNullable<PackageInput['deflate']> };
}

/** Settle one volume's links and images, make its documents and package it. */
export async function packageVolume(volume: VolumePlan, ctx: VolumeContext): Promise<{ epub?: Buffer; size?: number; images: number; files: string[] }> {
  const { options, articlesDir, config, css, cover, covers, diagnostics, downloader } = ctx;
  const { chapters, title } = volume;
  // The last book this process made for this volume: its unchanged entries are not deflated again. Without
  // one, every document is deflated: the thread that helps is started as the volume is settled.
  const book = `${options.target ?? 'epub'}/${volume.label ?? ''}`;
  const slot = `package/${book}`;
  const previous = ctx.cache.carried<PackageMemory>(slot);
  if (!previous) ctx.deflater?.ready();
  const linkSlot = `links/${book}`;
  const settled = await settleVolume(chapters, articlesDir, ctx.volumeOf, downloader, ctx.cache.carries ? { last: ctx.cache.carried<LinkMemory>(linkSlot), next: (memory) => ctx.cache.carry(linkSlot, memory) } : undefined);
  diagnostics.addAll(settled.diagnostics);
  if (diagnostics.hasErrors) return { images: settled.images.length, files: settled.files };

  const drawn = cover ? undefined : await covers.get(title);
  if (drawn?.missing.length) diagnostics.warning('cover-glyphs-missing', coverGlyphsMessage(drawn.missing, volume.label));
  const coverData = cover ?? drawn!.png;
  const coverType = cover ? (await sniffImage(coverData))! : { extension: 'png', mediaType: 'image/png' };
  // In watch mode, the chapter documents of the last book, and the book itself, are kept for the next.
  const documentSlot = `documents/${book}`;
  const documents = ctx.cache.carries ? { last: ctx.cache.carried<DocumentMemory>(documentSlot), next: new Map() as DocumentMemory } : undefined;
  const files = bookFiles({ config, title, label: volume.label, chapters, settled, css, cover: { data: coverData, ...coverType }, kobo: options.target === 'kobo', sourceDateEpoch: options.sourceDateEpoch, documents });
  const onProgress = options.onProgress;
  const { epub, size, memory, deflated, reused } = await packageEpub({ ...files, sink: ctx.sink?.(volume.label), remember: ctx.cache.carries, previous, deflate: ctx.deflater?.deflate, onProgress: onProgress && ((percent) => onProgress({ stage: 'compress', done: Math.floor(percent), total: 100 })) });
  if (memory) ctx.cache.carry(slot, memory);
  if (documents) ctx.cache.carry(documentSlot, documents.next);
  ctx.cache.stats.deflate.hits += reused;
  ctx.cache.stats.deflate.misses += deflated;
  if (options.target === 'kindle' && size > KINDLE_MAX_BYTES) {
    const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
    diagnostics.warning('kindle-too-large', `the book${volume.label ? ` (volume ${volume.label})` : ''} is ${mb(size)}; Send-to-Kindle takes ${mb(KINDLE_MAX_BYTES)} at most: split the book into volumes`);
  }
  return { epub, size, images: settled.images.length, files: settled.files };
}

/** How many characters a warning names before it counts the rest. */
const NAMED_CHARACTERS = 5;

/** The warning for characters the generated cover draws as boxes: which they are, and what to do. */
function coverGlyphsMessage(missing: readonly string[], label: string | undefined): string {
  const named = missing.slice(0, NAMED_CHARACTERS).map((ch) => `${ch} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  const more = missing.length > NAMED_CHARACTERS ? ` and ${missing.length - NAMED_CHARACTERS} more` : '';
  const what = missing.length === 1 ? 'a character' : `${missing.length} characters`;
  return `the generated cover${label ? ` of volume ${label}` : ''} shows ${what} of the title or authors as a box: ${named.join(', ')}${more}, which no font quire ships has; give the book a cover image (\`cover\` in book.yaml, or --cover)`;
}
