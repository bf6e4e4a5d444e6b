// Stage: package. The packaging seam: the only file that knows epub-gen-memory (and, through it, JSZip).
// quire writes every document itself (epub/book.ts); epub-gen-memory lays out the container and writes
// the package through its public and protected API: the OPF, NCX and navigation document as its
// templates, the style sheet as its `css`, the other documents through the JSZip instance it gives a
// subclass. Its random identifier, build-time dates, HTML re-parsing and image fetching are not used;
// zip entries get fixed dates so that the same input gives the same bytes.
// A process that builds the same book again (watch mode) hands the last book back: its entries whose
// content has not changed keep their deflated bytes (JSZip reads them back with loadAsync), so a rebuild
// deflates only what changed, and writes the bytes a cold build writes. A cold build given a deflater
// (Pool.deflate: deflate.ts on a second thread) has JSZip read back, the same way, a zip of the book's
// entries deflated beforehand: JSZip then only writes them.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { EPub } from 'epub-gen-memory';
import JSZip from 'jszip';
import type { BookPackage, PackageFile } from './book.js';
import type { Deflated } from './deflate.js';

/**
 * The zip level quire uses. Level 3 is zlib's fastest level with a full match search; on a book's XHTML it
 * takes about 60% of the time of level 6 for about 4% more bytes (and level 9 costs far more again).
 */
export const DEFLATE_LEVEL = 3;

/** What a book's packaging leaves for the next packaging of the same book in this process. */
export interface PackageMemory {
  epub: Buffer;
  /** The book's zip entries, in order, each with the digest of its uncompressed content. */
  entries: readonly EntryPrint[];
}

interface EntryPrint {
  name: string;
  dir: boolean;
  /** The entry's own compression (STORE for the mimetype and images), or null for the book's (DEFLATE). */
  compression: string | null;
  digest: string;
}

/**
 * What the book stage made (epub/book.ts), who is told how far compressing is, in per cent, and the
 * last packaging of this book in this process, if any.
 */
export type PackageInput = BookPackage & {
  onProgress?: (percent: number) => void;
  /** Whether to return what the next packaging of this book can take from this one. */
  remember?: boolean;
  previous?: PackageMemory;
  /**
   * Where the book's bytes go, as JSZip makes them, instead of into one buffer: a book written to a file
   * is never held whole (a book of big images would be held twice, images and zip).
   */
  sink?: (chunk: Uint8Array) => void;
  /**
   * What deflates the book's deflated entries (chapters, notes, cover page, package documents) as JSZip
   * would (deflate.ts), on another thread (parallel.ts, Pool.deflate), given how many there are and what
   * makes each one's bytes; JSZip then writes their deflated bytes as they are. Without it, JSZip deflates
   * every entry on this thread.
   */
  deflate?: (count: number, bytesOf: (i: number) => Uint8Array, level: number, progress?: (done: number) => void) => Promise<Deflated[]>;
};

export interface Packaged {
  /** The book's bytes, unless they went to the input's `sink`. */
  epub?: Buffer;
  size: number;
  /** Given when `remember` was. */
  memory?: PackageMemory;
  /** Entries deflated by this packaging, and entries whose deflated bytes were taken from the last book. */
  deflated: number;
  reused: number;
}

