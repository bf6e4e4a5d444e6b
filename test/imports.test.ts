// The shape of the code: src/ is a pipeline whose import graph has no circle and no arrow from an earlier
// stage to a later one, and dependencies are used through their public entry points only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');

/** The stages in order (docs/architecture.md); a file may import from its own stage or an earlier one. */
const STAGES = ['base', 'load', 'render', 'settle', 'book', 'package', 'write', 'top'] as const;
type Stage = (typeof STAGES)[number];

function stageOf(file: string): Stage {
  const f = path.relative(SRC, file).split(path.sep).join('/');
  if (['diagnostics.ts', 'codes.ts', 'labels.ts', 'version.ts', 'xml.ts', 'yaml.ts', 'toml.ts', 'json-front-matter.ts', 'images.ts', 'cache.ts', 'remote.ts', 'svg.ts', 'read.ts', 'css.ts', 'fonts.ts', 'text-shape.ts', 'image-candidates.ts', 'embeds.ts'].includes(f)) return 'base';
  if (f.startsWith('articles/') || f === 'config.ts' || f === 'model.ts') return 'load';
  if (f.startsWith('render/')) return 'render';
  if (f.startsWith('settle/')) return 'settle';
  if (f === 'epub/package.ts' || f === 'epub/deflate.ts') return 'package';
  if (f.startsWith('epub/')) return 'book';
  if (f === 'write.ts') return 'write';
  return 'top';
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module a file imports: static imports and exports (types included), dynamic import(), require(). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|require(?:\.resolve)?\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g)];
  return specs.map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

function resolveLocal(from: string, spec: string): string {
  return path.resolve(path.dirname(from), spec.replace(/\.js$/, '.ts'));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((s) => s.startsWith('.')).map((s) => resolveLocal(f, s))]));

describe('the import graph of src/', () => {
  it('reads the imports it judges', () => {
    // A guard on the reader itself: index.ts imports the pipeline and dynamic imports are seen.
    assert.ok(graph.get(path.join(SRC, 'index.ts'))!.includes(path.join(SRC, 'pipeline', 'assemble.ts')));
    assert.ok(graph.get(path.join(SRC, 'parallel.ts'))!.includes(path.join(SRC, 'render', 'chapter.ts')));
    for (const targets of graph.values()) for (const t of targets) assert.ok(graph.has(t), `${t} exists`);
  });

  it('has no arrow from an earlier stage to a later one', () => {
    const backwards: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) {
        if (STAGES.indexOf(stageOf(t)) > STAGES.indexOf(stageOf(file))) backwards.push(`${path.relative(SRC, file)} (${stageOf(file)}) -> ${path.relative(SRC, t)} (${stageOf(t)})`);
      }
    }
    assert.deepEqual(backwards, []);
  });

  it('has no circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(circles, []);
  });

  it('uses dependencies through their public entry points only', () => {
    const deep: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const parts = spec.split('/');
        const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        const sub = spec.slice(name.length);
        if (sub === '' || sub === '/package.json') continue;
        // A subpath is public only when the package's `exports` map lists it.
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> | string };
        const keys = typeof pkg.exports === 'object' ? Object.keys(pkg.exports) : [];
        const listed = keys.some((k) => k === `.${sub}` || (k.endsWith('*') && `.${sub}`.startsWith(k.slice(0, -1))));
        if (!listed) deep.push(`${path.relative(SRC, file)}: ${spec}`);
      }
    }
    assert.deepEqual(deep, []);
  });
});
