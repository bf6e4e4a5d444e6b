// Stage: package. The packaging seam: the only file that knows epub-gen-memory (and, through it, JSZip).
// quire writes every document itself (epub/book.ts); epub-gen-memory lays out the container and writes
// the package through its public and protected API: the OPF, NCX and navigation document as its
// templates, the style sheet as its `css`, the other documents through the JSZip instance it gives a
// subclass. Its random identifier, build-time dates, HTML re-parsing and image fetching are not used;
// zip entries get fixed dates so that the same input gives the same bytes.
import { EPub } from 'epub-gen-memory';
import type { BookPackage } from './book.js';

/**
 * The zip level quire uses. Level 3 is zlib's fastest level with a full match search; on a book's XHTML it
 * takes about 60% of the time of level 6 for about 4% more bytes (and level 9 costs far more again).
 */
export const DEFLATE_LEVEL = 3;

/** What the book stage made (epub/book.ts), and who is told how far compressing is, in per cent. */
export type PackageInput = BookPackage & { onProgress?: (percent: number) => void };

/** epub-gen-memory keeps its identifier, template step and zip protected; a subclass is the sanctioned way in. */
class QuireEPub extends EPub {
  constructor(private readonly input: PackageInput) {
    super(
      {
        title: input.title,
        lang: input.lang,
        version: 3,
        css: input.css,
        // epub-gen-memory renders these with EJS: quire's documents are complete already, so only EJS's
        // own delimiter needs keeping literal (`<%%` is EJS for `<%`; XML text escapes `<`, so it is rare).
        contentOPF: ejsLiteral(input.opf),
        tocNCX: ejsLiteral(input.ncx),
        tocXHTML: ejsLiteral(input.nav),
        date: input.modified.toISOString(),
        fonts: [],
        verbose: false,
      },
      // Chapters are quire's own documents, added below through the zip; handing them over as chapter
      // content would have epub-gen-memory parse, filter and re-template each one.
      [],
    );
    this.uuid = input.identifier;
  }

  protected override async generateTemplateFiles(): Promise<void> {
    await super.generateTemplateFiles();
    const oebps = this.zip.folder('OEBPS')!;
    for (const f of this.input.files) {
      // Bytes, not strings: JSZip's own UTF-8 encoder is slow.
      const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
      oebps.file(f.path, data, f.store ? { compression: 'STORE' } : {});
    }
    const date = this.input.modified;
    // ZipObject's `date` is what JSZip writes; epub-gen-memory's own entries would carry the build's time.
    this.zip.forEach((_path, file) => {
      file.date = date;
    });
  }

  async toBuffer(): Promise<Buffer> {
    await this.render();
    const options = { type: 'nodebuffer' as const, mimeType: 'application/epub+zip', compression: 'DEFLATE' as const, compressionOptions: { level: DEFLATE_LEVEL } };
    const progress = this.input.onProgress;
    return progress ? this.zip.generateAsync(options, (m) => progress(m.percent)) : this.generateAsync(options);
  }
}

function ejsLiteral(document: string): string {
  return document.replaceAll('<%', '<%%');
}

/** The EPUB's bytes. */
export function packageEpub(input: PackageInput): Promise<Buffer> {
  return new QuireEPub(input).toBuffer();
}
