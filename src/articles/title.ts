// Titles made from file names, for articles that have neither a `title` nor a `#` heading.

/** `2023-05-01-my_first-post.md` -> `My first post`. */
export function titleFromFileName(name: string): string {
  const base = name.split('/').pop()!.replace(/\.(md|markdown)$/i, '');
  const words = base.replace(/^\d{4}-\d\d-\d\d[-_ ]/, '').replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return base || 'Untitled';
  return words[0]!.toUpperCase() + words.slice(1);
}
