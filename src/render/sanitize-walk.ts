// Render stage, sanitising: the cleaning walk. It goes down parse5's tree, drops, renames or keeps each HTML
// element by the policy (sanitize-policy.ts), checks its attributes (sanitize-attributes.ts,
// sanitize-presentational.ts), gives media their fallback or a link, hands SVG and MathML to
// sanitize-foreign.ts and repairs content models on the way up (sanitize-content-model.ts).
import type { DefaultTreeAdapterMap } from 'parse5';
import { COMPONENT_TAG, HIGHLIGHT_ATTR, POS_ATTR, UNSLUGGED_ATTR } from './markdown.js';
import { OFFSET_ATTR } from './html-parse.js';
import { el, propTexts, textOf, unslugged, type XElement, type XNode } from './tree.js';
import { CODE, DROP, EMBEDS, FORMATTING, HTML_ATTRS, HTML_NS, NS_URI, PHRASING, PHRASING_ONLY, RENAME } from './sanitize-policy.js';
import { elementAttr, globalAttr, isKeptScheme, sanitizeUrl, schemeOf } from './sanitize-attributes.js';
import { presentational } from './sanitize-presentational.js';
import { checkDefinitionList, fixContentModel, pushDown, unfoldDetails } from './sanitize-content-model.js';
import { foreignRoot } from './sanitize-foreign.js';
import { MAX_DEPTH, dropped, elementStart, excerpt, rawPosition, readPosComment, textContent, type State } from './sanitize-state.js';
import { bestOffered, isPlaceholder } from '../image-candidates.js';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

function insideLink<T>(state: State, clean: () => T): T {
  state.links++;
  try {
    return clean();
  } finally {
    state.links--;
  }
}

export function cleanChildren(children: readonly P5Node[], state: State, phrasing: boolean, parentTag: string): XNode[] {
  const out: XNode[] = [];
  for (const child of children) {
    if (child.nodeName === '#text') {
      const value = (child as DefaultTreeAdapterMap['textNode']).value;
      if (value) out.push(value);
    } else if (child.nodeName === '#comment') {
      readPosComment(state, (child as DefaultTreeAdapterMap['commentNode']).data);
    } else if ('tagName' in child) {
      // One at a time: an unwrapped element may hand back hundreds of thousands, more than a call's arguments can be.
      for (const n of cleanElement(child as P5Element, state, phrasing, parentTag)) out.push(n);
    }
  }
  return fixContentModel(out, parentTag);
}

/**
 * How many levels an element needs below it for its text to stand where it may: a table's cells are three
 * levels down (a body, a row, a cell), ruby's annotation one. Too near the depth limit, such an element is
 * flattened whole, rather than cut where its text would stand in a row or a table (an invalid book).
 */
const STRUCTURE_DEPTH: Record<string, number> = { table: 4, thead: 3, tbody: 3, tfoot: 3, tr: 2, colgroup: 2, ruby: 2 };

function cleanElement(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  if (state.depth + (STRUCTURE_DEPTH[node.tagName] ?? 1) > MAX_DEPTH) return flattened(textContent(node), parentTag);
  state.depth++;
  try {
    return cleanElementAt(node, state, phrasing, parentTag);
  } finally {
    state.depth--;
  }
}

