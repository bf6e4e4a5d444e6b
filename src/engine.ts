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
 * The V8 flags to set for the command `args` (the command line after `quire`): the interrupt budget on two
 * cores or fewer, for a command that runs once (a build, a digest, a check), unless the command line or
 * NODE_OPTIONS sets it already. A process that runs on (`--watch`, `serve`) keeps V8's default: it rebuilds
 * with the same code again and again, which is then optimised early, and watch mode's rebuild of 1,000
 * real-docs articles took 0.29-0.53 s with the budget against 0.20-0.33 s without. With more than two cores
 * the background threads have cores of their own; V8's default is kept there too (not measured). Whatever is
 * chosen, the output is the same: only how soon code is optimised changes.
 */
export function engineFlags(args: readonly string[], cores = availableParallelism(), given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): string[] {
  if (cores > 2) return [];
  if (given.some((f) => /^--interrupt[-_]budget(=|$)/.test(f))) return [];
  if (args.find((a) => !a.startsWith('-')) === 'serve' || args.some((a) => a === '--watch' || /^-[A-Za-z]*w[A-Za-z]*$/.test(a))) return [];
  return [`--interrupt-budget=${INTERRUPT_BUDGET}`];
}
