// Render stage, sanitising: content models on the cleaned tree. Children a list or definition list may not
// hold are wrapped, a `dl` that is not term/description groups becomes `div`s, `<details>` is unfolded, and
// a formatting element left open around blocks is pushed down into them.
import { el, textOf, type XElement, type XNode } from './tree.js';
import { NO_FORMATTING_INSIDE, PHRASING } from './sanitize-policy.js';

/** Wrap every run of phrasing content in `nodes` (descending into blocks) in a copy of `format`. */
export function pushDown(format: XElement, nodes: XNode[]): XNode[] {
  const out: XNode[] = [];
  let run: XNode[] = [];
  const flush = () => {
    if (run.some((n) => typeof n !== 'string' || n.trim())) out.push({ ...format, attrs: new Map(format.attrs), children: run });
    else for (const n of run) out.push(n);
    run = [];
  };
  for (const n of nodes) {
    if (typeof n === 'string' || n.ns !== 'html' || PHRASING.has(n.tag)) {
      run.push(n);
      continue;
    }
    flush();
    if (!NO_FORMATTING_INSIDE.has(n.tag)) n.children = pushDown(format, n.children);
    else if (n.tag === 'ul' || n.tag === 'ol') for (const li of n.children) if (typeof li !== 'string') li.children = pushDown(format, li.children);
    out.push(n);
  }
  flush();
  return out;
}

/** Children that a parent may not hold directly are wrapped (text in a list becomes a list item, and so on). */
export function fixContentModel(nodes: XNode[], parentTag: string): XNode[] {
  const wrapper = parentTag === 'ul' || parentTag === 'ol' ? 'li' : parentTag === 'dl' ? 'dd' : undefined;
  if (!wrapper) return nodes;
  const ok = wrapper === 'li' ? (t: string) => t === 'li' : (t: string) => t === 'dt' || t === 'dd';
  const out: XNode[] = [];
  for (const n of nodes) {
    if (typeof n === 'string') {
      if (n.trim()) out.push(el(wrapper, {}, [n]));
      else out.push(n);
    } else if (n.ns === 'html' && ok(n.tag)) out.push(n);
    else if (!textOf(n).trim() && !hasEmbedded(n)) {
      for (const c of n.children) if (typeof c === 'string') out.push(c);
    } else out.push(el(wrapper, {}, [n]));
  }
  return out;
}

/** A `dl` must be groups of terms each followed by descriptions; one that is not becomes plain `div`s. */
export function checkDefinitionList(dl: XElement): void {
  const sequence = dl.children
    .filter((c): c is XElement => typeof c !== 'string')
    .map((c) => (c.tag === 'dt' ? 'T' : 'D'))
    .join('');
  if (sequence === '' || /^(T+D+)+$/.test(sequence)) return;
  dl.tag = 'div';
  for (const c of dl.children) if (typeof c !== 'string') c.tag = 'div';
}

function hasEmbedded(e: XElement): boolean {
  return e.tag === 'img' || e.tag === 'svg' || e.tag === 'math' || e.tag === 'input' || e.children.some((c) => typeof c !== 'string' && hasEmbedded(c));
}

/**
 * `<details>` is unfolded into a plain block that starts with its summary as a label: e-readers cannot open
 * it, so its content would stay hidden (a README's install steps, a FAQ), and a reader that ignores CSS
 * or the `open` attribute still shows plain blocks. A block with no summary has no label.
 */
export function unfoldDetails(details: XElement): void {
  const i = details.children.findIndex((c) => typeof c !== 'string' && c.tag === 'summary');
  const summary = i === -1 ? undefined : (details.children.splice(i, 1)[0] as XElement);
  details.tag = 'div';
  details.attrs.set('class', [details.attrs.get('class'), 'details'].filter(Boolean).join(' '));
  if (summary && (textOf(summary).trim() || hasEmbedded(summary))) {
    summary.tag = 'p';
    summary.attrs.set('class', [summary.attrs.get('class'), 'details-summary'].filter(Boolean).join(' '));
    details.children.unshift(summary);
  }
}
