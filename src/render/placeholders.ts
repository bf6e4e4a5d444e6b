// Placeholders: a rendered chapter holds `\0L<n>\0` where its n-th link's attributes go and `\0I<n>\0`
// where its n-th image goes, to be filled once the whole book is known. NUL never survives into text
// (XML forbids it), so a placeholder cannot be confused with content.

export const linkPlaceholder = (i: number): string => `\u0000L${i}\u0000`;
export const imagePlaceholder = (i: number): string => `\u0000I${i}\u0000`;

/** Splits text at its placeholders, keeping each one's kind and number (`L3`, `I0`) between the pieces. */
export const PLACEHOLDER_SPLIT = /\u0000([LI]\d+)\u0000/;

/** Put the settled links and images in place of their placeholders. */
export function fillPlaceholders(body: string, links: readonly string[], images: readonly string[]): string {
  return body.replace(/\u0000([LI])(\d+)\u0000/g, (_, kind: string, n: string) => (kind === 'L' ? links : images)[Number(n)]!);
}
