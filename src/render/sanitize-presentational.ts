// Render stage, sanitising: presentational HTML attributes (align, valign, width, bgcolor, font's face and
// size, nowrap, a list's type, a table's border) turned into CSS declarations or a class, since EPUB 3's
// XHTML does not allow them.

const FONT_SIZES = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', 'xx-large'];

/** Presentational HTML attributes, turned into CSS declarations. Returns true when the attribute was consumed. */
export function presentational(tag: string, name: string, value: string, style: string[], attrs: Map<string, string>): boolean {
  const v = value.trim().toLowerCase();
  switch (name) {
    case 'align':
      if (tag === 'img') {
        if (v === 'left' || v === 'right') style.push(`float: ${v}`);
        else if (v === 'middle' || v === 'top' || v === 'bottom') style.push(`vertical-align: ${v}`);
      } else if (tag === 'table') {
        if (v === 'center') style.push('margin-left: auto; margin-right: auto');
        else if (v === 'left' || v === 'right') style.push(`float: ${v}`);
      } else if (['left', 'right', 'center', 'justify'].includes(v)) style.push(`text-align: ${v}`);
      return true;
    case 'valign':
      if (['top', 'middle', 'bottom', 'baseline'].includes(v)) style.push(`vertical-align: ${v}`);
      return true;
    case 'width':
    case 'height':
      if (tag === 'img' && /^\d+$/.test(v)) return false; // a valid attribute on img: keep it
      if (/^\d+(\.\d+)?(px|%)?$/.test(v)) style.push(`${name}: ${/\d$/.test(v) ? `${v}px` : v}`);
      return true;
    case 'bgcolor':
      if (/^#?[0-9a-z]+$/.test(v)) style.push(`background-color: ${v}`);
      return true;
    case 'color':
      if (tag === 'font' && /^#?[0-9a-z]+$/.test(v)) style.push(`color: ${v}`);
      return tag === 'font';
    case 'face':
      if (tag === 'font' && /^[\w ,'"-]+$/.test(value)) style.push(`font-family: ${value.replace(/"/g, "'")}`);
      return tag === 'font';
    case 'size':
      if (tag === 'font') {
        const n = /^[+-]?\d$/.test(v) ? (v.startsWith('+') || v.startsWith('-') ? 3 + Number(v) : Number(v)) : NaN;
        if (n >= 1 && n <= 7) style.push(`font-size: ${FONT_SIZES[n - 1]}`);
        return true;
      }
      return false;
    case 'nowrap':
      if (tag === 'td' || tag === 'th') style.push('white-space: nowrap');
      return true;
    case 'type':
      if (tag === 'ul' && ['disc', 'circle', 'square'].includes(v)) style.push(`list-style-type: ${v}`);
      return tag === 'ul';
    case 'border':
      if (tag === 'table' && v !== '0') attrs.set('class', [attrs.get('class'), 'bordered'].filter(Boolean).join(' '));
      return true;
    default:
      return false;
  }
}
