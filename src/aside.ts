// Orchestration: a worker thread of its own for one task beside the build (parallel.ts, Pool.runAside),
// started when the pool has no workers: it runs the task it was given, posts the result and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type Task } from './parallel.js';

try {
  parentPort!.postMessage({ ok: true, value: await runTask(workerData as Task) });
} catch {
  // The main thread runs the task again, and reports its error.
  parentPort!.postMessage({ ok: false });
}
