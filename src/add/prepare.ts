// Extraction, before Readability: puts the page's content in the plain form Readability and turndown keep,
// removing nothing that could hold the article. Lazy, `srcset` and `<picture>` images get their best
// candidate as `src`; images given only in `<noscript>` come out of it; MathJax and KaTeX renderings give
// way to the MathML (or TeX) they were made from; footnote asides, which Readability drops as page
// furniture, become plain blocks; comments go. What the page shows on a click (a tab's panel, a region a
// button opens, the rest of an article behind "Continue reading") is shown, under its tab's or button's words.
// Embeds Readability drops (frames from hosts it does not know, lazy frames, lite-youtube, gists, Instagram
// posts, an audio player alone) are put in a form it keeps, for markdown.ts to write as links. An aside
// among the article's paragraphs (a callout, a pull quote, a sidebar) becomes a quote, which Readability keeps.
// The pictures an inline SVG shows become images after it. A documentation page's section, whose id is its
// title's words, keeps them out of Readability's sight when they read as furniture's ("…related to…").
import type { parseHTML } from 'linkedom';
import { type Attribute, bestOffered, LAZY_ATTRIBUTES, LAZY_SRCSET, parseSrcset } from '../image-candidates.js';

export type Doc = ReturnType<typeof parseHTML>['document'];
type El = ReturnType<Doc['createElement']>;

export function prepareDocument(document: Doc, base: string): void {
  flattenDeepNesting(document);
  removeComments(document);
  quotedBylines(document);
  unwrapNoscriptImages(document, base);
  keepEmbeds(document, base);
  svgPictures(document, base);
  chooseImageSources(document, base);
  mathFromRenderings(document);
  keepFootnoteAsides(document);
  keepArticleAsides(document);
  keepTitledSections(document);
}

/**
 * The page's comments, which are never its text: a React page separates the pieces of a sentence with empty
 * ones (`on Page <!-- -->A<!-- -->1`), and Readability made a paragraph of each piece between them.
 */
function removeComments(document: Doc): void {
  const stack: { childNodes: ArrayLike<unknown> }[] = [document as unknown as { childNodes: ArrayLike<unknown> }];
  while (stack.length) {
    const children = Array.from(stack.pop()!.childNodes) as { nodeType: number; childNodes: ArrayLike<unknown>; remove(): void }[];
    for (const child of children) {
      if (child.nodeType === 8) child.remove();
      else if (child.nodeType === 1) stack.push(child);
    }
  }
}

/**
 * The author named in what the article quotes or links to, a Ghost bookmark card's `kg-bookmark-author`,
 * an embedded post's: its class no longer reads as a byline. Readability took it for the article's author
 * (the front matter's `author`), and left it out of the card.
 */
function quotedBylines(document: Doc): void {
  for (const el of document.querySelectorAll(QUOTED_BYLINE) as Iterable<El>) {
    for (const name of ['class', 'id', 'rel', 'itemprop']) {
      const value = el.getAttribute(name);
      if (value && /author|byline|writtenby/i.test(value)) el.setAttribute(name, value.replace(/author|byline|writtenby/gi, 'source'));
    }
  }
}
const QUOTED_BYLINE = ['.kg-bookmark-card', '.kg-card', 'blockquote', 'figure', '[class*="bookmark"]', '[class*="embed"]']
  .map((card) => `${card} [class*="author" i], ${card} [class*="byline" i], ${card} [rel="author"], ${card} [itemprop="author"]`)
  .join(', ');

/**
 * The value of the attribute that marks an embed to keep: extract.ts gives Readability a pattern of
 * embeds that matches it, as it matches YouTube's and Vimeo's addresses.
 */
export const KEPT_EMBED = 'quire:kept-embed';
/** Frames that are advertising, tracking or a share button, never what the article shows. */
const AD_FRAME = /\/\/([\w-]+\.)*(doubleclick\.net|googlesyndication\.com|googleadservices\.com|adservice\.google\.[a-z.]+|amazon-adsystem\.com|adnxs\.com|taboola\.com|outbrain\.com|criteo\.[a-z]+|moatads\.com|scorecardresearch\.com|googletagmanager\.com|facebook\.com\/plugins\/(like|share|follow)|platform\.twitter\.com\/widgets\/(follow|tweet)_button)/i;

/**
 * Embeds that Readability drops, put in a form it keeps: a lazy frame (`data-src`, its `src` blank) gets its
 * address; `<lite-youtube>` and `<lite-vimeo>` become the player's frame; a frame from a host Readability
 * does not know (a Datawrapper chart, a map, Medium's `/media/` gists) is marked to keep, unless it is an
 * advertisement or a pixel; a gist's script gives way to the listing in its `<noscript>`, else to a link to
 * the gist; an Instagram post is a quote of its credit linked to the post; an audio or video player with
 * no fallback text gets a link to its file (Readability dropped a paragraph holding only the player).
 * markdown.ts writes each frame and player as a link to its page.
 */
