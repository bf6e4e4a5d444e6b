// quire check: reading XML strictly (namespaces, no DTD entities), and walking what was read.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { Found } from './book.js';

export interface Parsed {
  ok: boolean;
  root?: XmlNode;
}

export interface XmlNode {
  name: string;
  local: string;
  uri: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  line: number;
  column: number;
}

/** Parse XML strictly (namespaces, no DTD entities), reporting a problem as a finding. */
export function parseXml(bytes: Buffer | undefined, entry: string, add: (f: Found) => void): Parsed {
  if (!bytes) return { ok: false };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let failed = false;
  parser.on('doctype', (doctype) => {
    // An internal subset is where entities (billion laughs, external entities) are declared.
    if (doctype.includes('[')) {
      failed = true;
      // Entity declarations are found (and reported) as the entry is read; an internal subset without one
      // (only ATTLIST or ELEMENT declarations) is still refused here.
      if (!/<!ENTITY/.test(doctype)) add({ severity: 'error', code: 'check-xml-entities', message: 'the document declares entities (entity expansion and external entities are not allowed)', entry, line: parser.line });
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const node: XmlNode = { name: tag.name, local: tag.local, uri: tag.uri, attrs: {}, children: [], text: '', line: parser.line, column: parser.column };
    for (const a of Object.values(tag.attributes)) node.attrs[a.prefix && a.prefix !== 'xmlns' ? `${a.prefix}:${a.local}` : a.local] = a.value;
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (e) => {
    if (!failed) add({ severity: 'error', code: 'check-xml', message: `not well-formed XML: ${e.message.replace(/^\d+:\d+: /, '')}`, entry, line: parser.line, column: parser.column });
    failed = true;
  });
  try {
    parser.write(bytes.toString('utf8').replace(/^\ufeff/, '')).close();
  } catch {
    failed = true;
  }
  return failed ? { ok: false } : { ok: true, root };
}

export function walk(n: XmlNode, visit: (n: XmlNode) => void): void {
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    visit(x);
    for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]!);
  }
}

export function all(n: XmlNode, test: (n: XmlNode) => boolean): XmlNode[] {
  const out: XmlNode[] = [];
  walk(n, (x) => {
    if (test(x)) out.push(x);
  });
  return out;
}

/** All the text in an element, its descendants' included. */
export function textOfNode(n: XmlNode | undefined): string {
  let s = '';
  if (n) walk(n, (x) => (s += x.text));
  return s;
}

export function find(n: XmlNode, test: (n: XmlNode) => boolean): XmlNode | undefined {
  return all(n, test)[0];
}