/** epub-gen-memory keeps its identifier, template step and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  /**
   * Whether quire's own files are only given their places in the zip by the template step (as empty
   * entries, which JSZip files and makes folders for as it does with the real ones): when there is a last
   * book to take entries from, their content is encoded only where it is needed.
   */
  private readonly deferFiles: boolean;
  /** Whether quire's own files are only placeholders in the template step's zip, for either reason. */
  private readonly placeholders: boolean;

  constructor(private readonly input: PackageInput) {
    const options = {
      title: input.title,
      lang: input.lang,
      version: 3,
      css: input.css,
      // epub-gen-memory renders these with EJS, with its options as the data: quire's documents are
      // complete already, so each template only writes one out, unescaped. (A document given as the template
      // itself would have EJS compile a function from all its text: 40 ms and 60 MB for 5,000 articles.)
      contentOPF: '<%- quire.opf %>',
      tocNCX: '<%- quire.ncx %>',
      tocXHTML: '<%- quire.nav %>',
      quire: { opf: input.opf, ncx: input.ncx, nav: input.nav },
      date: input.modified.toISOString(),
      fonts: [],
      verbose: false,
    };
    // Chapters are quire's own documents, added below through the zip; handing them over as chapter
    // content would have epub-gen-memory parse, filter and re-template each one.
    super(options, []);
    this.uuid = input.identifier;
    this.deferFiles = input.previous !== undefined && input.remember === true;
    this.placeholders = this.deferFiles || input.deflate !== undefined;
  }

  protected override async generateTemplateFiles(): Promise<void> {
    await super.generateTemplateFiles();
    const oebps = this.zip.folder('OEBPS')!;
    for (const f of this.input.files) oebps.file(f.path, this.placeholders ? '' : encodedOnRead(f), f.store ? { compression: 'STORE' } : {});
    const date = this.input.modified;
    // ZipObject's `date` is what JSZip writes; epub-gen-memory's own entries would carry the build's time.
    this.zip.forEach((_path, file) => {
      file.date = date;
    });
  }

  async toBuffer(): Promise<Packaged> {
    const { input } = this;
    await this.render();
    const entries = input.remember ? await this.prints() : undefined;
    let reused = 0;
    const progress = input.onProgress;
    // When the entries are deflated beforehand, that takes the first part of the progress, JSZip the rest.
    let share = 0;
    if (this.placeholders) {
      const last = this.deferFiles && entries && sameLayout(input.previous!.entries, entries) ? await this.reuseEntries(input.previous!, entries) : undefined;
      if (!last && input.deflate) share = DEFLATING_SHARE;
      const ready = last ?? (input.deflate && (await this.deflatedBeforehand(input.deflate, progress && ((p) => progress(p * share)))));
      if (ready) {
        this.zip = ready.zip;
        reused = ready.reused;
      } else this.putFiles(this.zip, () => true);
    }
    let deflated = -reused;
    this.zip.forEach((_path, file) => {
      if (!file.dir && file.options.compression !== 'STORE') deflated++;
    });
    const options = { type: 'nodebuffer' as const, mimeType: 'application/epub+zip', compression: 'DEFLATE' as const, compressionOptions: { level: DEFLATE_LEVEL } };
    const update = progress && ((m: { percent: number }) => progress(share * 100 + (1 - share) * m.percent));
    if (input.sink && !entries) {
      // The same bytes as generateAsync's, in the chunks JSZip makes them (an entry at a time).
      let size = 0;
      await new Promise<void>((resolve, reject) => {
        // JSZip's stream (readable-stream's) is read through its events: the sink writes at once.
        this.zip
          .generateNodeStream(options, update)
          .on('data', (chunk: Buffer) => {
            try {
              input.sink!(chunk);
              size += chunk.length;
            } catch (e) {
              reject(e);
            }
          })
          .on('error', reject)
          .on('end', resolve);
      });
      return { size, deflated, reused };
    }
    const epub = await (update ? this.zip.generateAsync(options, update) : this.generateAsync(options));
    // Kept whole for the next packaging of this book (watch mode), and written from there.
    input.sink?.(epub);
    return { ...(!input.sink && { epub }), size: epub.length, memory: entries && { epub, entries }, deflated, reused };
  }

  /** The zip's entries in order, each with the digest of its content (quire's files' from the book stage). */
  private async prints(): Promise<EntryPrint[]> {
    // Their digests and a later putFiles read quire's files: each is made once, here.
    for (const f of this.input.files) if (typeof f.data === 'function') f.data = f.data();
    const own = new Map(this.input.files.map((f) => [`OEBPS/${f.path}`, f]));
    const files: JSZip.JSZipObject[] = [];
    this.zip.forEach((_path, file) => void files.push(file));
    return Promise.all(
      files.map(async (file): Promise<EntryPrint> => {
        const f = own.get(file.name);
        if (f) return { name: file.name, dir: false, compression: f.store ? 'STORE' : null, digest: (f.digest ??= digest(content(f.data))) };
        return { name: file.name, dir: file.dir, compression: file.options.compression ?? null, digest: file.dir ? '' : digest(await file.async('nodebuffer')) };
      }),
    );
  }

  /** Put quire's files whose path `which` takes in `zip`, in their places (a replaced entry keeps its place). */
  private putFiles(zip: JSZip, which: (name: string) => boolean): void {
    const oebps = zip.folder('OEBPS')!;
    const date = this.input.modified;
    for (const f of this.input.files) if (which(`OEBPS/${f.path}`)) oebps.file(f.path, bytes(content(f.data)), { date, ...(f.store ? { compression: 'STORE' as const } : {}) });
  }

  /**
   * The zip with every entry that the book's compression applies to deflated beforehand (input.deflate):
   * a zip of their deflated bytes, with every other entry in its place but empty, is made here and read
   * back by JSZip, which keeps the deflated bytes of what it reads and writes them as they are; the other
   * entries (the stored ones) are then put in again, in their places, as in reuseEntries. Undefined when
   * the zip does not read back as the entries it was made of (JSZip then deflates everything itself).
   */
  private async deflatedBeforehand(deflate: NonNullable<PackageInput['deflate']>, progress?: (percent: number) => void): Promise<{ zip: JSZip; reused: number } | undefined> {
    const own = new Map(this.input.files.map((f) => [`OEBPS/${f.path}`, f]));
    const layout: JSZip.JSZipObject[] = [];
    this.zip.forEach((_path, file) => void layout.push(file));
    if (layout.length > MAX_ENTRIES) return undefined;
    // Every entry the book's compression applies to: quire's documents, and epub-gen-memory's (the package
    // document, NCX and navigation document: 1.5 MB for 1,000 articles), which are taken as JSZip holds them.
    const deflated = layout.filter((file) => !file.dir && (own.has(file.name) ? !own.get(file.name)!.store : file.options.compression == null && (file.options as { compressionOptions?: unknown }).compressionOptions == null));
    const theirs = new Map<string, Buffer>();
    for (const file of deflated) if (!own.has(file.name)) theirs.set(file.name, await file.async('nodebuffer'));
    const packed = await deflate(
      deflated.length,
      (i) => {
        const name = deflated[i]!.name;
        const data = theirs.get(name);
        // Held until deflated only (7 MB for 5,000 articles).
        theirs.delete(name);
        return data ?? bytes(content(own.get(name)!.data));
      },
      DEFLATE_LEVEL,
      progress && ((done) => progress((100 * done) / Math.max(1, deflated.length))),
    );
    if (packed.reduce((n, d) => n + d.data.length, 0) > MAX_ZIP_BYTES) return undefined;
    const index = new Map(deflated.map((file, i) => [file.name, i]));
    const raw = rawZip(layout.map((file): RawEntry => {
      const i = index.get(file.name);
      return { name: file.name, dir: file.dir, ...(i !== undefined && { deflated: packed[i]! }) };
    }));
    // The deflated bytes are in the zip now: a book of text is not held twice while JSZip writes it.
    packed.length = 0;
    const zip = await readBack(raw, layout.map((file) => file.name));
    if (!zip) return undefined;
    const date = this.input.modified;
    zip.forEach((_path, file) => {
      file.date = date;
    });
    // The rest (the stored entries: the mimetype, the images) in their places again.
    await this.putAgain(zip, (name) => !index.has(name));
    return { zip, reused: 0 };
  }

  /**
   * The last book read back, with every entry whose content changed, and every stored one, put in again.
   * Undefined when the last book does not read back as the entries it was made of.
   */
  private async reuseEntries(previous: PackageMemory, entries: readonly EntryPrint[]): Promise<{ zip: JSZip; reused: number } | undefined> {
    const zip = await readBack(previous.epub, entries.map((e) => e.name));
    if (!zip) return undefined;
    // A stored entry costs nothing to store again, and JSZip would deflate a stored entry it read back.
    const changed = new Set(entries.filter((e, i) => !e.dir && (e.compression !== null || e.digest !== previous.entries[i]!.digest)).map((e) => e.name));
    await this.putAgain(zip, (name) => changed.has(name));
    return { zip, reused: entries.filter((e) => !e.dir && !changed.has(e.name)).length };
  }

  /**
   * The entries (not folders) whose name `which` takes put in `zip` again, in their places: epub-gen-memory's
   * as its template step made them, quire's files from the book stage.
   */
  private async putAgain(zip: JSZip, which: (name: string) => boolean): Promise<void> {
    const own = new Set(this.input.files.map((f) => `OEBPS/${f.path}`));
    const date = this.input.modified;
    const theirs: JSZip.JSZipObject[] = [];
    this.zip.forEach((_path, file) => {
      if (!file.dir && which(file.name) && !own.has(file.name)) theirs.push(file);
    });
    for (const file of theirs) zip.file(file.name, await file.async('nodebuffer'), { date, ...(file.options.compression ? { compression: file.options.compression } : {}) });
    this.putFiles(zip, which);
  }
}

