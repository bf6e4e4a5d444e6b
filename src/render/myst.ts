// Stage: render (Markdown). What MyST (Sphinx) directives and roles share: a directive's options, read
// the same way for every directive in either fence (```{name} and :::{name}), and the id a label (a
// `(label)=` target, a directive's `:name:`) is given, by which `{ref}` finds it in the book.

/** A directive's options, by name in lower case, and its text after them. */
export interface DirectiveOptions {
  options: Map<string, string>;
  body: string;
}

/**
 * A directive's options and its text after them: `:key: value` lines, or a block of `key: value` lines
 * between `---` lines (then `:key: value` lines after it, as MyST reads them too). A flag has an empty value.
 */
export function readDirectiveOptions(text: string): DirectiveOptions {
  const options = new Map<string, string>();
  let at = 0;
  if (/^[ \t]*---[ \t]*(?:\n|$)/.test(text)) {
    const close = /\n[ \t]*---[ \t]*(?:\n|$)/g.exec(text);
    if (close) {
      for (const line of text.slice(text.indexOf('\n') + 1, close.index).split('\n')) {
        const m = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(line);
        if (m) options.set(m[1]!.toLowerCase(), m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
      }
      at = close.index + close[0].length;
    }
  }
  for (const option = /[ \t]*:([\w-]+):(.*)(?:\n|$)/y; at < text.length; at = option.lastIndex) {
    option.lastIndex = at;
    const m = option.exec(text);
    if (!m) break;
    options.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return { options, body: text.slice(at) };
}

/** Whether a flag option is set: given (`:hidden:`, `hidden:`), and not `false`. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && !/^(?:false|no|0)$/i.test(value.trim());
}

/**
 * The id of a label, as Sphinx makes it: lower case, each run of other characters than letters, digits and
 * `_` a hyphen (`(Hash-checking mode)=` is `#hash-checking-mode`). Empty for a label of none of them.
 */
export function labelId(label: string): string {
  return label.trim().toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, '-').replace(/^-+|-+$/g, '');
}
