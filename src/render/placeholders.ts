// Placeholders: a rendered chapter holds `\0L<n>\0` where its n-th link's attributes go and `\0I<n>\0`
// where its n-th image goes, to be filled once the whole book is known. NUL never survives into text
// (XML forbids it), so a placeholder cannot be confused with content.

export const linkPlaceholder = (i: number): string => `\u0000L${i}\u0000`;
export const imagePlaceholder = (i: number): string => `\u0000I${i}\u0000`;

/** A placeholder; its group is the hole's name, kind and number (`L3`, `I0`). split() keeps the names. */
export const PLACEHOLDER = /\u0000([LI]\d+)\u0000/g;

/** What goes in the hole named `hole`, given the chapter's settled links and images. */
export function holeText(hole: string, links: readonly string[], images: readonly string[]): string {
  return (hole[0] === 'L' ? links : images)[Number(hole.slice(1))]!;
}

/** Put the settled links and images in place of their placeholders. */
export function fillPlaceholders(body: string, links: readonly string[], images: readonly string[]): string {
  return body.replace(PLACEHOLDER, (_, hole: string) => holeText(hole, links, images));
}
