// Markdown stage: a fenced code block's info string (everything after the opening fence, which Marked
// hands over whole as the token's `lang`), read for the block's language and the name of the file it shows,
// as documentation sites write it:
//   ```js title="src/app.js" {1,3}   Docusaurus, VitePress, Astro (also title='x', title=x)
//   ```python filename="main.py"      Nextra (also file="x"; Hugo themes inside braces: {filename="main.py"})
//   ```js:src/app.js                 Qiita, Zenn: the language before the colon, the name after it
//   ```js [config.js], ```[data.csv]  VitePress's code-group label
//   ```js{1,3-5}                     VitePress's line highlights against the language
//   ```rust,ignore                   mdBook's (rustdoc's) attributes after a comma: ignore, no_run, editable
// Everything else there (line highlights `{1,3}`, `showLineNumbers`, VitePress's `:line-numbers`) is for a
// site's own code viewer, not text the author meant the reader to see, and is left out.

export interface CodeInfo {
  /** The language, as the first word was read before (`js`), or undefined when the block names none. */
  lang?: string;
  /** The file's name, as written (to be escaped by the caller), or undefined. */
  title?: string;
}

/** Attributes that name the file a block shows. */
const NAME_KEYS = new Set(['title', 'filename', 'file']);
/** VitePress's line-number switches, written after a colon like a name (`ts:line-numbers=2`). */
const LINE_NUMBERS = /^(?:no-)?line-numbers(?:=\d*)?$/;

/**
 * One part of an info string: `key=value` (quoted either way, or bare up to a space, comma or `}`), a
 * `[label]`, a quoted string, a run of other characters, or one character (a brace, a comma, a lone quote).
 * Every alternative stops at the next character that could start another part (a `[` for a label, the
 * same quote for a quoted string), so a hostile line of a thousand `[` or `"` is read in one pass.
 */
const PART = /\s*(?:([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s,{}"'][^\s,{}]*))|\[([^[\]]*)\]|"[^"]*"|'[^']*'|[^\s"'[\]{},]+|\S)/y;

/** The language and file name of a fenced block whose info string is `info`. */
export function readCodeInfo(info: string): CodeInfo {
  // VitePress's line highlights written against the language (```js{1,3-5}, ```ts{2}:line-numbers): the
  // language is the word before them.
  const word = /^\S*/.exec(info)![0];
  // Braces after a colon are the name's (```jsx:app/{locale}/page.jsx).
  const braced = /^[^\s{:]+\{[\d,-]*\}/.test(word) ? word.replace(/\{[\d,-]*\}/, '') : word;
  // mdBook's attributes after the language (```rust,ignore, ```rust,no_run,edition2021): they made the
  // language `rust,ignore`, which no highlighter knows.
  const first = /^[\w+#.-]+(?:,[\w=-]+)+,?$/.test(braced) ? braced.slice(0, braced.indexOf(',')) : braced;
  let lang: string | undefined = first || undefined;
  let title: string | undefined;
  let rest = info.slice(word.length);
  if (/^\[|^[A-Za-z][\w-]*=/.test(first)) {
    // No language, only a label or attributes (```[data.csv], ```title="x").
    lang = undefined;
    rest = info;
  } else if (first.includes(':')) {
    const colon = first.indexOf(':');
    const name = first.slice(colon + 1);
    lang = first.slice(0, colon) || undefined;
    if (name && !LINE_NUMBERS.test(name)) title = name;
  }
  PART.lastIndex = 0;
  while (title === undefined && PART.lastIndex < rest.length) {
    const m = PART.exec(rest);
    if (!m) break; // only white space is left
    const [, key, double, single, bare, label] = m;
    if (key !== undefined && NAME_KEYS.has(key)) title = double ?? single ?? bare;
    else if (label !== undefined) title = label;
    title = title?.trim() || undefined;
  }
  return { lang, title };
}
