// Kindle-safe content: Send-to-Kindle's conversion draws inline SVG poorly or not at all, so for a Kindle
// book each drawing becomes an image (an SVG data: URL that the asset stage turns into a PNG like any other
// SVG image), described by the drawing's title or label.
import { serialize } from './serialize.js';
import { el, isElement, textOf, type XNode } from './tree.js';

export function inlineSvgToImages(nodes: XNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!isElement(n)) continue;
    if (n.ns === 'svg' && n.tag === 'svg') {
      const title = n.children.find((c) => isElement(c) && c.tag === 'title');
      const alt = (n.attrs.get('aria-label') ?? (title ? textOf(title) : '')).replace(/\s+/g, ' ').trim();
      const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${serialize([n], {}, false)}`;
      nodes[i] = el('img', { src: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`, alt, class: 'drawing' });
    } else if (n.ns === 'html') inlineSvgToImages(n.children);
  }
}