function cleanElementAt(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  const ns = NS_URI[node.namespaceURI] ?? 'html';
  if (ns === 'svg' || ns === 'math') return foreignRoot(node, state, ns);
  let tag = node.tagName;
  if (EMBEDS.has(tag)) return embedded(node, state, phrasing, parentTag);
  // A template's content is kept in a fragment of its own: it is unwrapped like any element quire cannot keep.
  if (tag === 'template') return cleanChildren((node as DefaultTreeAdapterMap['template']).content.childNodes, state, phrasing, parentTag);
  if (tag === 'area') return mapArea(node, state);
  if (DROP.has(tag)) {
    const text = CODE.has(tag) ? '' : node.childNodes.map(textContent).join('').replace(/\s+/g, ' ').trim();
    if (text) dropped(state, tag, `text inside <${tag}> is not kept (an e-book cannot show it): "${excerpt(text)}"`);
    return [];
  }
  if (tag === 'input' && !node.attrs.some((a) => a.name === 'type' && a.value.toLowerCase() === 'checkbox')) return inputText(node);
  if ((tag === 'meter' || tag === 'progress') && !node.childNodes.map(textContent).join('').trim()) return gaugeText(node);
  const renamed = RENAME[tag];
  const original = tag;
  if (renamed) tag = renamed;
  if (!(tag in HTML_ATTRS)) {
    // Unknown and custom elements: keep their content. A component's name for it (a tab's label, a box's
    // title, a figure's caption) or its alt text is text its page showed.
    const kept = cleanChildren(node.childNodes, state, phrasing, parentTag);
    return tag === COMPONENT_TAG ? withComponentText(node, kept, phrasing, state) : kept;
  }
  // Flow content where only phrasing is allowed becomes a span; rules and similar voids are dropped. Text
  // shown as it was typed (a `<textarea>` in a sentence, which is read as a `<pre>`) becomes code, which
  // typography leaves alone: its `"` stays straight.
  if (phrasing && !PHRASING.has(tag) && !((tag === 'rt' || tag === 'rp') && parentTag === 'ruby')) {
    if (tag === 'hr') return [];
    tag = tag === 'pre' ? 'code' : 'span';
  }
  // Elements that only make sense inside a particular parent.
  if (tag === 'li' && parentTag !== 'ul' && parentTag !== 'ol') tag = 'div';
  if ((tag === 'dt' || tag === 'dd') && parentTag !== 'dl') tag = 'div';
  if (tag === 'figcaption' && parentTag !== 'figure') tag = 'div';
  if (tag === 'summary' && parentTag !== 'details') tag = 'div';
  if ((tag === 'rt' || tag === 'rp') && parentTag !== 'ruby') tag = 'span';

  const attrs = new Map<string, string>();
  const style: string[] = [];
  let pos: number | undefined;
  let highlight: string | undefined;
  let idless = false;
  const allowed = HTML_ATTRS[tag] ?? [];
  // An image's src: the picture its page would load later, when the one written is missing or a placeholder.
  const found = tag === 'img' ? laterSource(node) : undefined;
  const later = found === undefined ? undefined : elementAttr('img', 'src', found);
  if (later !== undefined) attrs.set('src', later);
  for (const a of node.attrs) {
    const name = a.prefix ? `${a.prefix}:${a.name}` : a.name;
    const value = a.value;
    if (name === POS_ATTR) {
      pos = Number(value);
      continue;
    }
    if (name === OFFSET_ATTR) {
      if (/^\d{1,9}$/.test(value) && state.rawPos + Number(value) < state.rawEnd) pos = state.rawPos + Number(value);
      continue;
    }
    if (name === HIGHLIGHT_ATTR) {
      if (tag === 'code') highlight = value;
      continue;
    }
    if (name === UNSLUGGED_ATTR) {
      idless = tag === 'span';
      continue;
    }
    if (/^on/i.test(name)) continue;
    if (globalAttr(name, value, attrs)) continue;
    if (presentational(original, name, value, style, attrs)) continue;
    if (!allowed.includes(name) || (name === 'src' && later !== undefined)) continue;
    const v = elementAttr(tag, name, value);
    if (v !== undefined) attrs.set(name, v);
  }
  if (original === 'a' && !attrs.has('id')) {
    const name = node.attrs.find((a) => a.name === 'name')?.value.trim();
    if (name) globalAttr('id', name, attrs);
  }
  if (original === 'center') style.push('text-align: center');
  if (original === 'big') style.push('font-size: larger');
  if (style.length) attrs.set('style', [attrs.get('style'), style.join('; ')].filter(Boolean).join('; '));
  if (tag === 'img') {
    const src = attrs.get('src');
    if (!src || !src.trim()) return node.attrs.some((a) => a.name === 'alt' && a.value) ? [node.attrs.find((a) => a.name === 'alt')!.value] : [];
    if (!attrs.has('alt')) attrs.set('alt', '');
  }
  if (tag === 'bdo' && !attrs.has('dir')) attrs.set('dir', 'ltr');
  const element: XElement = { tag, ns: 'html', attrs, children: [], pos: pos ?? (tag === 'a' || tag === 'img' ? rawPosition(node, state) : undefined) };
  if (highlight !== undefined) element.highlight = highlight;
  if (idless) unslugged.add(element);
  // A link with nowhere safe to go (a javascript: URL, no href at all) is only its text: it must not look like one.
  // One to an address of another scheme (`magnet:`, `ssh://`, `ipfs://`) keeps that address, as text after
  // its own, with a warning: e-readers open no such address, and EPUBCheck refuses it in a link.
  let refused: { href: string; scheme: string } | undefined;
  if (tag === 'a' && !attrs.has('href')) {
    element.tag = tag = 'span';
    const href = attribute(node)('href')?.trim();
    const scheme = href ? schemeOf(href) : undefined;
    if (href && scheme && !SCRIPT_SCHEMES.has(scheme)) refused = { href, scheme };
  }
  if (!phrasing && FORMATTING.has(tag) && node.childNodes.some((c) => 'tagName' in c && !PHRASING.has(RENAME[(c as P5Element).tagName] ?? (c as P5Element).tagName) && (c as P5Element).namespaceURI === HTML_NS)) {
    // A formatting element left open around blocks (`<b>` never closed): browsers apply it to what follows,
    // so it is pushed down into those blocks instead of flattening them.
    return pushDown(element, cleanChildren(node.childNodes, state, false, parentTag));
  }
  const childPhrasing = phrasing || PHRASING_ONLY.has(tag);
  element.children = tag === 'img' || tag === 'br' || tag === 'hr' || tag === 'wbr' || tag === 'input' || tag === 'col'
    ? []
    : tag === 'a'
      ? insideLink(state, () => cleanChildren(node.childNodes, state, childPhrasing, tag))
      : cleanChildren(node.childNodes, state, childPhrasing, tag);
  if (refused) {
    const { href, scheme } = refused;
    const text = textOf(element).trim();
    const shown = text !== href && scheme !== 'data' && href.length <= MAX_SHOWN_ADDRESS;
    if (shown) element.children.push(` (${href})`);
    const kept = shown ? 'the address is shown after its text' : text === href ? 'its text, the address, is kept' : 'its text is kept';
    state.problems.push({ pos: element.pos ?? rawPosition(node, state), code: 'link-refused', message: `link to ${excerpt(href)} is not kept as a link: ${isKeptScheme(scheme) ? 'EPUBCheck cannot read the address' : `e-readers follow no ${scheme}: address`}; ${kept}` });
  }
  // A checkbox needs a name for screen readers (DAISY Ace calls an unlabelled one critical): its state.
  if (tag === 'input') element.attrs.set('aria-label', element.attrs.has('checked') ? 'done' : 'not done');
  if (tag === 'details') unfoldDetails(element);
  // The choices of a list stay apart once they are only text.
  if (original === 'option' && element.children.length) element.children.push(' ');
  if (tag === 'dl') checkDefinitionList(element);
  // A table's caption comes first, wherever it was written (the parser keeps it where it stands).
  if (tag === 'table') {
    const caption = element.children.findIndex((c) => typeof c !== 'string' && c.tag === 'caption');
    if (caption > 0) element.children.unshift(...element.children.splice(caption, 1));
  }
  if (tag === 'li' && element.children.some((c) => typeof c !== 'string' && c.tag === 'input')) {
    element.attrs.set('class', [element.attrs.get('class'), 'task-list-item'].filter(Boolean).join(' '));
  }
  return [element];
}

