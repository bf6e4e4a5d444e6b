// Render stage, sanitising: attribute checks. The global attributes (ids, classes, language, roles, style),
// each kept element's own attributes with the values EPUB 3 accepts, and the URLs and inline CSS that are
// safe to keep (no scripting schemes; the CSS rules live in css.ts).
import { hasValidHost, toValidUri } from './uri.js';
import { ROLES } from './sanitize-policy.js';
import { cleanStyleAttribute } from '../css.js';

/**
 * Schemes a link may keep: the web's, and the other registered schemes EPUBCheck accepts in a link (any
 * other, even `geo:` or `sms:`, is a warning there). A DOI is a link to its resolver; an address of another
 * scheme that names something rather than runs anything (a magnet link, a repository to clone) is shown as
 * text after the link's (sanitize-walk.ts).
 */
const SAFE_SCHEMES = /^(https?|mailto|ftp|tel|news|nntp|irc|xmpp|rtsp|sip|sips|urn|gopher|telnet):/i;

/** Whether a link of this scheme is kept (when its address is one EPUBCheck reads). */
export function isKeptScheme(scheme: string): boolean {
  return SAFE_SCHEMES.test(`${scheme}:`);
}

export function globalAttr(name: string, value: string, attrs: Map<string, string>): boolean {
  switch (name) {
    case 'id': {
      // Ids are link targets: keep them free of what a URI fragment cannot hold.
      const id = value.trim().replace(/[\s#%"<>\\^`{|}[\]]+/g, '-');
      if (id) attrs.set('id', id);
      return true;
    }
    case 'class': {
      const classes = keptClasses(value);
      if (classes) attrs.set('class', classes);
      return true;
    }
    case 'title':
      attrs.set('title', value);
      return true;
    case 'lang':
    case 'xml:lang':
      if (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(value.trim())) attrs.set('lang', value.trim());
      return true;
    case 'dir': {
      const dir = value.trim().toLowerCase();
      if (dir === 'ltr' || dir === 'rtl' || dir === 'auto') attrs.set('dir', dir);
      return true;
    }
    case 'style': {
      // An HTML element is shown whatever its style says, as with its `hidden` attribute (dropped).
      const css = cleanStyleAttribute(value, true);
      if (css) attrs.set('style', css);
      return true;
    }
    case 'epub:type': {
      const types = value.split(/\s+/).filter((t) => /^[a-z][a-z-]*(:[a-z][a-z-]*)?$/.test(t));
      if (types.length) attrs.set('epub:type', types.join(' '));
      return true;
    }
    case 'role':
      if (ROLES.has(value.trim())) attrs.set('role', value.trim());
      return true;
    case 'aria-label':
      if (value.trim()) attrs.set('aria-label', value);
      return true;
    case 'aria-hidden':
      if (value === 'true' || value === 'false') attrs.set('aria-hidden', value);
      return true;
    default:
      return false;
  }
}

export function elementAttr(tag: string, name: string, value: string): string | undefined {
  const v = value.trim();
  switch (name) {
    case 'href': {
      // A protocol-relative address (`//en.wikipedia.org/wiki/X`, all over pasted Wikipedia HTML) is a web
      // address; read as a path, it was a link to a file not in the book.
      const doi = /^doi:\s*(10\.\S+)$/i.exec(v);
      const url = sanitizeUrl(/^\/\/[^/\\]/.test(v) ? `https:${v}` : doi ? `https://doi.org/${doi[1]}` : v);
      // External links are kept as written but must be valid URIs; local ones are settled later.
      if (url === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
      // A scheme with nothing after it (`mailto:`, `tel:#`) is no URI to EPUBCheck (RSC-020).
      if (/^[a-z][a-z0-9+.-]*:\s*(?:#|$)/i.test(url)) return undefined;
      return hasValidHost(url) ? toValidUri(url) : undefined;
    }
    case 'src':
      return sanitizeUrl(v, true);
    case 'alt':
      return value;
    case 'width':
    case 'height':
    case 'span':
    case 'colspan':
    case 'rowspan':
      return /^[1-9]\d{0,4}$/.test(v) ? v : undefined;
    case 'start':
    case 'value':
      return /^-?\d{1,9}$/.test(v) ? v : undefined;
    case 'reversed':
    case 'open':
    case 'checked':
    case 'disabled':
      return name;
    case 'type':
      if (tag === 'input') return 'checkbox';
      return /^[1aAiI]$/.test(v) ? v : undefined;
    case 'scope':
      return ['row', 'col', 'rowgroup', 'colgroup'].includes(v) ? v : undefined;
    case 'datetime':
      return /^[\d:T.+\-Z ]+$/.test(v) ? v : undefined;
    default:
      return v;
  }
}

/** A URL that is safe to keep, or undefined. Scripting schemes are refused; `data:` only for images. */
/** A URL's scheme in lower case, as a browser reads it, or undefined for a relative URL. */
export function schemeOf(raw: string): string | undefined {
  // Browsers ignore control characters and spaces inside a scheme: `java\tscript:` is still javascript.
  // eslint-disable-next-line no-control-regex
  return /^([a-z][a-z0-9+.-]*):/i.exec(raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''))?.[1]!.toLowerCase();
}

export function sanitizeUrl(raw: string, image = false): string | undefined {
  // eslint-disable-next-line no-control-regex
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!compact) return undefined;
  if (schemeOf(raw) === undefined) return raw.trim();
  if (SAFE_SCHEMES.test(compact)) return raw.trim();
  if (image && /^(data|file):/i.test(compact)) return raw.trim();
  if (!image && /^file:/i.test(compact)) return raw.trim(); // resolved (and refused) like any local link later
  return undefined;
}

/** Keep plain CSS declarations; drop anything that loads a resource or runs code (the rules: css.ts). */
export function sanitizeStyle(css: string): string {
  return cleanStyleAttribute(css);
}

/** The classes of a `class` attribute that are kept (names CSS can select without escaping), or '' for none. */
export function keptClasses(value: string): string {
  return value
    .split(/\s+/)
    .filter((c) => /^[A-Za-z_][\w-]*$/.test(c))
    .join(' ');
}
