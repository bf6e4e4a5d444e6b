// A one-line progress display for terminals: shown only when a build takes a while, redrawn at most ten
// times a second, and wiped before anything else is printed.
import type { Progress } from './index.js';

const LABELS: Record<Progress['stage'], string> = { render: 'rendering', download: 'downloading', compress: 'compressing', add: 'adding' };
const WIDTH = 24;

export interface ProgressLine {
  update(p: Progress): void;
  clear(): void;
}

export function progressLine(stream: NodeJS.WriteStream, delayMs = 300): ProgressLine {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - started < delayMs || (now - last < 100 && p.done < p.total)) return;
      last = now;
      const filled = p.total ? Math.round((p.done / p.total) * WIDTH) : WIDTH;
      stream.write(`\r\x1b[K${LABELS[p.stage]} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
