// Stage: settle. Images: settles every image of the book. Local images are read from inside the articles folder only
// (a root-relative one, `/assets/a.png`, in an article of a static site: from inside the folder the site
// serves `/` from, articles/site-roots.ts), typed by their bytes, converted when e-readers cannot show them (SVG -> PNG), and embedded once each.
// Remote images are downloaded (see remote.ts). Anything that fails (a missing file, a path that leads
// out of the folder, a download) keeps the book valid: the image is replaced by its alt text and a
// warning names the line.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosticCode } from '../codes.js';
import type { Diagnostic } from '../diagnostics.js';
import { placeIn } from '../articles/embedded.js';
import { drawSvg, sniffImage, toPng, type DrawOptions, type DrawingNote } from '../images.js';
import type { Downloader } from '../remote.js';
import type { RenderedChapter } from '../model.js';
import type { StaticRoot } from '../articles/site-roots.js';
import { isInside } from '../articles/load.js';
import { escapeAttr, escapeText, serializeAttrs } from '../render/tree.js';
import { SHOWN_ALT } from '../render/placeholders.js';
import { MAX_IMAGE_BYTES } from '../read.js';

export interface EmbeddedImage {
  /** Path inside the package, relative to the OPF: `images/<hash>.<ext>`. */
  href: string;
  mediaType: string;
  data: Buffer;
  /** For a drawn SVG: the size in CSS pixels it is shown at (its PNG has SVG_SCALE times as many pixels). */
  width?: number;
  height?: number;
}


/** A failure's message says what is shown in the image's place when `saysShown` (a download's failure). */
type Loaded = { ok: true; image: EmbeddedImage; notes?: DrawingNote[] } | { ok: false; message: string; code: DiagnosticCode; saysShown?: true };

/** A folder images are read inside: the articles folder, or a site's static folder (for paths starting `/`). */
interface ImageRoot {
  dir: string;
  /** How messages name it: `the articles folder`, `the Hugo site's static folder`. */
  name: string;
  /** For a site's static folder: its generator, and the site's folder, which the static folder's real path must be inside. */
  generator?: StaticRoot['generator'];
  site?: string;
}

/** The images of one build: each file is read once and each distinct image stored once. */
export class AssetStore {
  readonly images = new Map<string, EmbeddedImage>();
  /** The local files read, for the writer (the book may not be written over one of them). */
  readonly files = new Set<string>();
  private readonly loads = new Map<string, Promise<Loaded>>();
  private readonly rootReals = new Map<string, Promise<string | undefined>>();

  /** Without a downloader, remote images are left out (with a warning each). */
  constructor(
    private readonly articlesDir: string,
    private readonly downloader?: Downloader,
  ) {}

  /** The replacement text for each image placeholder of `chapter`, in order. */
  async resolve(chapter: Pick<RenderedChapter, 'article' | 'images'>, diagnostics: Diagnostic[]): Promise<string[]> {
    const { article } = chapter;
    // Images load concurrently; their problems are reported in the order the images stand.
    const problems: Diagnostic[][] = [];
    const replacements = await Promise.all(
      chapter.images.map(async (ref, i) => {
        const attrs = new Map(ref.attrs);
        attrs.delete('src');
        const alt = attrs.get('alt') ?? '';
        // The image's title goes with its alt text, as it would have with the image: the text shown when
        // there is no alt text, else the span's own title.
        const title = attrs.get('title')?.trim() ?? '';
        const shown = alt.trim() ? alt : title;
        const fallback = shown.trim() ? `${SHOWN_ALT}${title && title !== shown.trim() ? ` title="${escapeAttr(title)}"` : ''}>${escapeText(shown)}</span>` : '';
        const place = placeIn(article, ref.pos);
        const target = ref.target.trim();
        const remote = /^https?:\/\//i.test(target) || target.startsWith('//');
        const lifted = article.data?.get(target);
        const loaded = remote ? await this.loadRemote(target.startsWith('//') ? `https:${target}` : target) : lifted ? await this.loadLifted(target, lifted) : await this.load(target, article.file, article.staticRoot);
        if (!loaded.ok) {
          // Shown instead: its alt text, its title, or nothing (an image with neither).
          const instead = alt.trim() ? 'its alt text is shown instead' : title ? 'its title is shown instead' : 'it has no alt text to show in its place';
          problems[i] = [{ file: article.file, ...place, severity: 'warning', code: loaded.code, message: loaded.saysShown ? `${loaded.message}; ${instead}` : loaded.message }];
          return fallback;
        }
        problems[i] = (loaded.notes ?? []).map((n) => ({ file: article.file, ...place, severity: 'warning', code: n.code, message: `image ${describe(target)}: ${n.message}` }));
        attrs.set('alt', alt);
        // A drawn SVG is shown at its own size, not at the size of its sharper PNG.
        const { width, height } = loaded.image;
        if (width && height && !attrs.has('width') && !attrs.has('height')) {
          attrs.set('width', String(width));
          attrs.set('height', String(height));
        }
        return `<img src="${loaded.image.href}"${serializeAttrs(attrs)}/>`;
      }),
    );
    for (const p of problems) if (p) diagnostics.push(...p);
    return replacements;
  }