/** JSZip's reading of a zip, unless its entries are not `names`, in that order (then undefined). */
async function readBack(data: Buffer, names: readonly string[]): Promise<JSZip | undefined> {
  const zip = await JSZip.loadAsync(data, { createFolders: false });
  const read: string[] = [];
  zip.forEach((_path, file) => void read.push(file.name));
  return read.length === names.length && read.every((n, i) => n === names[i]) ? zip : undefined;
}

/**
 * A file's bytes as a stream that makes and encodes them when JSZip reads it: JSZip takes its entries one at
 * a time, so only the entry being compressed is held as bytes (book.ts makes chapters' documents then).
 */
function encodedOnRead(file: PackageFile): Readable {
  let given = false;
  return new Readable({
    read() {
      if (!given) {
        given = true;
        this.push(bytes(content(file.data)));
      }
      this.push(null);
    },
  });
}

/** A zip entry for rawZip: a folder, a deflated file, or (neither) an empty stored file that holds a place. */
interface RawEntry {
  name: string;
  dir: boolean;
  deflated?: Deflated;
}

/** Entries, and bytes, past which a zip needs ZIP64, which rawZip does not write. */
const MAX_ENTRIES = 0xfffe;
const MAX_ZIP_BYTES = 0xf0000000;

/** The share of the packaging's progress that deflating beforehand takes (JSZip then only copies). */
const DEFLATING_SHARE = 0.9;

