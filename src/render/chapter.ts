// One article -> one rendered chapter: Markdown, sanitised tree, title and byline, footnotes,
// heading ids and sections, then XHTML with placeholders for the links and images the book settles later.
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Article, Reference, RenderedChapter, RenderSettings } from '../model.js';
import { placeIn } from '../articles/embedded.js';
import { fencedLines } from '../articles/markdown-code.js';
import { isFolderPage, titleFromFileName } from '../articles/title.js';
import { joinNames } from '../labels.js';
import { isRightToLeft } from '../config.js';
import { expandAbbreviations } from './abbreviations.js';
import { markDirections } from './direction.js';
import { DOC_LINK, documentLinks, nameImageLinks } from './link-names.js';
import { convertFootnotes } from './footnotes.js';
import { claimIds, fillContents, headingText, IdAllocator, processHeadings, titleIdText } from './headings.js';
import { inlineSvgToImages } from './kindle.js';
import { addKoboSpans } from './kobo.js';
import { linkReference, notesReferences, waitsForBook } from './book-notes.js';
import { endTag, imagePlaceholder, linkEndPlaceholder, linkPlaceholder } from './placeholders.js';
import { headingsAndBlocks, MAX_NESTING, markdownToHtml, nestingDepth, outsideFences, plainTextToHtml } from './markdown.js';
import { dropDanglingSvgReferences, sanitizeHtml } from './sanitize.js';
import { serialize } from './serialize.js';
import { el, isElement, replaceEach, textOf, walk, type XElement, type XNode } from './tree.js';
import { quotesFor, smarten } from './typography.js';
import { settleLink } from './links.js';
import { ANY_LINK, LABEL_PLACE, NAMED_PLACE, namedLabels, placeLabels, REF_LINK, refId, takeLabels } from './myst.js';
import { pageValues } from './liquid.js';
import { hasValidHost, toValidUri } from './uri.js';


/**
 * What the Markdown stage made of an article: its HTML and the diagnostics found on the way. It depends on
 * the article and the settings only, so another thread can make it while this one sanitises the chapter
 * before (parallel.ts, the read-ahead thread).
 */
export interface MarkedUp {
  html: string;
  diagnostics: Diagnostic[];
  /** Fenced blocks highlighted already (markdown.ts, MarkdownOptions.highlighted); the rest are highlighted as they are serialised. */
  highlighted?: Map<string, string>;
}

/** The Markdown stage; `highlightNow` highlights fenced blocks too, which the serialiser does otherwise. */
export function markUp(article: Article, settings: RenderSettings, highlightNow = false): MarkedUp {
  const diagnostics: Diagnostic[] = [];
  const highlighted = highlightNow && settings.highlight ? new Map<string, string>() : undefined;
  const html = toHtml(article, settings, diagnostics, highlighted);
  return highlighted?.size ? { html, diagnostics, highlighted } : { html, diagnostics };
}

/** Render an article, from its Markdown stage's output when another thread made it. */
/** The roles of the notes quire makes and of their references (footnotes.ts). */
const NOTE_ROLES = new Set(['doc-footnote', 'doc-endnote', 'doc-noteref']);