/**
 * What stands for a video, an audio clip or an embedded page: its fallback content (what a browser without
 * the media shows), then a link to where it lives on the web unless the fallback links there already, so
 * that the reader knows what was there and can open it. Inside a link, where no link can go, the fallback
 * or else the address as text. A local file is not in the book, nor can an e-book play it: it is reported.
 */
function embedded(node: P5Element, state: State, phrasing: boolean, parentTag: string): XNode[] {
  // Found before its children, which may hold the position of the raw HTML after it (`</video>`).
  const start = elementStart(state, node.tagName);
  // Their <source>, <track> and <param> children are dropped by cleanChildren like any other.
  const kept = node.tagName === 'iframe' || node.tagName === 'embed' ? [] : cleanChildren(node.childNodes, state, phrasing, parentTag);
  // An <iframe>'s own text is no fallback: a browser never shows it (the parser keeps it as raw text).
  const unshown = node.tagName === 'iframe' ? rawTextOf(node) : '';
  if (unshown) state.problems.push({ pos: start, code: 'html-text-dropped', message: `the text inside <iframe> ("${excerpt(unshown)}") is not shown: a browser never shows it, and the book shows ${node.attrs.some((a) => a.name === 'src') ? 'a link to the embedded page' : 'nothing'} in its place` });
  const hasFallback = showsSomething(kept);
  const sources = [node, ...sourcesOf(node)].map((e) => attribute(e)(e === node && node.tagName === 'object' ? 'data' : 'src')?.trim()).filter((s): s is string => !!s);
  const web = sources.find((s) => /^(https?:)?\/\/[^/\\]/i.test(s));
  const href = web && elementAttr('a', 'href', web);
  // Its title names it ("Talk: Rust in production"); the address is the link's name when it has none.
  const title = attribute(node)('title')?.replace(/\s+/g, ' ').trim();
  const name = title || href;
  if (!href) {
    const local = sources.find((s) => !/^(javascript|vbscript):/i.test(s));
    if (local && !hasFallback) state.problems.push({ pos: start, code: 'html-media-dropped', message: `<${node.tagName}> of ${excerpt(local)} left out: an e-book cannot play or show it, and only a web address can be linked to` });
    return hasFallback ? kept : [];
  }
  if (state.links > 0) return hasFallback ? kept : [name!];
  if (hasFallback && linksTo(kept, href)) return kept;
  const link: XElement = { tag: 'a', ns: 'html', attrs: new Map([['href', href]]), children: [name!], pos: rawPosition(node, state) };
  // Outside running text, each embed's link is a paragraph of its own: two videos one after the other read
  // "Demo videoTalk" as one line of links.
  if (!phrasing && !inRunningText(node)) return hasFallback ? [...kept, el('p', {}, [link])] : [el('p', {}, [link])];
  return hasFallback ? [...kept, ' ', link] : [link];
}