/**
 * A zip of the entries as they are, for JSZip to read back (deflatedBeforehand): a local header and the
 * data of each, then the central directory. Names are written as UTF-8 and flagged so; dates are left at
 * zero, since the entries are given the book's date once read.
 */
function rawZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const d = e.deflated;
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(0x0800, at); // general purpose flags: the name is UTF-8
      header.writeUInt16LE(d ? 8 : 0, at + 2); // method: deflate, or stored
      header.writeUInt32LE(0, at + 4); // time and date
      header.writeUInt32LE(d ? d.crc : 0, at + 8);
      header.writeUInt32LE(d ? d.data.length : 0, at + 12);
      header.writeUInt32LE(d ? d.size : 0, at + 16);
      header.writeUInt16LE(name.length, at + 20);
      header.writeUInt16LE(0, at + 22); // extra field length
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    fields(local, 6);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4); // version made by: MS-DOS, as JSZip writes
    record.writeUInt16LE(20, 6);
    fields(record, 8);
    record.writeUInt16LE(0, 30); // comment length
    record.writeUInt16LE(0, 32); // disk
    record.writeUInt16LE(0, 34); // internal attributes
    record.writeUInt32LE(e.dir ? 0x10 : 0, 38); // external attributes: MS-DOS folder bit
    record.writeUInt32LE(offset, 42);
    parts.push(local, name);
    central.push(record, name);
    offset += local.length + name.length;
    if (d) {
      parts.push(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength));
      offset += d.data.length;
    }
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** A file's content, made if it is made on reading. */
function content(data: PackageFile['data']): string | Buffer {
  return typeof data === 'function' ? data() : data;
}

/** Bytes, not strings: JSZip's own UTF-8 encoder is slow. */
function bytes(data: string | Buffer): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Whether two books' zips hold the same entries in the same order, each compressed the same way. */
function sameLayout(a: readonly EntryPrint[], b: readonly EntryPrint[]): boolean {
  return a.length === b.length && a.every((e, i) => e.name === b[i]!.name && e.dir === b[i]!.dir && e.compression === b[i]!.compression);
}

/** What tells an entry's content from another's (a text is hashed as its UTF-8 bytes, as it is written). */
function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** The EPUB's bytes, and (when asked) what the next packaging of the same book in this process can take from this one. */
export function packageEpub(input: PackageInput): Promise<Packaged> {
  return new QuireEPub(input).toBuffer();
}