export function renderChapter(article: Article, settings: RenderSettings, markedUp: MarkedUp = markUp(article, settings)): RenderedChapter {
  const { body, meta } = article;
  const bookLang = settings.lang;
  const diagnostics = markedUp.diagnostics;
  const sanitized = sanitizeHtml(markedUp.html, body);
  const nodes = sanitized.nodes;
  for (const p of sanitized.problems) diagnostics.push({ file: article.file, ...placeIn(article, p.pos), severity: 'warning', code: p.code, message: p.message });
  nameImageLinks(nodes);
  // (Walked for only where the Markdown made one: most chapters have none.)
  const documentLinkNames = markedUp.html.includes(DOC_LINK) ? documentLinks(nodes) : new Map<XElement, string>();
  expandAbbreviations(nodes);
  // (Only where the Markdown made such a picture, from the text or what it includes: the walk is every element's.)
  if (markedUp.html.includes('-mode-only')) leaveOutDarkTheme(nodes);

  // Title: front matter, else a top-level `#` heading that is the article's first heading, else the file
  // name. A `#` after other headings stays where it is: a changelog's `# 1.1.0` among its `##` patches, a
  // README's `# License` after its `##` sections, became the title and left its place (its text then
  // under the section before it).
  const firstHeading = nodes.find((n): n is XElement => isElement(n) && /^h[1-6]$/.test(n.tag));
  // After words of the article's own (a notice, a tagline, an introduction), a `#` heading is the title when
  // it names the article as its file does (or its folder, for a README or an index page): serverless's
  // README opens with a paragraph and then `# Serverless Framework - V.4`. Otherwise it stays where it is,
  // under them, as on GitHub: ioredis's README opens with a paragraph and then `# Features`, and the
  // chapter was titled "Features", the paragraph put under that title. Logos and badges are not words.
  const firstH1 = firstHeading?.tag === 'h1' && (!wordsBefore(nodes, firstHeading) || namesArticle(headingText(firstHeading), article.file)) ? firstHeading : undefined;
  const h1Text = firstH1 ? headingText(firstH1) : '';
  let title = meta.title ?? (h1Text || titleFromFileName(article.name));
  // The heading that became the title gives the title its id, when it had one (`# Intro {#intro}`), and
  // its content: `E = mc<sup>2</sup>`, a logo, code, a note's reference (the title's text is the contents'
  // entry). It is taken out of the text once its notes are found with the others.
  let titleIdWanted: string | undefined;
  let titleContent: XNode[] | undefined;
  const titleHeading = firstH1 && (meta.title === undefined ? h1Text !== '' : normalize(h1Text) === normalize(meta.title)) ? firstH1 : undefined;
  if (titleHeading) {
    if (meta.title === undefined) title = h1Text;
    titleIdWanted = titleHeading.attrs.get('id');
    if (titleHeading.children.some(isElement)) titleContent = titleHeading.children;
  }

  const lang = meta.lang ?? bookLang;
  const bookNotes = convertFootnotes(nodes, `${article.slug}-`, settings.notes, lang);
  // MyST's `(label)=` targets, their ids given once the headings have theirs (myst.ts); read
  // before the title's heading is taken out of the text, for a target before it to name the chapter.
  const labelPlaces = markedUp.html.includes(LABEL_PLACE) ? takeLabels(nodes) : [];
  // The heading that opens the chapter's text right after a title taken from its `#` heading (fastify's
  // guides: `<h1>Fastify</h1>` then `## Benchmarking`): what tells chapters apart when several share that
  // title (settle/titles.ts).
  let lead: XElement | undefined;
  if (titleHeading) {
    const at = nodes.indexOf(titleHeading);
    if (meta.title === undefined) lead = leadingHeading(nodes, at + 1);
    nodes.splice(at, 1);
  }
  // A reading system's wrapper may take ids (a Kobo book's two divs): the chapter's own ids avoid them.
  const ids = new Set<string>(settings.reservedIds ?? []);
  const allocator = new IdAllocator(ids);
  // The notes' ids and their references' first: the links between them are made already, and an id of the
  // author's that is the same (`## Five {#a-fn1}`) would have taken it, the note's reference then leading
  // to the heading.
  const noteIds = new Set<XElement>();
  walk(nodes, (e) => {
    const id = e.attrs.get('id');
    if (id === undefined || !id.startsWith(`${article.slug}-fn`) || !NOTE_ROLES.has(e.attrs.get('role') ?? '')) return;
    e.attrs.set('id', allocator.claim(id));
    noteIds.add(e);
  });
  if (titleContent) claimIds(titleContent, allocator);
  claimIds(nodes, allocator, noteIds);
  // From the title, without a placeholder GitHub drops (`# Promise<void>` is `#promise`).
  const titleId = titleIdWanted ? allocator.claim(titleIdWanted) : allocator.forText((titleHeading && titleIdText(titleHeading)) || title, 'title');
  const quotes = quotesFor(lang);
  const smart = (text: string, before: string) => smarten(text, before, quotes);
  // The sections' text and the title's are smartened as the chapter shows them: code in them as written.
  const sections = processHeadings(nodes, allocator, smart);
  fillContents(nodes, sections);
  const content = sanitized.svg ? dropDanglingSvgReferences(nodes, ids) : nodes;
  if (sanitized.svg && settings.target === 'kindle') inlineSvgToImages(content);
  // The title's content too, which may hold a drawing (a logo).
  if (titleContent && sanitized.svg) {
    titleContent = dropDanglingSvgReferences(titleContent, ids);
    if (settings.target === 'kindle') inlineSvgToImages(titleContent);
  }

  const header = el('header', { class: 'chapter-header' }, [
    el('h1', { id: titleId, class: 'chapter-title' }, titleContent ?? [title]),
    ...byline(meta, lang),
    ...standfirst(meta.description, content),
  ]);

  const shownTitle = titleHeading && meta.title === undefined ? headingText(titleHeading, smart) || smarten(title, '', quotes) : smarten(title, '', quotes);
  // (The title's heading, taken out of the text, stands for the chapter's title: its id is the title's. A
  // heading that is no section, in a quote or a box, is named by its text as the chapter shows it.)
  if (labelPlaces.length && titleHeading) titleHeading.attrs.set('id', titleId);
  let sectionTexts: Map<string, string> | undefined;
  let labels = labelPlaces.length ? placeLabels(labelPlaces, (id) => allocator.claim(id), (h) => (h === titleHeading ? shownTitle : ((sectionTexts ??= new Map(sections.map((s) => [s.id, s.text]))).get(h.attrs.get('id') ?? '') ?? headingText(h, smart)))) : undefined;
  // A figure's or a titled box's `:name:`: a `{ref}` to it shows its caption or title (myst.ts).
  if (markedUp.html.includes(NAMED_PLACE)) {
    const named = namedLabels(content, (e) => headingText(e, smart));
    if (named.size) labels = new Map([...named, ...(labels ?? [])]);
  }
  const links: Reference[] = [];
  const images: Reference[] = [];
  const settle = {
    link(e: XElement): [string, string] | undefined {
      if (!waitsForBook(e, bookNotes !== undefined)) return undefined; // external (kept as written), or a note in the notes document
      links.push(linkReference(e, documentLinkNames));
      return [linkPlaceholder(links.length - 1), linkEndPlaceholder(links.length - 1)];
    },
    image(e: XElement) {
      images.push({ attrs: e.attrs, target: e.attrs.get('src')!, pos: e.pos ?? 0 });
      return imagePlaceholder(images.length - 1);
    },
  };
  const page: XNode[] = [header, '\n', ...content];
  // The document's direction: the front matter's `dir`, else the language's (see chapterDocument).
  markDirections(page, meta.dir ?? (isRightToLeft(lang) ? 'rtl' : 'ltr'));
  // Notes at the end of the book are read in the notes document, in the book's direction: their blocks
  // are marked against that one, not the chapter's.
  if (bookNotes) markDirections([bookNotes], isRightToLeft(bookLang) ? 'rtl' : 'ltr');
  if (settings.target === 'kobo') {
    addKoboSpans(page); // the notes' spans are numbered in the notes document (settle/notes.ts)
  }
  // In the chapter's own text, a link within the chapter (`#part`, footnote references) is settled now:
  // only links to other chapters and images wait for the whole book (a placeholder breaks the chapter's
  // zip entry in two; see epub/entry.ts).
  const xhtml = serialize(page, {
    ...settle,
    lang,
    ...(markedUp.highlighted && { highlighted: markedUp.highlighted }),
    link(e: XElement) {
      const href = e.attrs.get('href')!;
      // A `{ref}` to a label the chapter does not have looks for it in the whole book, and an `{any}` for a document first.
      const classes = e.attrs.get('class')?.split(' ');
      if (!href.startsWith('#') || (classes?.includes(REF_LINK) && (!ids.has(refId(href)) || classes.includes(ANY_LINK)))) return settle.link(e);
      const start = settleLink(linkReference(e, documentLinkNames), { article, ids, titleId, title: shownTitle, sections, ...(labels?.size && { labels }) }, diagnostics);
      return [start, endTag(start)];
    },
  });
  // The notes stay a tree until the notes document is made; their links and images come after the body's.
  const notes = bookNotes ? { tree: bookNotes, firstLink: links.length, firstImage: images.length } : undefined;
  if (bookNotes) notesReferences(bookNotes, links, images, documentLinkNames);

  return {
    article,
    title: shownTitle,
    titleId,
    lang: meta.lang && meta.lang !== bookLang ? meta.lang : undefined,
    ...(meta.dir ? { dir: meta.dir } : {}),
    sections,
    ...(lead?.attrs.get('id') !== undefined && sections.some((s) => s.id === lead!.attrs.get('id')) && { leadSection: lead.attrs.get('id') }),
    ids,
    ...(labels?.size && { labels }),
    body: xhtml,
    ...(notes === undefined ? {} : { notes }),
    links,
    images,
    // What the written chapter holds (a formula in the title, or in notes kept elsewhere, is not in it).
    // Text is escaped, so `<svg` and `<math` can only be elements.
    svg: sanitized.svg && xhtml.includes('<svg'),
    mathml: sanitized.mathml && xhtml.includes('<math'),
    diagnostics,
  };
}

