// Decoding: bytes of an input file -> text with LF line endings, or a diagnostic.
// UTF-8 is the only encoding taken silently; UTF-16 is decoded only when a byte-order mark says so.
import type { Diagnostic } from '../diagnostics.js';
import { forbiddenIn, stripForbidden } from '../xml.js';

export type Decoded = { text: string; diagnostics: Diagnostic[] } | { text: undefined; diagnostics: Diagnostic[] };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a file's bytes; `file` is only used to name it in diagnostics. */
export function decodeText(bytes: Uint8Array, file: string): Decoded {
  const diagnostics: Diagnostic[] = [];
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    const decoded = decodeUtf8(body);
    if (decoded === undefined) return invalid(bytes, firstInvalidUtf8(body) + 3, file);
    text = decoded;
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
    } catch {
      return {
        text: undefined,
        diagnostics: [{ file, severity: 'error', code: 'encoding-invalid', message: `starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}` }],
      };
    }
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'warning',
      code: 'encoding-utf16',
      message: `decoded as ${encoding.toUpperCase()} (byte-order mark); save it as UTF-8 to silence this`,
    });
  } else {
    const decoded = decodeUtf8(bytes);
    if (decoded === undefined) return invalid(bytes, firstInvalidUtf8(bytes), file);
    text = decoded;
  }
  const lines = normalizeNewlines(text);
  const forbidden = forbiddenIn(lines);
  if (forbidden) diagnostics.push(controlsRemoved(lines, forbidden, file));
  return { text: forbidden ? stripForbidden(lines) : lines, diagnostics };
}

/**
 * Characters XML cannot hold (control characters but tab and line feed, U+FFFE, U+FFFF) are taken out of the
 * text: said once for the file, at the first, with the count. A C1 control (U+0080-U+009F) usually means a
 * windows-1252 file was read as Latin-1 by the tool that saved it as UTF-8: its curly quotes and dashes are lost.
 */
function controlsRemoved(text: string, found: { count: number; first: number }, file: string): Diagnostic {
  const before = text.slice(0, found.first);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  const code = text.codePointAt(found.first)!;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const c1 = code >= 0x80 && code <= 0x9f ? ' (a control character where windows-1252 has a curly quote, a dash or another sign: the file was probably converted from windows-1252 as if it were Latin-1)' : '';
  const more = found.count > 1 ? ` and ${found.count - 1} more like it` : '';
  return { file, line, column, severity: 'warning', code: 'text-control-removed', message: `${name}${more} removed: an e-book (XML) cannot hold control characters${c1}` };
}

/**
 * Text as quire works on it: CRLF and lone CR become LF (so line numbers agree with editors), and characters
 * that XML forbids (control characters, noncharacters) are dropped once, here, so no stage ever sees them.
 */
export function cleanText(text: string): string {
  return stripForbidden(normalizeNewlines(text));
}

/** CRLF and lone CR become LF, so that line numbers agree with what editors show. */
export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function invalid(bytes: Uint8Array, offset: number, file: string): Decoded {
  // Count lines and columns in the valid prefix so the message points at the first bad byte.
  let line = 1;
  let column = 1;
  const prefix = utf8.decode(bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, offset));
  for (const ch of prefix) {
    if (ch === '\n') {
      line++;
      column = 1;
    } else if (ch !== '\r') column++;
  }
  const hex = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
  return {
    text: undefined,
    diagnostics: [
      {
        file,
        line,
        column,
        severity: 'error',
        code: 'encoding-invalid',
        message: `not valid UTF-8 (byte 0x${hex}); quire reads UTF-8 only: convert the file, e.g. \`iconv -f LATIN1 -t UTF-8\``,
      },
    ],
  };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
