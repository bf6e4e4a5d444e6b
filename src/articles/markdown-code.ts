// Load stage, and the render after it (render/kramdown.ts): where Markdown text holds code, found before Marked
// reads it (a fenced block's lines, a code span on a line), a line at a time.

/** A fence's opening or closing, indented or in a quote or a list's item. */
const FENCE = /^[ \t>]*(`{3,}|~{3,})/;

/**
 * A reader of lines in order, telling whether each is fenced code (a fence's own lines included). A line of
 * backticks with a backtick after them opens nothing, as in CommonMark.
 */
export function fencedLines(): (line: string) => boolean {
  let fence: string | undefined;
  return (line) => {
    const mark = FENCE.exec(line.length > 1000 ? line.slice(0, 1000) : line);
    if (fence === undefined) {
      if (!mark || (mark[1]![0] === '`' && line.includes('`', mark[0].length))) return false;
      fence = mark[1]!;
      return true;
    }
    if (mark && mark[1]![0] === fence[0] && mark[1]!.length >= fence.length && !line.slice(mark[0].length).trim()) fence = undefined;
    return true;
  };
}

/**
 * Whether places of `text` from `from` on (asked in increasing order) are in a code span: after an odd
 * number of backtick runs, roughly. Each character is looked at once, however many places are asked.
 */
export function codeSpans(text: string, from = 0): (at: number) => boolean {
  let counted = from;
  let runs = 0;
  return (at) => {
    while (counted < at) {
      if (text.charCodeAt(counted) !== 96) counted++;
      else {
        runs++;
        while (text.charCodeAt(counted) === 96) counted++;
      }
    }
    return (runs & 1) === 1;
  };
}

/**
 * A finder of backtick runs in `text`: where the next run of exactly `length` backticks is at or after
 * `after` (-1: none), as a code span's closing is found. Asked in increasing order for each length, each
 * length's search goes through the text once.
 */
export function backtickRuns(text: string): (length: number, after: number) => number {
  const runs = new Map<number, number>();
  return (length, after) => {
    let at = runs.get(length);
    if (at === undefined || (at !== -1 && at < after)) {
      at = -1;
      const ticks = '`'.repeat(length);
      for (let p = text.indexOf(ticks, after); p !== -1; p = text.indexOf(ticks, p + 1)) {
        let end = p + length;
        while (text.charCodeAt(end) === 96) end++;
        if (end - p === length && text.charCodeAt(p - 1) !== 96) {
          at = p;
          break;
        }
        p = end - 1;
      }
      runs.set(length, at);
    }
    return at;
  };
}