/** Each node's place among its parent's children, found once for each parent (inRunningText). */
const siblingPlaces = new WeakMap<object, Map<P5Node, number>>();

/**
 * Whether an embed stands in running text where no paragraph is (`Watch <iframe …></iframe> now` in a
 * table's cell, a list's item, a `<div>`): the nearest sibling on either side that is not white space is
 * text or phrasing content. There it stays a link in the sentence, as in a paragraph.
 */
function inRunningText(node: P5Element): boolean {
  const parent = node.parentNode;
  if (!parent) return false;
  const siblings = parent.childNodes;
  let places = siblingPlaces.get(parent);
  if (!places) siblingPlaces.set(parent, (places = new Map(siblings.map((s, i) => [s, i]))));
  const at = places.get(node);
  if (at === undefined) return false;
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0 && i < siblings.length; i += step) {
      const s = siblings[i]!;
      if (s.nodeName === '#comment') continue;
      if (s.nodeName === '#text') {
        if ((s as DefaultTreeAdapterMap['textNode']).value.trim()) return true;
        continue;
      }
      if ('tagName' in s && PHRASING.has(RENAME[s.tagName] ?? s.tagName)) return true;
      break;
    }
  }
  return false;
}

/** The words of an element's text (an <iframe>'s: raw text, or elements, as the parser made them; tags in raw text taken out), or ''. */
function rawTextOf(node: P5Element): string {
  return textContent(node).replace(/<[^>]*>?/g, '').replace(/\s+/g, ' ').trim();
}

/** Props of an MDX or JSX component that its page shows as text, the first one given. */
const COMPONENT_TEXT_PROPS = ['title', 'label', 'caption', 'heading'];
/**
 * Props that name what a component with content is about, shown as its title when it has none: an API
 * field's name or path (`<ParamField path="user_id">`, `<ResponseField name="id">`), a folded box's summary
 * (`<Details summary="…">`). A component without content (an icon's `name`) shows none of them.
 */
