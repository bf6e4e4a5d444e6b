// The packaging seam: the only file that knows epub-gen-memory (and, through it, JSZip).
// quire writes every document itself and hands them over as ready-made templates, so the library
// contributes the container layout; its random identifier, build-time dates, HTML re-parsing and image
// fetching are all bypassed. Zip entries get fixed dates so the same input gives the same bytes.
import { EPub } from 'epub-gen-memory';
import { DEFLATE_LEVEL, deflateEntry, requireFromJszip, type Deflated } from './deflate.js';

// JSZip copies an entry given as a CompressedObject into the zip as it is, without deflating it again:
// it is how JSZip rewrites zips it has read. quire deflates entries beforehand (in parallel, cached).
type CompressedObjectClass = new (compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Uint8Array) => object;
const CompressedObject = requireFromJszip('./compressedObject') as CompressedObjectClass;
const DEFLATE = (requireFromJszip('./compressions') as { DEFLATE: unknown }).DEFLATE;

function compressed(entry: Deflated): object {
  return new CompressedObject(entry.data.length, entry.size, entry.crc32, DEFLATE, entry.data);
}

export interface PackageFile {
  /** Path inside OEBPS/. */
  path: string;
  data: string | Buffer;
  /** Already-compressed data (images) is stored, not deflated again. */
  store?: boolean;
}

export interface PackageInput {
  identifier: string;
  title: string;
  lang: string;
  opf: string;
  ncx: string;
  nav: string;
  css: string;
  /** The chapters' entries, deflated already (see entry.ts). */
  chapters: { filename: string; title: string; entry: Deflated }[];
  /** Entries already deflated, by their path inside OEBPS/ (the rest is deflated here). */
  deflated?: ReadonlyMap<string, Deflated>;
  files: PackageFile[];
  /** The time written on every zip entry. */
  modified: Date;
}

/** epub-gen-memory keeps its identifier and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  finish(input: PackageInput): void {
    this.uuid = input.identifier;
    const oebps = this.zip.folder('OEBPS')!;
    const add = (path: string, data: string | Buffer) => {
      // Bytes, not strings: JSZip's own UTF-8 encoder is slow.
      const entry = input.deflated?.get(path) ?? deflateEntry(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      oebps.file(path, compressed(entry) as unknown as Buffer);
    };
    // The documents epub-gen-memory placed from quire's templates keep their place when replaced by bytes.
    add('content.opf', input.opf);
    add('toc.ncx', input.ncx);
    add('toc.xhtml', input.nav);
    add('style.css', input.css);
    for (const c of input.chapters) oebps.file(c.filename, compressed(c.entry) as unknown as Buffer);
    for (const f of input.files) {
      if (f.store) oebps.file(f.path, f.data, { compression: 'STORE' });
      else add(f.path, f.data);
    }
    this.zip.forEach((_path, file) => {
      file.date = input.modified;
    });
  }
}

export async function packageEpub(input: PackageInput): Promise<Buffer> {
  const epub = new QuireEPub(
    {
      title: input.title,
      lang: input.lang,
      version: 3,
      css: input.css,
      // epub-gen-memory renders its templates with EJS; quire's documents are complete already and are
      // written in finish(), so the templates it compiles are empty.
      contentOPF: '',
      tocNCX: '',
      tocXHTML: '',
      date: input.modified.toISOString(),
      fonts: [],
      verbose: false,
    },
    // Chapters are quire's own documents, added by finish(); handing them to epub-gen-memory would only
    // have it parse and template each one for nothing.
    [],
  );
  await epub.render();
  epub.finish(input);
  return (await epub.generateAsync({
    type: 'nodebuffer',
    mimeType: 'application/epub+zip',
    compression: 'DEFLATE',
    compressionOptions: { level: DEFLATE_LEVEL },
  })) as Buffer;
}
