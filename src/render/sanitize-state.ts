// Render stage, sanitising: what the cleaning walk carries (depth, the raw-HTML block it is in, whether SVG
// or MathML was kept, the open links) and how it reports text it cannot keep, at an offset of the Markdown
// source. Shared by the HTML walk (sanitize-walk.ts) and the SVG and MathML cleaning (sanitize-foreign.ts).
import type { DefaultTreeAdapterMap } from 'parse5';
import { POS_COMMENT } from './html-parse.js';
import { DROP } from './sanitize-policy.js';

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

/** Text of the article, or a video or sound, that could not be kept, at an offset of the Markdown source. */
export interface SanitizeProblem {
  pos: number;
  code: 'html-text-dropped' | 'html-media-dropped' | 'link-refused' | 'html-unclosed';
  message: string;
}

/**
 * Elements nested deeper than this are flattened to their text: e-readers (and recursion) give up on such
 * trees long before, and no real article needs more.
 */
export const MAX_DEPTH = 100;

export interface State {
  source: string;
  depth: number;
  /** Span of the last raw-HTML block seen, and how far into it elements have been found. */
  rawPos: number;
  rawEnd: number;
  rawCursor: number;
  svg: boolean;
  mathml: boolean;
  /** Links open around the element being cleaned (a link cannot hold another). */
  links: number;
  problems: SanitizeProblem[];
}

/** The text of a subtree, gathered without recursion (the subtree may be thousands of levels deep). */
export function textContent(node: P5Node): string {
  let text = '';
  const stack: P5Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') text += (n as DefaultTreeAdapterMap['textNode']).value;
    else if ('childNodes' in n && !(('tagName' in n) && DROP.has((n as P5Element).tagName))) {
      // An HTML template's content is a fragment of its own; a `<template>` in a drawing or formula has none.
      const content = (n as P5Element).tagName === 'template' ? (n as Partial<DefaultTreeAdapterMap['template']>).content : undefined;
      const children = content ? content.childNodes : (n as P5Element).childNodes;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return text;
}

/**
 * Where a raw-HTML link or image stands in the Markdown: its target's next occurrence inside the raw
 * block it came from (searching on from the previous one), else the start of that block.
 */
export function rawPosition(node: P5Element, state: State): number {
  const target = node.attrs.find((a) => a.name === 'src' || a.name === 'href')?.value;
  if (target && state.rawEnd > state.rawCursor) {
    const at = state.source.slice(state.rawCursor, state.rawEnd).indexOf(target);
    if (at !== -1) {
      state.rawCursor += at + target.length;
      return state.rawCursor - target.length;
    }
  }
  return state.rawPos;
}

/**
 * Take the source span a `<!--quire-pos:start:end-->` comment gives (markdown.ts writes one before each
 * piece of raw HTML) as where the elements that follow are looked for; whether the comment was one.
 */
export function readPosComment(state: State, data: string): boolean {
  if (!data.startsWith(POS_COMMENT)) return false;
  const [start, end] = data.slice(POS_COMMENT.length).split(':').map(Number);
  state.rawPos = state.rawCursor = start || 0;
  state.rawEnd = end || 0;
  return true;
}

/**
 * Where an element with this tag starts in the raw HTML block it came from (else where the block starts);
 * the next search goes on after it, so that the elements of one block are found in turn.
 */
export function elementStart(state: State, tag: string): number {
  if (state.rawEnd <= state.rawCursor) return state.rawPos;
  const m = new RegExp(`<${tag.replace(/[^\w-]/g, '')}[\\s/>]`, 'i').exec(state.source.slice(state.rawCursor, state.rawEnd));
  if (!m) return state.rawPos;
  const pos = state.rawCursor + m.index;
  state.rawCursor = pos + 1;
  return pos;
}

/** Report text that is not kept, where its element starts in the raw HTML block it came from. */
export function dropped(state: State, tag: string, message: string): void {
  state.problems.push({ pos: elementStart(state, tag), code: 'html-text-dropped', message });
}

export function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
