// Entry: the V8 settings the `quire` command runs with (bin/quire.js applies them before it loads the CLI).
// The library leaves the V8 settings of the process it runs in alone.
import { availableParallelism } from 'node:os';

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
 * The V8 flags to set: the interrupt budget on two cores or fewer, unless the command line or NODE_OPTIONS
 * sets it already. With more cores the background threads have cores of their own; V8's default is kept
 * there (not measured).
 */
export function engineFlags(cores = availableParallelism(), given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): string[] {
  if (cores > 2) return [];
  if (given.some((f) => /^--interrupt[-_]budget(=|$)/.test(f))) return [];
  return [`--interrupt-budget=${INTERRUPT_BUDGET}`];
}