function keepEmbeds(document: Doc, base: string): void {
  for (const lite of [...document.querySelectorAll('lite-youtube[videoid], lite-vimeo[videoid]')]) {
    const id = lite.getAttribute('videoid')!.trim();
    if (!/^[\w-]{1,64}$/.test(id)) continue;
    const frame = document.createElement('iframe');
    frame.setAttribute('src', lite.tagName === 'LITE-VIMEO' ? `https://player.vimeo.com/video/${id}` : `https://www.youtube.com/embed/${id}`);
    const title = (lite.getAttribute('playlabel') ?? lite.getAttribute('title') ?? '').replace(/^play:?\s*/i, '').trim();
    if (title) frame.setAttribute('title', title);
    lite.replaceWith(frame);
  }
  for (const frame of [...document.querySelectorAll('iframe')]) {
    const src = frame.getAttribute('src')?.trim() ?? '';
    const lazy = ['data-src', 'data-lazy-src', 'data-original'].map((a) => frame.getAttribute(a)?.trim()).find(Boolean);
    if (lazy && (!src || /^(about:|data:|javascript:)/i.test(src))) frame.setAttribute('src', lazy);
    const url = absolute(frame.getAttribute('src')?.trim() ?? '', base);
    if (!url || !/^https?:/i.test(url) || AD_FRAME.test(url)) continue;
    const size = (name: string) => Number.parseFloat(frame.getAttribute(name) ?? '');
    if (size('width') <= 1 || size('height') <= 1 || /display:\s*none|visibility:\s*hidden/i.test(frame.getAttribute('style') ?? '')) continue;
    frame.setAttribute('src', url);
    frame.setAttribute('data-quire-embed', KEPT_EMBED);
  }
  for (const script of [...document.querySelectorAll('script[src*="gist.github.com/"]')]) {
    const url = absolute(script.getAttribute('src')!.trim(), base)?.replace(/\.js(?=$|\?)/, '').replace(/\?.*$/, '');
    if (!url || !/^https:\/\/gist\.github\.com\//.test(url)) continue;
    const next = script.nextElementSibling;
    if (next?.tagName === 'NOSCRIPT' && (next.textContent ?? '').trim()) {
      next.replaceWith(...[...next.childNodes]);
      script.remove();
      continue;
    }
    script.replaceWith(linkParagraph(document, url, `Gist ${url.replace(/^https:\/\/gist\.github\.com\//, '')} on GitHub`));
  }
  for (const quote of [...document.querySelectorAll('blockquote.instagram-media[data-instgrm-permalink]')]) {
    const url = absolute(quote.getAttribute('data-instgrm-permalink')!.trim(), base)?.replace(/\?.*$/, '');
    if (!url || !/^https?:/i.test(url)) continue;
    const credit = [...quote.querySelectorAll('p')].map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean).join(' ');
    const kept = document.createElement('blockquote');
    kept.append(linkParagraph(document, url, credit ? `Instagram: ${credit}` : 'Post on Instagram'));
    quote.replaceWith(kept);
  }
  for (const player of [...document.querySelectorAll('audio, video')]) {
    if ((player.textContent ?? '').trim()) continue;
    const src = player.getAttribute('src')?.trim() || player.querySelector('source[src]')?.getAttribute('src')?.trim();
    const url = src && absolute(src, base);
    if (!url || !/^https?:/i.test(url)) continue;
    const a = document.createElement('a');
    a.setAttribute('href', url);
    a.textContent = url;
    player.append(a);
  }
  for (const object of [...document.querySelectorAll('object[data], embed[src]')]) objectShown(document, object as El, base);
}

/**
 * An `<object>` (or `<embed>`) as a reader sees it, which Readability dropped with its fallback: one whose
 * data is a picture (`type="image/svg+xml"`, a `.svg` chart) is that picture, an `<img>` with its fallback
 * picture's alt text (the fallback is what a browser shows only when the picture does not load); another
 * (a PDF, a player) with a fallback picture is marked to keep, as a frame is, and markdown.ts links to it
 * with that picture.
 */
