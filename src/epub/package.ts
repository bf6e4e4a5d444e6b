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
  /** The data already deflated (see deflate.ts). */
  deflated?: Deflated;
}

export interface PackageInput {
  identifier: string;
  title: string;
  lang: string;
  opf: string;
  ncx: string;
  nav: string;
  css: string;
  chapters: { filename: string; title: string; xhtml: string; deflated?: Deflated }[];
  files: PackageFile[];
  /** The time written on every zip entry. */
  modified: Date;
}

/** epub-gen-memory keeps its identifier and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  finish(input: PackageInput): void {
    this.uuid = input.identifier;
    const oebps = this.zip.folder('OEBPS')!;
    const add = (path: string, data: string | Buffer, deflated?: Deflated) => {
      // Bytes, not strings: JSZip's own UTF-8 encoder is slow.
      oebps.file(path, compressed(deflated ?? deflateEntry(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)) as unknown as Buffer);
    };
    // The documents epub-gen-memory placed from quire's templates keep their place when replaced by bytes.
    add('content.opf', input.opf);
    add('toc.ncx', input.ncx);
    add('toc.xhtml', input.nav);
    add('style.css', input.css);
    for (const c of input.chapters) add(c.filename, c.xhtml, c.deflated);
    for (const f of input.files) {
      if (f.store) oebps.file(f.path, f.data, { compression: 'STORE' });
      else add(f.path, f.data, f.deflated);
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
      contentOPF: input.opf,
      tocNCX: input.ncx,
      tocXHTML: input.nav,
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