const COMPONENT_NAME_PROPS = ['name', 'path', 'summary', 'field', 'param'];
/**
 * Props whose text a component shows beside its content: a card's description (`<LinkCard title="Guide"
 * description="Read the setup guide first." />`), a tooltip's tip, in that order.
 */
const COMPONENT_MORE_PROPS = ['description', 'tip'];

/**
 * A component's content with the text its props show: its title, label or caption in bold before it (a
 * link when it has a link's `href`, as a card does), then its description; its alt text or text when it has
 * no content (`<Image alt="…" />`, `<Badge text="beta" />`). Components side by side (tabs) stay apart: in
 * running text each ends with a space, elsewhere each is a block of its own.
 */
function withComponentText(node: P5Element, kept: XNode[], phrasing: boolean, state: State): XNode[] {
  const prop = (name: string) => {
    const v = attribute(node)(name)?.replace(/\s+/g, ' ').trim();
    return v && !v.startsWith('{') ? v : undefined;
  };
  const hasText = showsSomething(kept);
  const name = COMPONENT_TEXT_PROPS.map(prop).find((v) => v !== undefined) ?? (hasText ? COMPONENT_NAME_PROPS.map(prop).find((v) => v !== undefined) : undefined);
  const more = COMPONENT_MORE_PROPS.map(prop).find((v) => v !== undefined);
  if (more !== undefined) {
    const span = el('span', {}, [more]);
    propTexts.add(span);
    kept = phrasing ? [...kept, ...(hasText ? [' ('] : []), span, ...(hasText ? [')'] : [])] : [el('p', {}, [span]), ...kept];
  }
  // A badge shows its `text` (VitePress's `<Badge type="tip" text="^1.2.0" />`): it was left out.
  const badge = hasText || prop('alt') !== undefined ? undefined : prop('text');
  if (badge !== undefined) {
    const span = el('span', {}, [badge]);
    propTexts.add(span);
    kept = [...kept, span];
  }
  const alt = hasText ? undefined : prop('alt');
  // A badge is text in a line, wherever it stands (in a cell, a list's item).
  if (name === undefined && alt === undefined) return kept;
  const href = name === undefined || phrasing ? undefined : prop('href');
  const target = href === undefined ? undefined : sanitizeUrl(href);
  const strong = name === undefined ? undefined : el('strong', {}, [name]);
  const label: XNode[] = strong === undefined ? [] : [target === undefined ? strong : { tag: 'a', ns: 'html', attrs: new Map([['href', target]]), children: [strong], pos: rawPosition(node, state) }];
  if (phrasing) return [...label, ...(name !== undefined && hasText ? [' '] : []), ...kept, ...(alt === undefined ? [] : [alt]), ' '];
  return [el('div', {}, [...(label.length ? [el('p', {}, label)] : []), ...kept, ...(alt === undefined ? [] : [el('p', {}, [alt])])])];
}

/** Whether nodes show the reader anything: text, or an image. */
function showsSomething(nodes: readonly XNode[]): boolean {
  return nodes.some((n) => (typeof n === 'string' ? n.trim() !== '' : textOf(n).trim() !== '' || n.tag === 'img'));
}

/**
 * The text of an element nested too deep, where its parent takes it: in a cell where the parent is a table,
 * its body or a row (text there made the book invalid), as it is elsewhere.
 */
function flattened(text: string, parentTag: string): XNode[] {
  if (parentTag === 'tr') return [el('td', {}, [text])];
  if (parentTag === 'table' || parentTag === 'thead' || parentTag === 'tbody' || parentTag === 'tfoot') return [el('tr', {}, [el('td', {}, [text])])];
  return [text];
}

/** Schemes that run code: a link to one is only its text, silently (the script is not the author's words). */
const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript', 'livescript']);
/** Longer addresses of a link that cannot be kept are not shown as text (a `data:` URL can be megabytes). */
const MAX_SHOWN_ADDRESS = 2000;

