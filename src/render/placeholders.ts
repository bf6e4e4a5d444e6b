// Placeholders: a rendered chapter holds `\0L<n>\0` where its n-th link's start tag goes, `\0E<n>\0` where
// its end tag goes, and `\0I<n>\0` where its n-th image goes, to be filled once the whole book is known.
// A link that cannot be kept is written as a <span> (its text, no longer looking like a link). A link that
// shows nothing of its own (`[](other.md)`, a MyST toctree's entry) is filled with its start tag and the text
// the book gives it (links.ts, settleLink). NUL never survives into text
// (XML forbids it), so a placeholder cannot be confused with content.

export const linkPlaceholder = (i: number): string => `\u0000L${i}\u0000`;
export const linkEndPlaceholder = (i: number): string => `\u0000E${i}\u0000`;
export const imagePlaceholder = (i: number): string => `\u0000I${i}\u0000`;

/** A placeholder; its group is the hole's name, kind and number (`L3`, `E3`, `I0`). split() keeps the names. */
export const PLACEHOLDER = /\u0000([LEI]\d+)\u0000/g;

/** The end tag that closes a settled link's start tag: a link kept as text is a span. */
export function endTag(start: string): string {
  return start.startsWith('<a ') || start === '<a>' ? '</a>' : '</span>';
}

/** What goes in the hole named `hole`, given the chapter's settled links and images. */
export function holeText(hole: string, links: readonly string[], images: readonly string[]): string {
  const i = Number(hole.slice(1));
  if (hole[0] === 'E') return endTag(links[i]!);
  return (hole[0] === 'L' ? links : images)[i]!;
}

/** Put the settled links and images in place of their placeholders. */
export function fillPlaceholders(body: string, links: readonly string[], images: readonly string[]): string {
  return body.replace(PLACEHOLDER, (_, hole: string) => holeText(hole, links, images));
}
