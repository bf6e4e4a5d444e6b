// Serve, terminal side: the catalog's URL as a QR code a phone can scan. The one file that knows uqr.
import { renderUnicodeCompact } from 'uqr';

/** The QR code as lines of half-block characters (two modules a character, dark on a light border). */
export function qrLines(text: string): string {
  return renderUnicodeCompact(text, { border: 2 });
}
