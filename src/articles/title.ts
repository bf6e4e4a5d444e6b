// Titles made from file names, for articles that have neither a `title` nor a `#` heading.

/** `2023-05-01-my_first-post.md` -> `My first post`. */
export function titleFromFileName(name: string): string {
  const base = name.split('/').pop()!.replace(/\.(md|markdown)$/i, '');
  const words = base.replace(/^\d{4}-\d\d-\d\d[-_ ]/, '').replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return base || 'Untitled';
  return words[0]!.toUpperCase() + words.slice(1);
}

/** An ASCII slug for file names and ids: `Ünïcode naïve` -> `unicode-naive`; empty when nothing is left. */
export function asciiSlug(text: string, maxLength: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}
