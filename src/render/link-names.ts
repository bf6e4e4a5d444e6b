// Link names: a link whose only content is an image without a description (a README's badges:
// `[![](badge.svg)](https://ci.example/...)`) has no name for a screen reader, and nothing at all to show
// when the image cannot be loaded. Its image is described by where the link leads, as WCAG asks of an
// image that is a link's only content; a failed image then leaves that text (see assets.ts).
import { textOf, walk, type XElement } from './tree.js';

/** Describe the images that are the whole content of a link and have no description of their own. */
export function nameImageLinks(nodes: XElement['children']): void {
  walk(nodes, (e) => {
    if (e.ns !== 'html' || e.tag !== 'a' || !e.attrs.has('href')) return;
    if (textOf(e).trim()) return false;
    const images: XElement[] = [];
    let drawing = false;
    walk(e.children, (c) => {
      if (c.ns === 'html' && c.tag === 'img') images.push(c);
      else if (c.ns !== 'html') drawing = true;
    });
    const first = images[0];
    if (first && !drawing) first.attrs.set('alt', linkName(e.attrs.get('href')!, first.attrs.get('src') ?? ''));
    return false;
  });
}

/** What a link is called when nothing in it says: the web address it leads to, else the image's file name. */
function linkName(href: string, src: string): string {
  if (/^(https?|ftp):\/\//i.test(href)) return href;
  if (/^mailto:/i.test(href)) return href.slice('mailto:'.length);
  const file = src.replace(/[?#].*$/, '').split('/').filter(Boolean).pop();
  return file ? safeDecode(file) : href;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