  private loadRemote(url: string): Promise<Loaded> {
    let p = this.loads.get(url);
    if (!p) {
      p = (async (): Promise<Loaded> => {
        if (!this.downloader) return { ok: false, code: 'image-download-failed', message: `image ${url} left out: downloads are off`, saysShown: true };
        const d = await this.downloader.get(url);
        if (!d.ok) return { ok: false, code: 'image-download-failed', message: `image ${url} could not be downloaded (${d.reason})`, saysShown: true };
        return this.embed(d.bytes, url);
      })();
      this.loads.set(url, p);
    }
    return p;
  }

  private load(target: string, from: string, site?: StaticRoot): Promise<Loaded> {
    // A path from the site's root (`/assets/a.png`, not `//host/…`), in an article of a static site, is
    // read in the folder the site serves `/` from.
    const fromSite = site && target.startsWith('/') && !target.startsWith('//') ? site : undefined;
    // Articles in one folder that name the same image share one read (all of a site's articles, a path from its root).
    const key = /^data:/i.test(target) ? target : fromSite ? `\u0000${fromSite.dir}\u0000${target}` : `${path.dirname(from)}\u0000${target}`;
    let p = this.loads.get(key);
    if (!p) {
      p = /^data:/i.test(target) ? this.loadDataUrl(target) : this.loadFile(target, from, fromSite);
      this.loads.set(key, p);
    }
    return p;
  }

  /** A data: URL lifted out of its article's text (articles/embedded.ts): its bytes are decoded already. */
  private loadLifted(reference: string, bytes: Buffer): Promise<Loaded> {
    let p = this.loads.get(reference);
    if (!p) {
      p = this.embed(bytes, 'the data: URL');
      this.loads.set(reference, p);
    }
    return p;
  }

  private async loadDataUrl(url: string): Promise<Loaded> {
    const m = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(url);
    if (!m) return { ok: false, code: 'image-unreadable', message: 'image data: URL could not be read' };
    let bytes: Buffer;
    try {
      bytes = m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
    } catch {
      return { ok: false, code: 'image-unreadable', message: 'image data: URL could not be decoded' };
    }
    return this.embed(bytes, 'the data: URL');
  }

  private async loadFile(target: string, from: string, site?: StaticRoot): Promise<Loaded> {
    const root: ImageRoot = site ? { dir: site.dir, name: site.generator === 'Jekyll' ? "the Jekyll site's folder" : `the ${site.generator} site's ${path.basename(site.dir)} folder`, generator: site.generator, site: site.site } : { dir: this.articlesDir, name: 'the articles folder' };
    const read = await this.readInside(target, path.dirname(from), root);
    if (!read.ok) return read;
    // A local SVG may draw the images beside it, as long as they are inside the same folder (the articles folder, the site's static folder) too.
    return this.embed(read.bytes, `\`${target}\``, async (href) => {
      const inner = await this.readInside(href, path.dirname(read.file), root, false);
      return inner.ok ? inner : { ok: false, reason: inner.message.replace(/^image `[^]*?` /, '') };
    });
  }

