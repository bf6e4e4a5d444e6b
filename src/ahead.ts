// Orchestration: the read-ahead thread (parallel.ts, Pool.map): on two cores, where the pool has no
// workers, it makes the Markdown stage of the chunks the main thread renders next, and posts it back.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './parallel.js';

// Loaded at once: the thread is started while the articles are still being read (Pool.prepare).
void import('./render/chapter.js');

parentPort!.on('message', ({ id, task }: { id: number; task: Task }) => {
  // A task that fails (or whose result cannot be posted) is posted back without a value: the main thread
  // renders that chunk itself and reports its error.
  runTask(task)
    .then((value) => parentPort!.postMessage({ id, value }))
    .catch(() => parentPort!.postMessage({ id }));
});