function objectShown(document: Doc, object: El, base: string): void {
  const url = absolute((object.getAttribute(object.tagName === 'EMBED' ? 'src' : 'data') ?? '').trim(), base);
  if (!url || !/^https?:/i.test(url) || AD_FRAME.test(url)) return;
  const size = (name: string) => Number.parseFloat(object.getAttribute(name) ?? '');
  if (size('width') <= 1 || size('height') <= 1 || /display:\s*none|visibility:\s*hidden/i.test(object.getAttribute('style') ?? '')) return;
  const type = (object.getAttribute('type') ?? '').trim().toLowerCase();
  if (type.startsWith('image/') || (!type && PICTURE_FILE.test(new URL(url).pathname))) {
    const img = document.createElement('img');
    img.setAttribute('src', url);
    const alt = object.getAttribute('title') ?? object.getAttribute('aria-label') ?? object.querySelector('img[alt]')?.getAttribute('alt') ?? (object.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (alt) img.setAttribute('alt', alt);
    for (const name of ['width', 'height']) if (object.hasAttribute(name)) img.setAttribute(name, object.getAttribute(name)!);
    object.replaceWith(img);
    return;
  }
  // Only an object with a fallback picture: a plugin's badge with none (an 88×31 Flash movie) goes, as before.
  if (object.tagName !== 'OBJECT' || !object.querySelector('img[src]')) return;
  object.setAttribute('data', url);
  object.setAttribute('data-quire-embed', KEPT_EMBED);
}

/** A paragraph of `text` in bold: a tab's label over its panel, an accordion's question over its answer. */
function boldParagraph(document: Doc, text: string): El {
  const p = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = text;
  p.append(strong);
  return p;
}

function linkParagraph(document: Doc, href: string, text: string): El {
  const p = document.createElement('p');
  const a = document.createElement('a');
  a.setAttribute('href', href);
  a.textContent = text;
  p.append(a);
  return p;
}

/** Whatever a disclosure must not open: menus, dialogs, banners, navigation, forms. */
const NOT_DISCLOSED = /(?:^|[\s_-])(?:modal|dialog|popup|pop-up|overlay|cookie|consent|gdpr|banner|menu|dropdown|nav|navigation|search|tooltip|toast|lightbox|template)(?:$|[\s_-])/i;
/** What a "read more" button says: not a question of the text, it goes. */
const MORE_BUTTON = /^(?:continue reading|read (?:the )?(?:more|full (?:story|article))|show (?:more|all|less)|see more|view more|load more|more|expand|expand all|collapse|open|close|toggle)\b[\s.…→»]*$/i;

/**
 * What the page shows on a click, which Readability drops as hidden (`hidden`, `display: none`,
 * `aria-hidden`): tab panels (`role="tabpanel"`), each under its tab's label; what a button opens (its
 * `aria-controls` target, or, for a button with `aria-expanded` or a hidden block right after a button,
 * the block after it), the button's words kept as the block's question (bold, or the heading it is in) unless they only
 * say "read more"; `hidden="until-found"` (shown by the browser's find). Only what ARIA or the page's markup says is
 * disclosed, and never a dialog, a menu, navigation or a banner: a screen-reader copy, a template, a
 * cookie notice stay hidden. Every lookup is in maps built once. Run once a document, before prepareDocument
 * (extract.ts: before the page's main text is counted): a second run would label its tabs again.
 */
export function revealDisclosed(document: Doc): void {
  const byId = new Map<string, Element>();
  for (const el of [...document.querySelectorAll('[id]')]) if (!byId.has(el.getAttribute('id')!)) byId.set(el.getAttribute('id')!, el);
  for (const el of [...document.querySelectorAll('[hidden="until-found"]')]) show(el);
  labelTabPanels(document, byId);
  for (const button of [...document.querySelectorAll('button, [role="button"], [aria-controls], [aria-expanded]')]) {
    // A tab is labelled with its panel; a menu's or a dialog's button (aria-haspopup) opens no text.
    if (button.getAttribute('role') === 'tab' || button.tagName === 'SUMMARY' || !/^(?:false)?$/.test(button.getAttribute('aria-haspopup') ?? '')) continue;
    const controls = (button.getAttribute('aria-controls') ?? '').trim().split(/\s+/).map((id) => byId.get(id)).filter((el): el is Element => !!el);
    if (!controls.length) {
      // Without aria-controls, a disclosure opens what follows it: the block after the button, or after the
      // heading or block it is alone in (the ARIA accordion's `<h3><button>`).
      let at: Element = button;
      for (let depth = 0; !at.nextElementSibling && at.parentElement?.children.length === 1 && depth < 3; depth++) at = at.parentElement;
      const next = at.nextElementSibling as Element | null;
      if (next && (button.hasAttribute('aria-expanded') || (button.tagName === 'BUTTON' && isHidden(next)))) controls.push(next);
    }
    const opened = controls.filter((el) => disclosable(el) && disclosable(button));
    if (!opened.length) continue;
    for (const el of opened) show(el);
    // Readability and turndown drop buttons: an accordion's question is kept, bold, on its own line (inline
    // in a heading), with its pictures (buttonLabel); a "Continue reading" goes.
    if (button.tagName !== 'BUTTON') continue;
    const words = (button.textContent ?? '').replace(/\s+/g, ' ').trim();
    const label = buttonLabel(document, button as El, words);
    if (!words || MORE_BUTTON.test(words)) {
      // Its pictures, if any says something, stay (a "Show more" under a map of the bay).
      const pictures = label.filter((n) => n.nodeType === 1);
      if (pictures.length) {
        const p = document.createElement('p');
        p.append(...pictures);
        button.replaceWith(p);
      } else button.remove();
      continue;
    }
    if (/^H[1-6]$/.test(button.parentElement?.tagName ?? '')) {
      button.replaceWith(...label);
      continue;
    }
    if (label.length === 1) {
      button.replaceWith(boldParagraph(document, words));
      continue;
    }
    // The words bold, the pictures beside them (turndown wrote a space before a bold run that starts with one).
    const p = document.createElement('p');
    for (const n of label) {
      if (n.nodeType !== 3) {
        p.append(n as unknown as El);
        continue;
      }
      const [, before, core, after] = /^(\s*)(.*?)(\s*)$/s.exec(n.nodeValue ?? '')!;
      const strong = document.createElement('strong');
      strong.textContent = core!;
      p.append(before!, strong, after!);
    }
    button.replaceWith(p);
  }
}

/**
 * A disclosure button's words with its pictures in their place: a flag before a country's name, a map
 * beside a place's (they were dropped with the button, unsaid). A control's own icon goes: a picture
 * marked decorative (`alt=""`, `aria-hidden`, `role="presentation"`), one whose alt text is a control's
 * word ("Expand"), one of no alt text drawn 24 pixels or less (a chevron).
 */
function buttonLabel(document: Doc, button: El, words: string): Node[] {
  const says = (img: El): boolean => {
    if (!img.getAttribute('src')?.trim() || img.getAttribute('aria-hidden') === 'true' || /^(?:presentation|none)$/.test(img.getAttribute('role') ?? '')) return false;
    const alt = img.getAttribute('alt');
    if (alt === null) return !(['width', 'height'].every((name) => Number.parseFloat(img.getAttribute(name) ?? '') <= 24));
    return !!alt.trim() && !MORE_BUTTON.test(alt.trim());
  };
  if (![...button.querySelectorAll('img')].some((img) => says(img as unknown as El))) return [document.createTextNode(words) as unknown as Node];
  const out: Node[] = [];
  let text = '';
  const walk = (n: Node): void => {
    if (n.nodeType === 3) text += n.nodeValue ?? '';
    else if (n.nodeName === 'IMG') {
      if (!says(n as unknown as El)) return;
      if (text.replace(/\s+/g, ' ').trim()) out.push(document.createTextNode(text.replace(/\s+/g, ' ')) as unknown as Node);
      text = ' ';
      out.push((n as unknown as El).cloneNode(true) as unknown as Node);
    } else n.childNodes.forEach(walk);
  };
  button.childNodes.forEach((n) => walk(n as unknown as Node));
  if (text.replace(/\s+/g, ' ').trim()) out.push(document.createTextNode(text.replace(/\s+/g, ' ')) as unknown as Node);
  // The words' spaces at the label's ends go, the pictures' between them stay.
  if (out[0]?.nodeType === 3) out[0].nodeValue = out[0].nodeValue!.trimStart();
  const last = out[out.length - 1];
  if (last?.nodeType === 3) last.nodeValue = last.nodeValue!.trimEnd();
  return out;
}

/** Whether an element is hidden by its own markup (not by a style sheet, which quire does not read). */
function isHidden(el: Element): boolean {
  return el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true' || /(?:display:\s*none|visibility:\s*hidden)/i.test(el.getAttribute('style') ?? '');
}

/** Whether a region may be opened: not a dialog, a menu, navigation, a form, a banner, nor inside one. */
function disclosable(el: Element): boolean {
  if (/^(?:DIALOG|NAV|HEADER|FOOTER|FORM|TEMPLATE|MENU|SELECT)$/.test(el.tagName)) return false;
  if (/^(?:dialog|alertdialog|menu|menubar|listbox|navigation|banner|tooltip|search)$/.test(el.getAttribute('role') ?? '') || el.getAttribute('aria-modal') === 'true') return false;
  if (NOT_DISCLOSED.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`)) return false;
  return !el.closest('nav, header, footer, dialog, [role="navigation"], [role="dialog"], [role="banner"], [role="menu"]');
}

/** Shows an element hidden by its markup, as a click on its tab or button would. */
function show(el: Element): void {
  el.removeAttribute('hidden');
  if (el.getAttribute('aria-hidden') === 'true') el.removeAttribute('aria-hidden');
  const style = el.getAttribute('style');
  if (style && /display:\s*none|visibility:\s*hidden/i.test(style)) el.setAttribute('style', style.replace(/(?:display:\s*none|visibility:\s*hidden)\s*(?:!important)?\s*;?/gi, ''));
}

/**
 * Each tab panel shown, its tab's label a bold line at its top: the tab named by `aria-labelledby`, the
 * tab whose `aria-controls` or `href` names the panel, else the next unused tab of the last tab list
 * before it (Docusaurus names neither). A tab list whose every tab labels a panel goes (its labels are
 * with their panels); one in a panel of an outer tab list is followed for that panel's panels.
 */
function labelTabPanels(document: Doc, byId: Map<string, Element>): void {
  const tabOf = new Map<Element, Element>();
  for (const tab of [...document.querySelectorAll('[role="tab"]')]) {
    const href = tab.getAttribute('href') ?? '';
    for (const id of [...(tab.getAttribute('aria-controls') ?? '').trim().split(/\s+/), href.startsWith('#') ? href.slice(1) : '']) {
      const panel = id ? byId.get(id) : undefined;
      if (panel && !tabOf.has(panel)) tabOf.set(panel, tab);
    }
  }
  const used = new Set<Element>();
  // The tab lists met so far whose tabs are not all used, each with the first it has not used.
  const lists: { tabs: Element[]; next: number }[] = [];
  const nextTab = (): Element | undefined => {
    while (lists.length) {
      const top = lists[lists.length - 1]!;
      while (top.next < top.tabs.length && used.has(top.tabs[top.next]!)) top.next++;
      if (top.next < top.tabs.length) return top.tabs[top.next];
      lists.pop();
    }
    return undefined;
  };
  for (const el of [...document.querySelectorAll('[role="tablist"], [role="tabpanel"]')]) {
    if (el.getAttribute('role') === 'tablist') {
      lists.push({ tabs: [...el.querySelectorAll('[role="tab"]')], next: 0 });
      continue;
    }
    const labelledBy = (el.getAttribute('aria-labelledby') ?? '').trim().split(/\s+/)[0];
    const tab = (labelledBy && byId.get(labelledBy)) || tabOf.get(el) || nextTab();
    if (!disclosable(el)) continue;
    show(el);
    if (!tab) continue;
    used.add(tab);
    const label = (tab.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!label) continue;
    el.prepend(boldParagraph(document, label));
  }
  for (const list of new Set([...used].map((tab) => tab.closest('[role="tablist"]')))) {
    if (list && [...list.querySelectorAll('[role="tab"]')].every((t) => used.has(t))) list.remove();
  }
}

/**
 * `<noscript><img></noscript>` after a lazy image (lazy loading without script: lazysizes, WordPress's lazy
 * load plugins, Jetpack, Medium) is that image's copy for readers without script, and goes, when it is the
 * same picture: the lazy image offers its address (as `src`, a lazy attribute, a `srcset`, its
 * `<picture>`'s sources), or the same file at another size (the same path, a query asking for a size). One
 * whose address only another `data-` attribute of the lazy image names (`data-flickity-lazyload`,
 * Squarespace's `data-image`) is the real picture, and replaces the lazy image and the preview it shows.
 * One after an image that offers no picture (a blank pixel, no `src`, right before it) replaces it, and a
 * blurred preview of it before the placeholder goes. Any other comes out of the noscript: a different
 * picture after a paragraph holding an image was taken for a copy of it and lost.
 */
function unwrapNoscriptImages(document: Doc, base: string): void {
  for (const noscript of [...document.querySelectorAll('noscript')]) {
    // linkedom parses a noscript's content as elements; some pages escape it as text.
    let inner = [...noscript.querySelectorAll('img')];
    if (!inner.length && /<img\b/i.test(noscript.textContent ?? '')) {
      const holder = document.createElement('div');
      holder.innerHTML = noscript.textContent ?? '';
      inner = [...holder.querySelectorAll('img')];
    }
    if (!inner.length) continue;
    const previous = noscript.previousElementSibling as El | null;
    const before = previous ? (previous.tagName === 'IMG' ? [previous] : [...previous.querySelectorAll('img')]) : [];
    const left: El[] = [];
    for (const img of inner) {
      const url = bestSource(img, base);
      const copyOf = url ? before.find((lazy) => offered(lazy, base).some((u) => samePicture(u, url))) : undefined;
      if (copyOf) continue;
      const standIn = url ? before.find((lazy) => named(lazy, base).some((u) => samePicture(u, url))) : undefined;
      if (standIn) {
        standIn.replaceWith(img);
        continue;
      }
      left.push(img);
    }
    // A placeholder right before the noscript: the image before it, or the only one in the element before it.
    const placeholder = before.length === 1 && !bestOffered(attributesOf(before[0]!), sourcesOf(before[0]!)) ? before[0]! : undefined;
    if (placeholder && inner.length === 1 && left.length === 1) {
      // Medium draws a blurred copy (60 px wide, `?q=20`) before the placeholder, the same size as the
      // picture: it was saved too, a second, blurry picture before each one.
      const preview = previous!.previousElementSibling as El | null;
      const previewImages = preview ? (preview.tagName === 'IMG' ? [preview] : [...preview.querySelectorAll('img')]) : [];
      if (preview && previewImages.length === 1 && sameSize(previewImages[0]!, left[0]!) && isPreview(previewImages[0]!)) preview.remove();
      placeholder.replaceWith(left[0]!);
      noscript.remove();
      continue;
    }
    noscript.replaceWith(...left);
  }
}

/** The addresses an image offers as its picture (as bestOffered reads them), absolute. */
function offered(img: El, base: string): string[] {
  const out: string[] = [];
  const add = (get: (name: string) => string | null | undefined) => {
    for (const name of ['src', ...LAZY_ATTRIBUTES]) {
      const v = get(name)?.trim();
      if (v) out.push(v);
    }
    // As bestOffered reads them: a lazy srcset's file names are the pictures' (`lazy-river.png`).
    for (const name of ['srcset', ...LAZY_SRCSET]) out.push(...parseSrcset(get(name), 0, name !== 'srcset').map((c) => c.url));
  };
  add(attributesOf(img));
  for (const source of sourcesOf(img)) add(source);
  return out.map((u) => absolute(u, base)).filter((u): u is string => !!u);
}

/** The addresses an image's other `data-` attributes (and its `<picture>`'s sources') name, absolute. */
function named(img: El, base: string): string[] {
  const known = new Set<string>([...LAZY_ATTRIBUTES, ...LAZY_SRCSET]);
  const elements = [img, ...(img.parentElement?.tagName === 'PICTURE' ? [...img.parentElement.querySelectorAll('source')] : [])];
  const out: string[] = [];
  for (const el of elements) {
    for (const attr of [...el.attributes]) {
      if (!attr.name.startsWith('data-') || known.has(attr.name)) continue;
      for (const word of attr.value.trim().split(/[\s,]+/)) if (/^(?:https?:\/\/|\/|\.)|\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)/i.test(word)) out.push(word);
    }
  }
  return out.map((u) => absolute(u, base)).filter((u): u is string => !!u);
}

/** An image's attributes, as bestOffered reads them. */
function attributesOf(img: El): Attribute {
  return (name) => img.getAttribute(name);
}

/** The sources of an image's `<picture>`, as bestOffered reads them. */
function sourcesOf(img: El): Attribute[] {
  const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : undefined;
  return picture ? [...picture.querySelectorAll('source')].map((source) => (name: string) => source.getAttribute(name)) : [];
}

/** A picture file's name, whose query only asks for a size or a format of it. */
const PICTURE_FILE = /\.(?:jpe?g|png|gif|webp|avif|svg)$/i;

/**
 * Whether two absolute addresses are one picture: the same, or the same file on the same host asked for
 * with another query (Jetpack's `?resize=`, Squarespace's `?format=`, a `&is-pending-load=1`).
 */
function samePicture(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return /^https?:$/.test(x.protocol) && x.origin === y.origin && x.pathname === y.pathname && PICTURE_FILE.test(x.pathname);
  } catch {
    return false;
  }
}

/**
 * Whether an image is a low-quality preview by its address: Medium's `?q=20`, `/max/60/`, a `blur` in it. A
 * lazy-loaded gallery's pictures of one size, each before the next one's placeholder, were taken for
 * previews, and all but the last one lost.
 */
function isPreview(img: El): boolean {
  const src = img.getAttribute('src') ?? '';
  return /[?&]q=\d{1,2}(?:&|$)|\/max\/\d{1,3}\/|\bblur/i.test(src);
}

/** Whether two images are given the same width and height (both given). */
function sameSize(a: El, b: El): boolean {
  const [w, h] = [a.getAttribute('width')?.trim(), a.getAttribute('height')?.trim()];
  return !!w && !!h && w === b.getAttribute('width')?.trim() && h === b.getAttribute('height')?.trim();
}

/** The address of the best image an `<img>` offers (lazy attributes, srcset, its <picture>), or its src. */
function bestSource(img: El, base: string): string | undefined {
  const chosen = bestOffered(attributesOf(img), sourcesOf(img));
  if (chosen) return absolute(chosen, base);
  const src = img.getAttribute('src')?.trim();
  return src ? absolute(src, base) : undefined;
}

function absolute(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Whether an SVG's picture only fills or cuts its shapes (a tiled texture, a mask, a clip, a line's
 * marker): not a picture of its own beside the drawing.
 */
function inFill(image: Element, svg: Element): boolean {
  for (let p = image.parentElement; p && p !== svg; p = p.parentElement) if (/^(?:pattern|mask|clippath|marker)$/i.test(p.localName)) return true;
  return false;
}

/** What an SVG draws besides its pictures; not what only defines (a clip, a mask, a gradient). */
const SVG_DRAWN = 'path, rect, circle, ellipse, line, polyline, polygon, text, use, foreignObject, foreignobject';
const SVG_UNDRAWN = /^(?:defs|clippath|mask|pattern|symbol|marker|lineargradient|radialgradient|filter)$/i;

/**
 * The pictures an inline SVG shows (`<image href>`, `xlink:href`: a photo in a frame, a cropped or masked
 * picture) become `<img>`s after it, which are downloaded and shown: the book keeps no address out of an
 * inline SVG, and they were lost unsaid (an SVG holding only its picture, alone in a paragraph, was
 * dropped with it as an empty paragraph). An SVG that draws nothing else is its pictures.
 */
function svgPictures(document: Doc, base: string): void {
  for (const svg of [...document.querySelectorAll('svg')]) {
    if (svg.parentElement?.closest('svg, pre, code')) continue;
    const imgs: El[] = [];
    for (const image of [...svg.querySelectorAll('image')]) {
      const href = (image.getAttribute('href') ?? image.getAttribute('xlink:href') ?? '').trim();
      const url = href && !href.startsWith('#') ? absolute(href, base) : undefined;
      if (!url || inFill(image, svg)) continue;
      const img = document.createElement('img');
      img.setAttribute('src', url);
      const alt = image.getAttribute('aria-label') ?? image.querySelector('title')?.textContent;
      if (alt?.trim()) img.setAttribute('alt', alt.replace(/\s+/g, ' ').trim());
      imgs.push(img);
      image.remove();
    }
    if (!imgs.length) continue;
    const drawn = [...svg.querySelectorAll(SVG_DRAWN)].some((el) => {
      for (let p: Element | null = el.parentElement; p && p !== (svg as unknown as Element); p = p.parentElement) if (SVG_UNDRAWN.test(p.localName)) return false;
      return true;
    });
    if (drawn) {
      svg.after(...imgs);
      continue;
    }
    // The drawing's name is its picture's, when it is the only one.
    const name = svg.getAttribute('aria-label') ?? svg.querySelector('title')?.textContent;
    if (imgs.length === 1 && !imgs[0]!.hasAttribute('alt') && name?.trim()) imgs[0]!.setAttribute('alt', name.replace(/\s+/g, ' ').trim());
    svg.replaceWith(...imgs);
  }
}

function chooseImageSources(document: Doc, base: string): void {
  for (const img of [...document.querySelectorAll('img')]) {
    const best = bestSource(img, base);
    if (!best || isCounter(img, best)) {
      img.remove();
      continue;
    }
    img.setAttribute('src', best);
    for (const a of ['srcset', 'sizes', 'loading', ...LAZY_ATTRIBUTES, ...LAZY_SRCSET]) img.removeAttribute(a);
  }
  // The chosen source is the <img>'s now: the alternatives go, and the <picture> with them.
  for (const picture of [...document.querySelectorAll('picture')]) {
    for (const source of [...picture.querySelectorAll('source')]) source.remove();
    if (picture.querySelector('img')) picture.replaceWith(...[...picture.childNodes]);
  }
}

/**
 * Counters that a feed or a page shows as an image: FeedBurner's pixel (`/~r/`) and its "flare" buttons
 * (`/~ff/`), WordPress.com's and Jetpack's stats (`pixel.wp.com`, `stats.wordpress.com/b.gif`), Medium's
 * `/_/stat`, comScore, Quantcast, Facebook's and Google Analytics' pixels.
 */
const COUNTER = /^https?:\/\/(?:(?:feeds\.feedburner\.com|feedproxy\.google\.com)\/~(?:r|ff)\/|pixel\.wp\.com\/|stats\.wordpress\.com\/[bg]\.gif|medium\.com\/_\/stat\b|(?:[\w-]+\.)?scorecardresearch\.com\/p\b|pixel\.quantserve\.com\/|(?:www\.)?facebook\.com\/tr\b|(?:ssl|www)\.google-analytics\.com\/(?:collect|__utm\.gif))/i;

/** A style's width or height in pixels (`width: 1px`). */
const STYLE_SIZE = {
  width: /(?:^|[;\s])width\s*:\s*([\d.]+)(?:px)?\s*(?:!important\s*)?(?:;|$)/i,
  height: /(?:^|[;\s])height\s*:\s*([\d.]+)(?:px)?\s*(?:!important\s*)?(?:;|$)/i,
};

/** A style that hides what it is on: `display: none`, `visibility: hidden`. */
const HIDDEN_STYLE = /(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i;
/** The file names of the transparent pictures old pages lay out with (`spacer.gif`, `blank.gif`, `1x1.gif`). */
const SPACER = /\/(?:spacer|blank|clear|clearpixel|transparent|trans|pixel|1x1|empty)\.gif$/i;

/**
 * Whether an image is a counter or a spacer, not a picture: from a counter's address, a spacer's file, or
 * declared one pixel or none (`width="1" height="1"`, `width:1px;height:1px`, a width of 0 and no height),
 * or hidden (`display: none`, `visibility: hidden`, `hidden`: a feed item's counter, which Readability's
 * visibility test leaves out of a page but no test leaves out of an item), and offering no other picture (a
 * lazy image's stand-in may be declared so, its picture in `data-src`). Saved, it was a blank picture in
 * the text, and fetching it told the counter the article was read. It goes without a word: it is no part
 * of what the page shows. An image whose size is not given (a small icon) stays.
 */
function isCounter(img: El, url: string): boolean {
  if (COUNTER.test(url)) return true;
  if (img.parentElement?.tagName === 'PICTURE' || ['srcset', ...LAZY_ATTRIBUTES, ...LAZY_SRCSET].some((a) => img.hasAttribute(a))) return false;
  const style = img.getAttribute('style') ?? '';
  if (img.hasAttribute('hidden') || HIDDEN_STYLE.test(style) || SPACER.test(new URL(url).pathname)) return true;
  const size = (name: 'width' | 'height') => {
    const css = STYLE_SIZE[name].exec(style);
    const value = css ? css[1]! : (img.getAttribute(name) ?? '').trim();
    return /^[\d.]+(?:px)?$/i.test(value) ? Number.parseFloat(value) : Number.NaN;
  };
  // One size of 0 with the other not given; with the other given, 0 is the page's "auto" (CNET's lead
  // pictures are 570 wide and 0 high).
  const [width, height] = [size('width'), size('height')];
  return (width <= 1 && height <= 1) || (width === 0 && Number.isNaN(height)) || (height === 0 && Number.isNaN(width));
}

/**
 * MathJax and KaTeX show a formula twice: drawn in spans for the eye, and as MathML (or TeX in a script)
 * for assistive technology. The drawing goes; the MathML stays for turndown to write as TeX.
 */
function mathFromRenderings(document: Doc): void {
  // MathJax 2: <span class="MathJax"> drawing, then <script type="math/tex">TeX</script>.
  for (const script of [...document.querySelectorAll('script[type^="math/tex"], script[type^="math/asciimath"]')]) {
    const type = script.getAttribute('type') ?? '';
    if (!type.startsWith('math/tex')) continue;
    // The TeX is the formula's text too, as a TeX annotation: an empty <math> was blank to Readability and
    // to turndown, which dropped a displayed one and wrote an inline one as nothing ("Energy is where").
    const tex = script.textContent ?? '';
    const math = document.createElement('math');
    math.setAttribute('alttext', tex);
    const semantics = document.createElement('semantics');
    const annotation = document.createElement('annotation');
    annotation.setAttribute('encoding', 'application/x-tex');
    annotation.textContent = tex;
    semantics.append(annotation);
    math.append(semantics);
    if (/mode=display/.test(type)) math.setAttribute('display', 'block');
    let previous = script.previousElementSibling;
    while (previous && /\bMathJax(_Preview|_Display|_SVG|_CHTML|_SVG_Display|_CHTML_Display)?\b/.test(previous.getAttribute('class') ?? '')) {
      const drawn = previous;
      previous = previous.previousElementSibling;
      drawn.remove();
    }
    script.replaceWith(math);
  }
  // MathJax 3: <mjx-container> holds the drawing and <mjx-assistive-mml><math>.
  for (const container of [...document.querySelectorAll('mjx-container')]) {
    const math = container.querySelector('math');
    if (math) container.replaceWith(math);
  }
  // KaTeX: .katex holds .katex-mathml (MathML with the TeX as annotation) and .katex-html.
  for (const katex of [...document.querySelectorAll('.katex')]) {
    const math = katex.querySelector('.katex-mathml math, math');
    if (!math) continue;
    if (katex.parentElement?.classList.contains('katex-display')) math.setAttribute('display', 'block');
    katex.replaceWith(math);
  }
  // Wikipedia: the MathML is hidden beside a fallback image of the same formula.
  for (const element of [...document.querySelectorAll('.mwe-math-element')]) {
    const math = element.querySelector('math');
    if (math) element.replaceWith(math);
  }
}

/** Readability drops every <aside>; a footnote in one becomes a div so that the note is kept. */
function keepFootnoteAsides(document: Doc): void {
  for (const aside of [...document.querySelectorAll('aside')]) {
    const type = `${aside.getAttribute('epub:type') ?? ''} ${aside.getAttribute('role') ?? ''} ${aside.getAttribute('data-type') ?? ''}`;
    if (!/\b(doc-)?(foot|end|rear)?note\b/.test(type)) continue;
    // Readability replaces a div holding one paragraph by the paragraph: the note's marks go on it.
    const only = aside.children.length === 1 && aside.children[0]!.tagName === 'P' && !(aside.textContent ?? '').replace(aside.children[0]!.textContent ?? '', '').trim() ? aside.children[0]! : undefined;
    const div = document.createElement(only ? 'p' : 'div');
    for (const attr of [...aside.attributes]) div.setAttribute(attr.name, attr.value);
    div.setAttribute('data-type', 'footnote');
    div.append(...[...(only ?? aside).childNodes]);
    aside.replaceWith(div);
  }
  // The list that holds them, as docutils writes it (`<aside class="footnote-list">`), goes with them
  // otherwise: a note of Python 3.11's What's New, after a table, was lost.
  for (const aside of [...document.querySelectorAll('aside')]) {
    const children = [...aside.children];
    if (!children.length || !children.every((c) => c.getAttribute('data-type') === 'footnote')) continue;
    const div = document.createElement('div');
    for (const attr of [...aside.attributes]) div.setAttribute(attr.name, attr.value);
    div.append(...[...aside.childNodes]);
    aside.replaceWith(div);
  }
}

/** Class and id names of asides that are page furniture: links elsewhere, sharing, advertising, sign-ups. */
const FURNITURE_ASIDE = /(?:^|[\s_-])(?:related|recommended|recommendations|nav|navigation|menu|toc|breadcrumbs?|share|sharing|social|promo|promotion|ad|ads|advert|advertisement|sponsor|sponsored|newsletter|subscribe|signup|widget|comments?|author|bio|popular|trending|more|read-next|banner|cookie|search)(?:$|[\s_-])/i;

/**
 * An aside among the article's own paragraphs (its parent holds a paragraph of 60 characters or more), a
 * callout ("Warning: the rules take effect on May 1"), a pull quote, a "By the numbers" box, Starlight's
 * `starlight-aside`, becomes a quote: Readability drops every `<aside>`, and these were lost. Not one
 * named as furniture (related links, sharing, advertising, a sign-up), nor one mostly of links, nor one
 * in navigation, a header or a footer. Its class goes with it (Readability drops a "sidebar").
 */
function keepArticleAsides(document: Doc): void {
  const amongParagraphs = new Map<unknown, boolean>();
  for (const aside of [...document.querySelectorAll('aside')]) {
    const parent = aside.parentElement;
    if (!parent) continue;
    let among = amongParagraphs.get(parent);
    if (among === undefined) {
      among = [...parent.children].some((c) => c.tagName === 'P' && (c.textContent ?? '').trim().length >= 60);
      amongParagraphs.set(parent, among);
    }
    const text = (aside.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!among || !text || aside.closest('nav, header, footer, [role="navigation"]')) continue;
    if (/^(?:navigation|search|banner|dialog|doc-footnote|doc-endnote)$/.test(aside.getAttribute('role') ?? '')) continue;
    if (FURNITURE_ASIDE.test(`${aside.getAttribute('class') ?? ''} ${aside.getAttribute('id') ?? ''}`)) continue;
    const linked = [...aside.querySelectorAll('a')].reduce((n, a) => n + (a.textContent ?? '').replace(/\s+/g, ' ').trim().length, 0);
    if (linked > 0.5 * text.length) continue;
    const quote = document.createElement('blockquote');
    const id = aside.getAttribute('id');
    if (id) quote.setAttribute('id', id);
    quote.append(...[...aside.childNodes]);
    aside.replaceWith(quote);
  }
}


/** How deep containers may nest before those deeper are unwrapped (flattenDeepNesting). */
const MAX_NESTING = 256;
const CONTAINERS = new Set(['DIV', 'SPAN', 'SECTION', 'ARTICLE', 'MAIN', 'ASIDE', 'HEADER', 'FOOTER', 'NAV', 'FONT', 'CENTER']);

/**
 * Containers nested deeper than MAX_NESTING are unwrapped, their content kept in their place: Readability
 * reads a deep tree in more than quadratic time (2,500 nested `<div>`s took 61 s, 3,200 over two minutes,
 * and `quire add` seemed to hang); no page lays out its text that deep.
 */
function flattenDeepNesting(document: Doc): void {
  const deep: Element[] = [];
  const stack: [Element, number][] = [[document.documentElement as unknown as Element, 0]];
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    for (const child of Array.from(el.children)) {
      if (depth >= MAX_NESTING && CONTAINERS.has(child.tagName)) deep.push(child as unknown as Element);
      stack.push([child as unknown as Element, depth + 1]);
    }
  }
  for (let i = deep.length - 1; i >= 0; i--) deep[i]!.replaceWith(...Array.from(deep[i]!.childNodes));
}

/** Where a section's id waits while Readability runs (see keepTitledSections); markdown.ts puts it back. */
export const SECTION_ID_ATTR = 'data-quire-section-id';
/** The names Readability takes for page furniture, and those that save an element from it (its own tables). */
const READABILITY_UNLIKELY = /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const READABILITY_MAYBE = /and|article|body|column|content|main|shadow/i;

/**
 * A documentation page's section named after its title, as Sphinx names them (`<section
 * id="new-features-related-to-type-hints">`, opened by its heading with its link to itself), is text,
 * whatever words its title has: Readability read the id as a class name and dropped the section as
 * furniture, with all it holds (Python 3.11's What's New lost its 700 words on type hints, unsaid; a
 * section "Comments", "Headers" or "Menus" would go the same way). Its id is set aside while Readability
 * runs. A section whose heading has no link to it (a blog's "Related posts", its comments) is left as it is.
 */
function keepTitledSections(document: Doc): void {
  for (const section of [...document.querySelectorAll('section[id], div.section[id]')]) {
    const id = section.getAttribute('id')!;
    const names = `${section.getAttribute('class') ?? ''} ${id}`;
    if (!READABILITY_UNLIKELY.test(names) || READABILITY_MAYBE.test(names)) continue;
    let heading = section.firstElementChild;
    while (heading && !/^H[1-6]$/.test(heading.tagName) && !heading.textContent && /^(?:SPAN|A)$/.test(heading.tagName)) heading = heading.nextElementSibling;
    if (!heading || !/^H[1-6]$/.test(heading.tagName)) continue;
    const itself = [...heading.querySelectorAll('a[href]')].some((a) => a.getAttribute('href') === `#${id}` && [...(a.textContent ?? '').trim()].length <= 2);
    if (!itself) continue;
    section.setAttribute(SECTION_ID_ATTR, id);
    section.removeAttribute('id');
  }
}
