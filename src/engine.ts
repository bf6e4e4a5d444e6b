// Entry: the V8 settings the `quire` command runs with (bin/quire.js applies them before it loads the CLI).
// The library leaves the V8 settings of the process it runs in alone.
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';

/**
 * How much a function runs before V8 considers optimising it (V8's "interrupt budget", in bytecodes run;
 * V8's own default is 66 kB). V8 optimises on background threads, and re-optimises a function each time
 * new kinds of input undo what it assumed. On two cores those threads compete with the build's own (main,
 * read-ahead, cover, deflating): on 1,000 real-docs articles they took 4.8 s of a cold build's 11.8 s of
 * CPU. With this budget they took 1.8 s, the build's own threads 0.6 s more (their code runs unoptimised a
 * little longer), and the build 16% less CPU and 12% less wall time (five interleaved rounds; 250 kB did the
 * same, 1 MB less well).
 */
export const INTERRUPT_BUDGET = 500_000;

/**
 * How much V8 lets a heap grow past what its last full collection kept: 1.5 times it, where V8 picks its
 * own factor (up to 4) from the speed of its collector against the program's allocation. The main thread
 * holds every rendered chapter until the book is packaged, so what it keeps grows through the build, and
 * the heap's limit with it: 5,000 real-docs articles peaked at 446-478 MB in most cold builds and at
 * 601-619 MB in 7 of 18 (the benchmark's last two runs among them), with 200 MB more of uncollected garbage
 * on the main thread as the render ended. With this factor: 427-454 MB in 12 of 12, in the same time;
 * 1,000 articles, 222-229 MB against 239-242 MB.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * The V8 flags to set for the command `args` (the command line after `quire`), on two cores or fewer, for a
 * command that runs once (a build, a digest, a check): the interrupt budget and the heap's growing factor,
 * each unless the command line or NODE_OPTIONS sets it already. A process that runs on (`--watch`, `serve`)
 * keeps V8's defaults: it rebuilds with the same code again and again, which is then optimised early, and
 * watch mode's rebuild of 1,000 real-docs articles took 0.29-0.53 s with the budget against 0.20-0.33 s
 * without. With more than two cores the background threads have cores of their own; V8's defaults are kept
 * there too (not measured). Whatever is chosen, the output is the same: only how soon code is optimised,
 * and how often memory is collected, change.
 */
export function engineFlags(args: readonly string[], cores = availableParallelism(), given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): string[] {
  if (cores > 2) return [];
  if (args.find((a) => !a.startsWith('-')) === 'serve' || args.some((a) => a === '--watch' || /^-[A-Za-z]*w[A-Za-z]*$/.test(a))) return [];
  const set = (name: string) => given.some((f) => new RegExp(`^--${name.replace(/-/g, '[-_]')}(=|$)`).test(f));
  const flags: string[] = [];
  if (!set('interrupt-budget')) flags.push(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  if (!set('heap-growing-percent')) flags.push(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return flags;
}

/**
 * Set engineFlags(args) in this process, before the code they are for is loaded (worker threads started
 * afterwards share them): bin/quire.js, and the benchmark's scripts that run quire as the command does.
 */
export function applyEngineFlags(args: readonly string[]): void {
  for (const flag of engineFlags(args)) v8.setFlagsFromString(flag);
}
