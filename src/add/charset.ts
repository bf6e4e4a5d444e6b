// Adding, decoding stage: the bytes of a page or a feed -> its text, by the byte-order mark, else the
// charset it declares, else UTF-8 when the bytes are mostly UTF-8 and windows-1252 when not (as a browser
// reads an old page that declares nothing).
//
// windows-1252 is decoded here, not by TextDecoder: Node 20 (since 20.18.3, and 22.13) decodes it, and
// the labels WHATWG maps to it (iso-8859-1, latin1, us-ascii...), as ISO 8859-1, so that a page's curly
// quotes, dashes, ellipses, € and ™ (bytes 0x80-0x9F) became invisible control characters, which the build
// then removes.

/** What bytes 0x80-0x9F stand for in windows-1252 (WHATWG's index; the five it leaves free map to themselves). */
const HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\x80-\x9f]/.test(latin1) ? latin1.replace(/[\x80-\x9f]/g, (c) => HIGH[c.charCodeAt(0) - 0x80]!) : latin1;
}

/** The charset a Content-Type header names (`text/html; charset="windows-1252"`), or undefined. */
export function headerCharset(contentType: string | undefined): string | undefined {
  return /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
}

/**
 * Decode by a byte-order mark (which wins, as in a browser), else by `label` (a charset's name, as
 * declared), else as UTF-8 when the bytes read as UTF-8 more than they do not (a stray invalid byte is one
 * U+FFFD, not the whole text read otherwise) and as windows-1252 when not; an XML document (`xml`, a feed) that
 * declares nothing is UTF-8, as XML has it. An unknown label counts as none.
 */
export function decodeBytes(bytes: Uint8Array, label: string | undefined, xml = false): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  let decoder: TextDecoder | undefined;
  try {
    if (label) decoder = new TextDecoder(label);
  } catch {
    // Not a charset TextDecoder knows: read the bytes as if nothing were declared.
  }
  // A page served as UTF-16 without a byte-order mark declares it wrongly more often than not: browsers
  // take it as UTF-8 too.
  if (decoder && !decoder.encoding.startsWith('utf-16')) return decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
  const text = new TextDecoder('utf-8').decode(bytes);
  if (xml || !text.includes('\ufffd')) return text;
  // More characters read as UTF-8 than bytes that are not: UTF-8 with stray bytes. A windows-1252 text
  // makes a valid pair now and then (`É` and a no-break space), never more than it makes invalid bytes.
  let valid = 0;
  let invalid = 0;
  for (const c of text) {
    if (c === '\ufffd') invalid++;
    else if (c.charCodeAt(0) > 0x7f) valid++;
  }
  return valid > invalid ? text : decodeWindows1252(bytes);
}