/**
 * GitHub's pair of pictures for its light and dark themes (`![Logo](light.png#gh-light-mode-only)` then
 * `![Logo](dark.png#gh-dark-mode-only)`): GitHub shows one, and the book showed both, side by side. The dark
 * theme's (with a link around it alone) is left out when the light theme's stands beside it, as an
 * e-reader's page is light; alone, it stays.
 */
function leaveOutDarkTheme(nodes: XNode[]): void {
  const themed = (n: XNode, theme: 'light' | 'dark'): boolean =>
    typeof n !== 'string' &&
    (n.tag === 'img' ? THEMED[theme].test(n.attrs.get('src') ?? '') : n.tag === 'a' && n.children.some((c) => themed(c, theme)) && n.children.every((c) => themed(c, theme) || (typeof c === 'string' && !c.trim())));
  const visit = (list: XNode[]): void => {
    if (list.some((n) => themed(n, 'light'))) replaceEach(list, (n) => (themed(n, 'dark') ? [] : undefined));
    for (const n of list) if (typeof n !== 'string') visit(n.children);
  };
  visit(nodes);
}
const THEMED = { light: /#gh-light-mode-only$/i, dark: /#gh-dark-mode-only$/i };

/** Whether text other than images' (a logo's alt text, badges) comes before `heading` among `nodes`. */
function wordsBefore(nodes: readonly XNode[], heading: XElement): boolean {
  const words = (n: XNode): boolean => (typeof n === 'string' ? /\S/.test(n) : !IMAGES.has(n.tag) && n.children.some(words));
  for (const n of nodes) {
    if (n === heading) return false;
    if (words(n)) return true;
  }
  return false;
}
const IMAGES = new Set(['img', 'svg', 'picture', 'figure']);

/** Whether a heading's words hold one of the words of `file`'s name, or its folder's for a README or an index page. */
function namesArticle(heading: string, file: string): boolean {
  // Words of three letters or more, or two of a script without spaces between words (`入门`).
  const words = (s: string) => s.toLowerCase().normalize('NFKD').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 || (w.length === 2 && /[^\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]/u.test(w)));
  const name = isFolderPage(path.basename(file)) ? path.basename(path.dirname(file)) : path.basename(file).replace(/\.[^.]*$/, '');
  const named = new Set(words(name));
  return words(heading).some((w) => named.has(w));
}

