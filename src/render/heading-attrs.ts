// Markdown stage: heading attributes, as pandoc, kramdown, Hugo, VitePress and mdBook write them at the end
// of a heading (`## app.mount() {#app-mount}`, `{#id .class lang=fr}`, `{.unnumbered}`, `{-}`), and MDX's
// `## Title {/*id*/}` (Docusaurus: `{/* #id */}`). They set the heading's id and classes and are not part of its text.

export interface HeadingAttrs {
  id?: string;
  classes: string[];
  /** Other `key=value` pairs that HTML allows on any element (lang, dir, title); the rest are ignored. */
  attrs: [string, string][];
}

/** Keys of `key=value` kept on the heading: what the sanitiser keeps on any element. */
const KEPT_KEYS = new Set(['lang', 'dir', 'title']);

// The block must end the heading; a backslash before `{` makes it text, and code spans end with a backtick.
const BLOCK = /(^|[^\\])\{([^{}\n]*)\}[ \t]*$/;
const MDX = /^\/\*\s*([^\s*][^*]*?)\s*\*\/$/;
const ITEM = /\s*(?:#([^\s#.{}="']+)|\.([A-Za-z_][\w-]*)|(-)(?=\s|$)|([A-Za-z_][\w:.-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+)))/y;

/**
 * The heading's text without its attribute block, and the attributes; undefined when the text does not end
 * with a block that is entirely attributes (`## Sets {a, b}` stays as written).
 */
export function splitHeadingAttrs(text: string): { text: string; attrs: HeadingAttrs } | undefined {
  const m = BLOCK.exec(text);
  if (!m) return undefined;
  const inner = m[2]!.trim();
  const before = text.slice(0, m.index + m[1]!.length).trimEnd();
  const mdx = MDX.exec(inner);
  if (mdx) {
    // Docusaurus's `{/* #my-id */}`: the first word after its `#`; else the comment is the id, one word.
    const id = mdx[1]!.startsWith('#') ? mdx[1]!.slice(1).split(/\s/)[0]! : mdx[1]!;
    return /^[^\s#"'<>{}]+$/.test(id) ? { text: before, attrs: { id, classes: [], attrs: [] } } : undefined;
  }
  const attrs = readAttributes(inner);
  return attrs ? { text: before, attrs } : undefined;
}

/** The attributes of a block's text (`#id .class key=value`), or undefined when it holds anything else or none. */
export function readAttributes(inner: string): HeadingAttrs | undefined {
  const attrs: HeadingAttrs = { classes: [], attrs: [] };
  let at = 0;
  let items = 0;
  while (at < inner.length) {
    ITEM.lastIndex = at;
    const item = ITEM.exec(inner);
    if (!item) return undefined;
    at = ITEM.lastIndex;
    items++;
    const [, id, cls, dash, key, v1, v2, v3] = item;
    if (id !== undefined) attrs.id = id;
    else if (cls !== undefined) attrs.classes.push(cls);
    else if (dash !== undefined) attrs.classes.push('unnumbered');
    else if (key !== undefined && KEPT_KEYS.has(key.toLowerCase())) attrs.attrs.push([key.toLowerCase(), v1 ?? v2 ?? v3 ?? '']);
  }
  return items > 0 ? attrs : undefined;
}
