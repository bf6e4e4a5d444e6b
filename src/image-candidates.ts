// Base: the choice of a picture among what a page offers for one image: its `src`, a `srcset`, the
// attributes of lazy loading, the sources of its `<picture>`. Shared by quire add's extraction
// (add/prepare.ts), which reads them from linkedom's tree, and the build's sanitiser
// (render/sanitize-walk.ts), which reads them from parse5's.

/**
 * The widest image quire takes from a `srcset` or `<picture>`: wide enough for any e-reader screen (the
 * largest are 1872 px wide) and for zooming on a tablet, without the 4000 px originals some sites offer.
 */
export const MAX_IMAGE_WIDTH = 2000;

export const LAZY_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url', 'data-hi-res-src', 'data-full-src'];
export const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

/** A `src` that is only a stand-in for the real image: empty, a tiny data: URL, a spacer or blank gif. */
export function isPlaceholder(src: string | null | undefined): boolean {
  if (isEmptySource(src)) return true;
  return /(^|\/)(blank|spacer|pixel|transparent|placeholder|lazy|1x1)[\w-]*\.(gif|png|svg)(\?|$)/i.test(src!.trim());
}

/**
 * A value of an attribute that holds the real picture (`data-src`, `data-lazy-src`, `data-srcset`'s
 * candidates) that is none: empty, or a tiny data: URL. A file's name there is the picture's, whatever it
 * says: `data-lazy-src="/img/lazy-river.png"` was taken for a stand-in by its name, and the spacer in `src`
 * saved in its place.
 */
function isEmptySource(src: string | null | undefined): boolean {
  if (!src || !src.trim()) return true;
  const s = src.trim();
  return /^data:/i.test(s) && s.length < 200 && !/^data:image\/svg/i.test(s);
}

/** An element's attribute by name, as either tree gives it. */
export type Attribute = (name: string) => string | null | undefined;

/**
 * The best picture an image offers (lazy attributes, srcsets, its `<picture>`'s sources, given as theirs,
 * then its src), or undefined when it offers none that is not a placeholder. Addresses are as written.
 */
export function bestOffered(img: Attribute, sources: readonly Attribute[]): string | undefined {
  const candidates: Candidate[] = [];
  for (const source of sources) {
    const type = source('type')?.toLowerCase();
    // Formats an EPUB may not hold (and quire cannot convert) are left to the sources that have others.
    if (type && !/^image\/(jpeg|png|gif|webp|svg\+xml)$/.test(type)) continue;
    // A source for another medium (print, a dark theme) is an alternative, not a better image.
    const media = source('media') ?? '';
    if (/prefers-color-scheme:\s*dark|print/i.test(media)) continue;
    for (const attr of ['srcset', ...LAZY_SRCSET]) candidates.push(...parseSrcset(source(attr), type === 'image/webp' ? 1 : 0, attr !== 'srcset'));
  }
  for (const attr of ['srcset', ...LAZY_SRCSET]) candidates.push(...parseSrcset(img(attr), 0, attr !== 'srcset'));
  for (const attr of LAZY_ATTRIBUTES) {
    const v = img(attr)?.trim();
    if (v && !isEmptySource(v) && !/\s/.test(v)) candidates.push({ url: v, width: undefined, density: 1, penalty: 0 });
  }
  const src = img('src')?.trim();
  if (src && !isPlaceholder(src)) candidates.push({ url: src, width: undefined, density: 1, penalty: 1 });
  return chooseCandidate(candidates);
}

export interface Candidate {
  url: string;
  width: number | undefined;
  density: number;
  /** Ties go to the lower penalty (a JPEG/PNG over a WebP, srcset over a bare src). */
  penalty: number;
}

/** A srcset's candidates; `realSource` for a lazy one (`data-srcset`), whose file names are the pictures'. */
export function parseSrcset(srcset: string | null | undefined, penalty: number, realSource = false): Candidate[] {
  if (!srcset) return [];
  const out: Candidate[] = [];
  // URLs may contain commas (image CDNs); a candidate ends at a comma followed by white space or at the end.
  for (const part of srcset.trim().split(/,\s+|,(?=\s*$)/)) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url || (realSource ? isEmptySource(url) : isPlaceholder(url))) continue;
    const w = descriptor && /^(\d+)w$/i.exec(descriptor);
    const x = descriptor && /^([\d.]+)x$/i.exec(descriptor);
    out.push({ url, width: w ? Number(w[1]) : undefined, density: x ? Number(x[1]) : 1, penalty });
  }
  return out;
}

/**
 * The widest candidate up to MAX_IMAGE_WIDTH (the narrowest when all are wider); candidates with a density
 * but no width rank by density up to 2x.
 */
export function chooseCandidate(candidates: Candidate[]): string | undefined {
  const withWidth = candidates.filter((c) => c.width);
  if (withWidth.length) {
    const fitting = withWidth.filter((c) => c.width! <= MAX_IMAGE_WIDTH);
    const pool = fitting.length ? fitting : [withWidth.reduce((a, b) => (b.width! < a.width! ? b : a))];
    return pool.reduce((a, b) => (b.width! > a.width! || (b.width === a.width && b.penalty < a.penalty) ? b : a)).url;
  }
  if (!candidates.length) return undefined;
  const rank = (c: Candidate) => Math.min(c.density, 2) * 10 - c.penalty;
  return candidates.reduce((a, b) => (rank(b) > rank(a) ? b : a)).url;
}