/** The section heading at `nodes[from]`, past white space; undefined when anything else comes first. */
function leadingHeading(nodes: readonly XNode[], from: number): XElement | undefined {
  for (let i = from; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (typeof n === 'string') {
      if (n.trim()) return undefined;
      continue;
    }
    return isElement(n) && /^h[1-6]$/.test(n.tag) ? n : undefined;
  }
  return undefined;
}

/** Most headings in one article (a long book has a few thousand). */
export const MAX_HEADINGS = 10_000;
/** Most blocks (paragraphs, headings, list items...) in one article (a long novel has about 15,000 paragraphs). */
export const MAX_BLOCKS = 50_000;

/**
 * Headings (ATX and `===` setext), blank-line-separated blocks, notes' marks and `$` of a Markdown text,
 * counted without parsing it. Past a limit, counted again outside fenced code: a script's 10,001 `# comment`
 * lines or 20,001 `[^a-z]` are one block of code, and such an article was refused as too large.
 */
export function countBlocks(body: string): { headings: number; blocks: number; notes: number; dollars: number } {
  const counted = countAll(body);
  if (counted.headings <= MAX_HEADINGS && counted.blocks <= MAX_BLOCKS && counted.notes <= MAX_NOTE_MARKS && counted.dollars <= MAX_DOLLARS) return counted;
  return body.includes('```') || body.includes('~~~') ? countAll(outsideFences(body)) : counted;
}

function countAll(body: string): { headings: number; blocks: number; notes: number; dollars: number } {
  return { ...headingsAndBlocks(body), notes: count(body, '^[') + count(body, '[^'), dollars: count(body, '$') };
}

