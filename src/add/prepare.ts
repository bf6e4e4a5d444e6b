// Extraction, before Readability: puts the page's content in the plain form Readability and turndown keep,
// removing nothing that could hold the article. Lazy, `srcset` and `<picture>` images get their best
// candidate as `src`; images given only in `<noscript>` come out of it; MathJax and KaTeX renderings give
// way to the MathML (or TeX) they were made from; footnote asides, which Readability drops as page
// furniture, become plain blocks; comments go.
import type { parseHTML } from 'linkedom';
import { bestOffered, isPlaceholder, LAZY_ATTRIBUTES, LAZY_SRCSET } from '../image-candidates.js';

export type Doc = ReturnType<typeof parseHTML>['document'];
type El = ReturnType<Doc['createElement']>;

export function prepareDocument(document: Doc, base: string): void {
  removeComments(document);
  unwrapNoscriptImages(document, base);
  chooseImageSources(document, base);
  mathFromRenderings(document);
  keepFootnoteAsides(document);
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
 * `<noscript><img></noscript>` beside a placeholder image (lazy loading without script): the noscript image
 * replaces the placeholder, and a blurred preview of it before the placeholder goes; alone, it is taken out
 * of the noscript; beside a real image it is a duplicate.
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
    const previousImage = previous && (previous.tagName === 'IMG' ? previous : previous.querySelector('img'));
    if (previousImage && inner.length === 1) {
      if (isPlaceholder(bestSource(previousImage, base))) {
        // Medium draws a blurred copy (60 px wide, `?q=20`) before the placeholder, the same size as the
        // picture: it was saved too, a second, blurry picture before each one.
        const preview = previous.previousElementSibling as El | null;
        const previewImages = preview ? (preview.tagName === 'IMG' ? [preview] : [...preview.querySelectorAll('img')]) : [];
        if (preview && previewImages.length === 1 && sameSize(previewImages[0]!, inner[0]!)) preview.remove();
        previousImage.replaceWith(inner[0]!);
      }
      noscript.remove();
      continue;
    }
    noscript.replaceWith(...inner);
  }
}

/** Whether two images are given the same width and height (both given). */
function sameSize(a: El, b: El): boolean {
  const [w, h] = [a.getAttribute('width')?.trim(), a.getAttribute('height')?.trim()];
  return !!w && !!h && w === b.getAttribute('width')?.trim() && h === b.getAttribute('height')?.trim();
}

/** The address of the best image an `<img>` offers (lazy attributes, srcset, its <picture>), or its src. */
function bestSource(img: El, base: string): string | undefined {
  const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : undefined;
  const sources = picture ? [...picture.querySelectorAll('source')].map((source) => (name: string) => source.getAttribute(name)) : [];
  const chosen = bestOffered((name) => img.getAttribute(name), sources);
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

function chooseImageSources(document: Doc, base: string): void {
  for (const img of [...document.querySelectorAll('img')]) {
    const best = bestSource(img, base);
    if (!best) {
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
}