  /**
   * The bytes of a regular file inside `root` that `target` names, relative to `dir`; a path from a site's
   * root (`root.generator` given, `target` starting with `/`) is relative to `root`.
   */
  private async readInside(target: string, dir: string, root: ImageRoot, fromSiteRoot = true): Promise<{ ok: true; bytes: Buffer; file: string } | { ok: false; message: string; code: DiagnosticCode }> {
    const inside = root.generator ? `the articles folder or ${root.name}` : 'the articles folder';
    const refused = (why: string) => ({ ok: false as const, code: 'image-refused' as const, message: `image \`${target}\` refused: ${why}; only files inside ${inside} are embedded` });
    if (/^file:/i.test(target)) return refused('file: URLs are not followed');
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^[a-z]:[\\/]/i.test(target)) return { ok: false, code: 'image-refused', message: `image \`${target}\` refused: unsupported URL scheme` };
    let decoded = target.replace(/[?#].*$/, '');
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // keep it as written
    }
    if (decoded.includes('\u0000')) return refused('the path is not valid');
    let resolved: string;
    if (root.generator && fromSiteRoot && decoded.startsWith('/') && !decoded.startsWith('//')) {
      // A path from the site's root: `/../x` is not taken to be the site's `/x`, as a browser would, but refused.
      resolved = path.resolve(root.dir, `.${decoded}`);
      if (!isInside(root.dir, resolved)) return refused(`it leads out of ${root.name}`);
      // Jekyll leaves files and folders whose names start with `_` or `.` (`_posts`, `.git`) out of the site.
      if (root.generator === 'Jekyll' && path.relative(root.dir, resolved).split(path.sep).some((part) => part.startsWith('_') || part.startsWith('.'))) return refused('Jekyll does not publish files whose names start with `_` or `.`');
    } else {
      if (path.isAbsolute(decoded) || /^[a-z]:[\\/]/i.test(decoded) || decoded.startsWith('\\\\')) return refused('it is an absolute path');
      resolved = path.resolve(dir, decoded);
      if (!isInside(root.dir, resolved)) return refused(`it leads out of ${root.name}`);
    }
    let real: string;
    try {
      real = await fs.realpath(resolved);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, code: 'image-missing', message: `image \`${target}\` not found (looked for ${path.relative(this.articlesDir, resolved)}${root.generator ? `, in ${root.name}` : ' in the articles folder'})` };
      return { ok: false, code: 'image-unreadable', message: `image \`${target}\` could not be read: ${code ?? (e as Error).message}` };
    }
    let rootReal = this.rootReals.get(root.dir);
    if (!rootReal) this.rootReals.set(root.dir, (rootReal = realRoot(root)));
    const realDir = await rootReal;
    // A site's static folder that is itself a link out of the site (`static -> ~/Pictures`) serves nothing.
    if (realDir === undefined) return refused(`${root.name} is a link that leads out of the site's folder`);
    if (!isInside(realDir, real)) return refused(`it is a link that leads out of ${root.name}`);
    try {
      const stat = await fs.stat(real);
      if (!stat.isFile()) return { ok: false, code: 'image-refused', message: `image \`${target}\` refused: not a regular file` };
      if (stat.size > MAX_IMAGE_BYTES) return { ok: false, code: 'image-too-large', message: `image \`${target}\` left out: larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB` };
      const bytes = await readAtMost(real, MAX_IMAGE_BYTES);
      this.files.add(real);
      return { ok: true, bytes, file: resolved };
    } catch (e) {
      return { ok: false, code: 'image-unreadable', message: `image \`${target}\` could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }

  private async embed(bytes: Buffer, what: string, readFile?: DrawOptions['readFile']): Promise<Loaded> {
    if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, code: 'image-too-large', message: `image ${what} left out: larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB` };
    const type = await sniffImage(bytes);
    if (!type) return { ok: false, code: 'image-not-image', message: `image ${what} left out: the file is not an image` };
    let data = bytes;
    let mediaType = type.mediaType;
    let extension = type.extension;
    let notes: DrawingNote[] | undefined;
    let size: { width: number; height: number } | undefined;
    if (type.mediaType === 'image/svg+xml') {
      // SVG files can carry scripts and external references, and some readers do not show them:
      // a PNG is safe everywhere, drawn sharp enough for an e-ink screen.
      try {
        let width: number;
        let height: number;
        ({ png: data, notes, width, height } = await drawSvg(bytes, { readFile }));
        if (width >= 1 && height >= 1) size = { width, height };
      } catch (e) {
        return { ok: false, code: 'image-unreadable', message: `image ${what} left out: the SVG could not be drawn (${(e as Error).message})` };
      }
      mediaType = 'image/png';
      extension = 'png';
    } else if (!type.core) {
      // WebP, AVIF, TIFF, BMP...: not every e-reader shows them (Kindle and older readers do not).
      try {
        data = await toPng(bytes);
      } catch (e) {
        return { ok: false, code: 'image-unreadable', message: `image ${what} left out: ${type.mediaType} could not be converted to PNG (${(e as Error).message})` };
      }
      mediaType = 'image/png';
      extension = 'png';
    }
    const hash = createHash('sha256').update(data).digest('hex').slice(0, 16);
    const href = `images/${hash}.${extension}`;
    let image = this.images.get(href);
    if (!image) {
      image = { href, mediaType, data, ...size };
      this.images.set(href, image);
    }
    return { ok: true, image, notes };
  }
}

/** The real path of `root`'s folder; undefined for a site's static folder whose real path is not inside the site's. */
async function realRoot(root: ImageRoot): Promise<string | undefined> {
  const real = await fs.realpath(root.dir);
  if (root.site === undefined || root.site === root.dir) return real;
  return isInside(await fs.realpath(root.site), real) ? real : undefined;
}

/** An image's target as diagnostics show it: a long data: URL is cut short. */
function describe(target: string): string {
  return /^data:/i.test(target) ? 'the data: URL' : `\`${target}\``;
}

/**
 * Read a file, no more than `max` bytes of it: the file may grow (or be swapped for a device) between
 * the check of its size and the read.
 */
export async function readAtMost(file: string, max: number): Promise<Buffer> {
  const handle = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      chunks.push(chunk.subarray(0, bytesRead));
      if (total > max) throw Object.assign(new Error(`larger than ${max} bytes`), { code: 'EFBIG' });
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}
