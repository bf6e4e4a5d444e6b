// Orchestration: a worker thread of quire's own beside the main thread (parallel.ts, TaskThread): the
// read-ahead thread on two cores, or a thread for one task beside the build (the cover). It runs the tasks
// it is posted and posts each result back.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type Task, type ThreadLoad } from './parallel.js';

// The read-ahead thread loads the renderer at once: it is started while the articles are still being read
// (Pool.prepare). The deflating thread is started while the book is settled (Pool.readyDeflate).
const { load } = workerData as { load: ThreadLoad };
if (load === 'renderer') void import('./render/chapter.js');
if (load === 'deflater') void import('./epub/deflate.js');

parentPort!.on('message', ({ id, task }: { id: number; task: Task }) => {
  // A task that fails (or whose result cannot be posted) is posted back without a value: the main thread
  // runs it itself and reports its error.
  runTask(task)
    .then((value) => parentPort!.postMessage({ id, value }))
    .catch(() => parentPort!.postMessage({ id }));
});