/** Inputs whose value a page shows as text (a field's text, a button's label); not a password's or a hidden one's. */
const SHOWN_VALUE = new Set(['', 'text', 'search', 'url', 'email', 'tel', 'number', 'date', 'time', 'datetime-local', 'month', 'week', 'submit', 'button', 'reset']);

/**
 * What stands for a form field, which an e-book cannot keep: the text it shows, its value (a command in a
 * read-only field to copy, a button's label), which was dropped with no warning. An empty field shows nothing.
 */
function inputText(node: P5Element): XNode[] {
  const type = (attribute(node)('type') ?? '').trim().toLowerCase();
  const value = attribute(node)('value')?.replace(/\s+/g, ' ').trim();
  // Fields side by side stay apart once they are only text, as the choices of a list do.
  return value && SHOWN_VALUE.has(type) ? [value, ' '] : [];
}

/**
 * What a `<meter>` or `<progress>` with no text of its own shows: a bar, filled to its value. Their text is
 * the fallback for readers without the bar, which e-readers are (both become text): the value as a share of
 * the range (`60%`), or of its maximum when the range is not 0 to 1 or 100 (`3/5`). A progress without a
 * value is indeterminate: nothing to show.
 */
function gaugeText(node: P5Element): XNode[] {
  const number = (name: string) => {
    const v = Number.parseFloat(attribute(node)(name) ?? '');
    return Number.isFinite(v) ? v : undefined;
  };
  const value = number('value');
  if (value === undefined) return [];
  const min = node.tagName === 'meter' ? (number('min') ?? 0) : 0;
  const max = number('max') ?? 1;
  if (!(max > min)) return [String(value)];
  // The bar is full at most, and empty at least, whatever the value says.
  const shownValue = Math.min(Math.max(value, min), max);
  const shown = (n: number) => String(Math.round(n * 100) / 100);
  if (min === 0 && (max === 1 || max === 100)) return [`${shown(shownValue * (100 / max))}%`];
  return [`${shown(shownValue)}/${shown(max)}`];
}

/**
 * A region of an image map: e-readers have no image maps (the image shows, its regions cannot be touched), so
 * each region is the link it was, named by its alt text, after the image. Its alt text is kept as text
 * where it has nowhere safe to go, or inside a link; a region with no alt text has nothing to read.
 */
function mapArea(node: P5Element, state: State): XNode[] {
  const alt = attribute(node)('alt')?.replace(/\s+/g, ' ').trim();
  if (!alt) return [];
  const raw = attribute(node)('href');
  const href = raw === undefined || state.links > 0 ? undefined : elementAttr('a', 'href', raw);
  if (href === undefined) return [alt, ' '];
  return [{ tag: 'a', ns: 'html', attrs: new Map([['href', href]]), children: [alt], pos: rawPosition(node, state) }, ' '];
}

/**
 * The picture an image without a `src`, or with only a placeholder (a blank pixel, a spacer), shows once its
 * page has loaded it: from the attributes of lazy loading, a `srcset` or its `<picture>`'s sources, chosen as
 * `quire add` chooses (image-candidates.ts). A page pasted from the web kept a blank pixel, or only the alt
 * text, where its pictures were. Undefined when the `src` stands.
 */
function laterSource(node: P5Element): string | undefined {
  if (!isPlaceholder(attribute(node)('src'))) return undefined;
  const parent = node.parentNode;
  return bestOffered(attribute(node), parent && 'tagName' in parent && parent.tagName === 'picture' ? sourcesOf(parent).map(attribute) : []);
}

/** An element's attributes, read by name. */
function attribute(e: P5Element): (name: string) => string | undefined {
  return (name) => e.attrs.find((a) => a.name === name)?.value;
}

/** The `<source>` children of a media element or a picture. */
function sourcesOf(e: P5Element): P5Element[] {
  return e.childNodes.filter((c): c is P5Element => 'tagName' in c && c.tagName === 'source');
}

/** Whether any of `nodes` is, or holds, a link to `href`. */
function linksTo(nodes: readonly XNode[], href: string): boolean {
  return nodes.some((n) => typeof n !== 'string' && ((n.tag === 'a' && n.attrs.get('href') === href) || linksTo(n.children, href)));
}