function count(text: string, what: string): number {
  let n = 0;
  for (let at = text.indexOf(what); at !== -1; at = text.indexOf(what, at + what.length)) n++;
  return n;
}

/**
 * Most notes' marks (`^[` and `[^`) and `$` in one article. Each note or formula is a few elements that every
 * stage holds (about 10 kB each: 1 MB of inline notes took 1.5 GB and 20 s, as did 1 MB of `$x$`); a long
 * scholarly book has a few thousand notes, a textbook's chapter a few thousand formulas.
 */
export const MAX_NOTE_MARKS = 20_000;
export const MAX_DOLLARS = 100_000;

/**
 * Whether an article is MDX: a `.mdx` file, or a `.md` file that imports a component it uses (Docusaurus
 * reads its `.md` files as MDX): `import Tabs from '@theme/Tabs';` and `<Tabs>`. Its imports and `{/* … *\/}`
 * comments showed as text. So is one that imports from Docusaurus's own modules (`@theme/…`, `@docusaurus/…`,
 * `@site/…`): a hook (`useBaseUrl`) or data, not a component, and its import line showed.
 */
const DOCUSAURUS_IMPORT = /^import\s[^'"\n]*?\sfrom\s*['"]@(?:theme|theme-original|docusaurus|site|generated)\/[^'"\n]*['"];?[ \t]*$/;
function isMdx(article: Article): boolean {
  if (/\.mdx$/i.test(article.name)) return true;
  const body = article.body;
  if (!body.includes('import ')) return false;
  // Lines outside fenced code and `<script>` (a VitePress page's script imports its components too), each
  // looked at once: the imports first, then where a component is used.
  const imported: string[] = [];
  let docusaurus = false;
  const fenced = fencedLines();
  let script = false;
  const lines = body.split('\n');
  const outside = lines.map((line) => {
    if (fenced(line)) return false;
    if (script) {
      if (/<\/script\s*>/i.test(line)) script = false;
      return false;
    }
    if (/^ {0,3}<script\b/i.test(line)) {
      script = !/<\/script\s*>/i.test(line);
      return false;
    }
    const m = /^import\s+([A-Z][\w$]*)\s+from\s+['"][^'"\n]+['"];?[ \t]*$/.exec(line);
    if (m) imported.push(m[1]!);
    else if (DOCUSAURUS_IMPORT.test(line)) docusaurus = true;
    return true;
  });
  if (docusaurus) return true;
  if (!imported.length) return false;
  const used = new RegExp(`<(?:${imported.map((name) => name.replace(/\$/g, '\\$')).join('|')})[\\s/>]`);
  return lines.some((line, i) => outside[i] && used.test(line));
}

/** The article as HTML: Markdown normally; plain text when it is too deep or too odd for the parser. */
function toHtml(article: Article, settings: RenderSettings, diagnostics: Diagnostic[], highlighted?: Map<string, string>): string {
  const fallback = (why: string): string => {
    diagnostics.push({ file: article.file, line: 1, column: 1, severity: 'warning', code: 'article-plain-text', message: `${why}; the article is included as plain text` });
    return plainTextToHtml(article.body);
  };
  // Memory grows with the number of blocks, about 4.6 kB each (100,000 headings took 790 MB): an article
  // with more than a book's worth is refused, before anything is built for it.
  const blocks = countBlocks(article.body);
  if (blocks.headings > MAX_HEADINGS || blocks.blocks > MAX_BLOCKS || blocks.notes > MAX_NOTE_MARKS || blocks.dollars > MAX_DOLLARS) {
    const what =
      blocks.headings > MAX_HEADINGS
        ? `${blocks.headings} headings (more than ${MAX_HEADINGS})`
        : blocks.blocks > MAX_BLOCKS
          ? `${blocks.blocks} paragraphs and other blocks (more than ${MAX_BLOCKS})`
          : blocks.notes > MAX_NOTE_MARKS
            ? `${blocks.notes} notes' marks, \`^[\` or \`[^\` (more than ${MAX_NOTE_MARKS})`
            : `${blocks.dollars} \`$\` signs (more than ${MAX_DOLLARS})`;
    diagnostics.push({ file: article.file, severity: 'error', code: 'article-too-large', message: `${what} in one article: split it into several articles` });
    return '';
  }
  const depth = nestingDepth(article.body);
  if (depth > MAX_NESTING) return fallback(`lists or quotes nested ${depth} levels deep (more than ${MAX_NESTING}) cannot be read as Markdown`);
  try {
    const { html, problems } = markdownToHtml(article.body, { math: settings.math, highlight: settings.highlight, ...(highlighted && { highlighted }), ...(article.includes && { includes: article.includes }), ...(isMdx(article) && { mdx: true }), ...(article.vault && { vault: article.vault }), ...article.site, ...(article.site?.jekyll && { page: pageValues(article.meta) }) });
    for (const p of problems) diagnostics.push({ file: article.file, ...placeIn(article, p.pos), severity: 'warning', code: p.code, message: p.message });
    return html;
  } catch (e) {
    if (e instanceof RangeError) return fallback('the Markdown is too deeply nested or too long in one line to be read');
    // A fault of the Markdown parser or one of its extensions on odd input: the text is kept, and said so.
    return fallback(`the Markdown parser failed on this article (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The front matter's `description` (the summary `quire add` saves from a page, a post's excerpt) under the
 * byline: it was read and shown nowhere. Left out when the article opens with it already, as a page's
 * summary is often its first paragraph.
 */
function standfirst(description: string | undefined, content: readonly XNode[]): XNode[] {
  const wanted = description && comparable(description);
  if (!wanted) return [];
  let opening = '';
  for (const n of content) {
    opening += ` ${textOf(n)}`;
    if (opening.length > wanted.length * 2 + 200) break;
  }
  return comparable(opening).includes(wanted) ? [] : [el('p', { class: 'description' }, [description.trim()])];
}

/** Text compared for sameness: letters and digits only, lower case. */
function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function byline(meta: Article['meta'], lang: string): XNode[] {
  const parts: XNode[][] = [];
  if (meta.authors.length) parts.push([el('span', { class: 'author' }, [joinNames(meta.authors, lang)])]);
  if (meta.date) {
    const date = readableDate(meta.date, lang);
    parts.push([el('time', date ? { datetime: date.datetime } : {}, [date?.text ?? meta.date])]);
  }
  const web = (s: string | undefined) => (s && /^https?:\/\/\S+$/i.test(s) && hasValidHost(s) ? toValidUri(s) : undefined);
  const url = web(meta.url);
  const sourceUrl = web(meta.source);
  if (meta.source) {
    const href = sourceUrl ?? url;
    const label = sourceUrl ? hostOf(sourceUrl) : meta.source;
    parts.push([href ? el('a', { href, class: 'source' }, [label]) : el('span', { class: 'source' }, [label])]);
  } else if (url) {
    parts.push([el('a', { href: url, class: 'source' }, [hostOf(url)])]);
  }
  if (parts.length === 0) return [];
  const children: XNode[] = [];
  parts.forEach((p, i) => {
    if (i > 0) children.push(' \u00b7 ');
    children.push(...p);
  });
  return [el('p', { class: 'byline' }, children)];
}

/**
 * A front-matter date as the chapter's language writes it ("15 January 2023", "15 janvier 2023", "January
 * 2023"), with its machine-readable form; undefined when it does not start with YYYY, YYYY-MM or YYYY-MM-DD.
 * The time of a timestamp is left out; the date is read as written (UTC), so the book is the same anywhere.
 */
export function readableDate(date: string, lang: string): { text: string; datetime: string } | undefined {
  const m = /^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?=$|[T ])/.exec(date);
  if (!m) return undefined;
  const [datetime, y, mo, d] = m as unknown as [string, string, string | undefined, string | undefined];
  if (mo === undefined) return { text: y, datetime };
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d ?? 1)));
  if (at.getUTCMonth() !== Number(mo) - 1 || at.getUTCDate() !== Number(d ?? 1)) return undefined;
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', timeZone: 'UTC', ...(d === undefined ? {} : { day: 'numeric' }) };
  // A bare `en` is written day first ("15 January 2023"), which no English reader misreads; `en-US` keeps
  // its month first.
  const locale = lang.toLowerCase() === 'en' ? 'en-GB' : lang;
  try {
    return { text: new Intl.DateTimeFormat(locale, options).format(at), datetime };
  } catch {
    return { text: new Intl.DateTimeFormat('en', options).format(at), datetime };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return url;
  }
}

function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}
