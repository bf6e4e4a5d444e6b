// Placeholders: a rendered chapter holds `\0L<n>\0` where its n-th link's start tag goes, `\0E<n>\0` where
// its end tag goes, and `\0I<n>\0` where its n-th image goes, to be filled once the whole book is known.
// A link that cannot be kept is written as a <span> (its text, no longer looking like a link), or a <div>
// when it holds blocks. A link that
// shows nothing of its own (`[](other.md)`, a MyST toctree's entry) is filled with its start tag and the text
// the book gives it (links.ts, settleLink). NUL never survives into text
// (XML forbids it), so a placeholder cannot be confused with content.

export const linkPlaceholder = (i: number): string => `\u0000L${i}\u0000`;
export const linkEndPlaceholder = (i: number): string => `\u0000E${i}\u0000`;
export const imagePlaceholder = (i: number): string => `\u0000I${i}\u0000`;

/** A placeholder; its group is the hole's name, kind and number (`L3`, `E3`, `I0`). split() keeps the names. */
export const PLACEHOLDER = /\u0000([LEI]\d+)\u0000/g;

/** The end tag that closes a settled link's start tag: a link kept as text is a span, or a div when it holds blocks. */
export function endTag(start: string): string {
  if (start.startsWith('<a ') || start === '<a>') return '</a>';
  return /^<div[ >]/.test(start) ? '</div>' : '</span>';
}

/** What goes in the hole named `hole`, given the chapter's settled links and images. */
export function holeText(hole: string, links: readonly string[], images: readonly string[]): string {
  const i = Number(hole.slice(1));
  if (hole[0] === 'E') return endTag(links[i]!);
  return (hole[0] === 'L' ? links : images)[i]!;
}

/** How an image that is not in the book starts when its alt text (or title) is shown in its place. */
export const SHOWN_ALT = '<span class="image-missing"';

/** Marks around an image's alt text while the placeholders are filled (U+0001 and U+0002 never reach a chapter's body: XML forbids them). */
const ALT_START = '\u0001';
const ALT_END = '\u0002';
/**
 * Where text that is shown in an image's place meets a word with no space between (only tags): `[![Build
 * Status](…)](…)[![Coverage](…)](…)`, a row of badges, read "Build StatusCoverage". The space goes after the
 * end tags and before the start tags there, outside both links; text that meets it across a block's
 * tag (a figure's caption) is apart already.
 */
const INLINE = '(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)';
const END_TAG = `</${INLINE}>`;
const START_TAG = `<${INLINE}(?:\\s[^>]*)?(?<!/)>`;
// (A mark must follow the letter, after tags only: a letter followed by another was a match of its own, and
// a chapter of 5 MB with one image missing took 1.35 s to be looked through, 31 ms now.)
const GLUED_ALT = new RegExp(`([\\p{L}\\p{N}])(?=(?:${END_TAG}|${START_TAG})*[\u0001\u0002])((?:${END_TAG}|\u0002)*)((?:${START_TAG}|\u0001)*)(?=([\\p{L}\\p{N}]))`, 'gu');
/** Letters of the scripts written without spaces between words (Chinese, Japanese, Thai...): no space goes next to them. */
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}\p{scx=Yi}]/u;

/** An image's settled text, marked for spaceShownAlts when it is alt text shown in the image's place. */
export function markShownAlt(text: string): string {
  return text.startsWith(SHOWN_ALT) ? ALT_START + text + ALT_END : text;
}

/** XHTML with its images filled in by markShownAlt, with a space where alt text meets a word, and no marks. */
export function spaceShownAlts(filled: string): string {
  if (!filled.includes(ALT_START)) return filled;
  return filled
    .replace(GLUED_ALT, (all, before: string, ends: string, starts: string, after: string) => (/[\u0001\u0002]/.test(ends + starts) && !UNSPACED.test(before) && !UNSPACED.test(after) ? `${before}${ends} ${starts}` : all))
    .replace(/[\u0001\u0002]/g, '');
}

/** Put the settled links and images in place of their placeholders. */
export function fillPlaceholders(body: string, links: readonly string[], images: readonly string[]): string {
  return spaceShownAlts(body.replace(PLACEHOLDER, (_, hole: string) => (hole[0] === 'I' ? markShownAlt(holeText(hole, links, images)) : holeText(hole, links, images))));
}
