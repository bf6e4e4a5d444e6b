// The packaging seam: the only file that knows epub-gen-memory (and, through it, JSZip).
// quire writes every document itself and hands them over as ready-made templates, so the library
// contributes the container layout; its random identifier, build-time dates, HTML re-parsing and image
// fetching are all bypassed. Zip entries get fixed dates so the same input gives the same bytes.
import { EPub } from 'epub-gen-memory';

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
  chapters: { filename: string; title: string; xhtml: string }[];
  files: PackageFile[];
  /** The time written on every zip entry. */
  modified: Date;
}

/** Chapters are rendered by quire and added in finish(); epub-gen-memory's chapter template writes nothing. */
const CHAPTER_TEMPLATE = '';

/** epub-gen-memory keeps its identifier and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  finish(input: PackageInput): void {
    this.uuid = input.identifier;
    const oebps = this.zip.folder('OEBPS')!;
    // JSZip encodes strings to UTF-8 in JavaScript, slowly; Node's encoder is many times faster. Files
    // epub-gen-memory already placed keep their place in the zip when they are replaced.
    for (const c of input.chapters) oebps.file(c.filename, Buffer.from(c.xhtml, 'utf8'));
    oebps.file('content.opf', Buffer.from(input.opf, 'utf8'));
    oebps.file('toc.ncx', Buffer.from(input.ncx, 'utf8'));
    oebps.file('toc.xhtml', Buffer.from(input.nav, 'utf8'));
    oebps.file('style.css', Buffer.from(input.css, 'utf8'));
    for (const f of input.files) oebps.file(f.path, typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data, f.store ? { compression: 'STORE' } : {});
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
      chapterXHTML: CHAPTER_TEMPLATE,
      date: input.modified.toISOString(),
      fonts: [],
      verbose: false,
    },
    input.chapters.map((c) => ({ title: c.title, content: '', filename: c.filename })),
  );
  await epub.render();
  epub.finish(input);
  return (await epub.generateAsync({
    type: 'nodebuffer',
    mimeType: 'application/epub+zip',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  })) as Buffer;
}
