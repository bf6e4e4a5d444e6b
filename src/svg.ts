// Drawing stage, before the rasteriser: an untrusted SVG made safe to draw. The SVG is parsed strictly
// (saxes), every reference to another resource is settled here (only `data:` URLs and, when the caller
// can read them, files it allows are kept, inlined as `data:` URLs), entities declared in a DOCTYPE are
// kept only when they are plain text (no entity made of entities), and the work its filters would take
// is estimated so that the caller can draw it without them. The rasteriser is given only the result.
import { SaxesParser, type SaxesTagNS } from 'saxes';

type Token =
  | { kind: 'open'; name: string; attrs: [string, string][]; selfClosing: boolean }
  | { kind: 'close'; name: string }
  | { kind: 'text'; text: string };

export interface SvgDocument {
  tokens: Token[];
}

/** A reference an SVG makes to something outside itself: where, and what it names. */
export interface SvgReference {
  token: number;
  attr: number;
  href: string;
}

/** Largest entity replacement text kept from a DOCTYPE. */
const MAX_ENTITY_TEXT = 4096;

/** Parse an SVG document; throws with a reason when it is not well-formed XML. */
export function parseSvg(text: string): SvgDocument {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const tokens: Token[] = [];
  let error: Error | undefined;
  parser.on('doctype', (doctype) => {
    // Only entities whose text is plain (no `&`, `<` or `%`: no entity built of entities, no external
    // entity) are expanded; drawing programs declare namespace names this way.
    for (const m of doctype.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"&<%]*)"|'([^'&<%]*)')\s*>/g)) {
      const value = m[2] ?? m[3] ?? '';
      if (value.length <= MAX_ENTITY_TEXT) parser.ENTITIES[m[1]!] = value;
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    tokens.push({ kind: 'open', name: tag.name, attrs: Object.values(tag.attributes).map((a) => [a.name, a.value]), selfClosing: tag.isSelfClosing });
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) tokens.push({ kind: 'close', name: tag.name });
  });
  parser.on('text', (text) => tokens.push({ kind: 'text', text }));
  parser.on('cdata', (text) => tokens.push({ kind: 'text', text }));
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.write(text).close();
  if (error) throw new Error(`not well-formed XML: ${error.message.replace(/^\d+:\d+: /, '')}`);
  return { tokens };
}

/** Every attribute that names another resource: `href` and `xlink:href` on any element, except `#id`. */
export function svgReferences(doc: SvgDocument): SvgReference[] {
  const found: SvgReference[] = [];
  doc.tokens.forEach((t, token) => {
    if (t.kind !== 'open') return;
    t.attrs.forEach(([name, value], attr) => {
      if (isHref(name) && !value.trim().startsWith('#')) found.push({ token, attr, href: value.trim() });
    });
  });
  return found;
}

/** An attribute whose local name is `href`, whatever its prefix (the rasteriser may take any as XLink's). */
function isHref(name: string): boolean {
  return name === 'href' || name.endsWith(':href');
}

/** Set (or, with undefined, remove) the attribute a reference stands in. */
export function replaceReference(doc: SvgDocument, ref: SvgReference, value: string | undefined): void {
  const t = doc.tokens[ref.token] as Extract<Token, { kind: 'open' }>;
  if (value === undefined) t.attrs[ref.attr] = ['data-quire-removed', ''];
  else t.attrs[ref.attr]![1] = value;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;').replace(/\r/g, '&#13;');
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The document as XML again: no DOCTYPE, no comments, no processing instructions. */
export function serializeSvg(doc: SvgDocument): string {
  let out = '';
  for (const t of doc.tokens) {
    if (t.kind === 'text') out += escapeText(t.text);
    else if (t.kind === 'close') out += `</${t.name}>`;
    else {
      out += `<${t.name}`;
      for (const [name, value] of t.attrs) if (name !== 'data-quire-removed') out += ` ${name}="${escapeAttr(value)}"`;
      out += t.selfClosing ? '/>' : '>';
    }
  }
  return out;
}

/** How many pixels of filter work drawing the SVG would take, at `scale` output pixels per user unit. */
export function filterWork(doc: SvgDocument, canvas: { width: number; height: number }, scale: number): number {
  // The cost of each filter: its primitives, times the pixels of its region (objectBoundingBox units are
  // taken on the whole canvas: the most an element usually covers).
  const filters = new Map<string, number>();
  let current: { id: string; weight: number; area: number } | undefined;
  let depth = 0;
  const canvasArea = canvas.width * canvas.height * scale * scale;
  const fraction = (v: string | undefined, whole: number, dflt: number) => {
    if (v === undefined) return dflt;
    const n = parseFloat(v);
    if (!Number.isFinite(n)) return dflt;
    return v.trim().endsWith('%') ? n / 100 : whole ? n / whole : n;
  };
  for (const t of doc.tokens) {
    if (t.kind === 'open') {
      const attrs = new Map(t.attrs);
      const local = t.name.replace(/^.*:/, '');
      if (local === 'filter' && !current) {
        const user = attrs.get('filterUnits') === 'userSpaceOnUse';
        const w = Math.abs(fraction(attrs.get('width'), user ? canvas.width : 0, 1.2));
        const h = Math.abs(fraction(attrs.get('height'), user ? canvas.height : 0, 1.2));
        current = { id: attrs.get('id') ?? '', weight: 0, area: Math.max(w * h, 0.01) * canvasArea };
        depth = 0;
      } else if (current) {
        depth++;
        if (/^fe/.test(local)) current.weight += local === 'feTurbulence' ? Math.min(Math.max(Number(attrs.get('numOctaves') ?? 1) || 1, 1), 10) : 1;
      }
      if (t.selfClosing && current && local === 'filter') {
        filters.set(current.id, current.weight * current.area);
        current = undefined;
      } else if (t.selfClosing && current) depth--;
    } else if (t.kind === 'close' && current) {
      if (depth === 0) {
        filters.set(current.id, current.weight * current.area);
        current = undefined;
      } else depth--;
    }
  }
  if (filters.size === 0) return 0;
  const costOf = (text: string) => {
    let sum = 0;
    for (const m of text.matchAll(/url\(\s*['"]?#([^)'"\s]+)/g)) sum += filters.get(m[1]!) ?? 0;
    return sum;
  };
  let work = 0;
  let elements = 0;
  let sheet = 0;
  let inStyle = false;
  for (const t of doc.tokens) {
    if (t.kind === 'open') {
      elements++;
      inStyle = t.name.replace(/^.*:/, '') === 'style' && !t.selfClosing;
      for (const [name, value] of t.attrs) if (name === 'filter' || name === 'style') work += costOf(value);
    } else if (t.kind === 'close') inStyle = false;
    else if (inStyle && /filter/i.test(t.text)) sheet = Math.max(sheet, costOf(t.text));
  }
  // A style sheet may give a filter to any element.
  return work + sheet * elements;
}

/** The same SVG with no filter applied to anything. */
export function withoutFilters(doc: SvgDocument): void {
  let inStyle = false;
  for (const t of doc.tokens) {
    if (t.kind === 'open') {
      inStyle = t.name.replace(/^.*:/, '') === 'style' && !t.selfClosing;
      t.attrs = t.attrs.filter(([name]) => name !== 'filter').map(([name, value]) => [name, name === 'style' ? value.replace(/filter\s*:[^;]*;?/gi, '') : value]);
    } else if (t.kind === 'close') inStyle = false;
    else if (inStyle) t.text = t.text.replace(/filter\s*:[^;}]*;?/gi, '');
  }
}
