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

/** Chapters are rendered by quire; epub-gen-memory's chapter template just writes them out. */
const CHAPTER_TEMPLATE = '<%- quireXhtml %>';

/** epub-gen-memory keeps its identifier and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  finish(input: PackageInput): void {
    this.uuid = input.identifier;
    const oebps = this.zip.folder('OEBPS')!;
    for (const f of input.files) oebps.file(f.path, f.data, f.store ? { compression: 'STORE' } : {});
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
    input.chapters.map((c) => ({ title: c.title, content: '', filename: c.filename, quireXhtml: c.xhtml })),
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
