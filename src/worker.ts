// A worker thread of the Pool (parallel.ts): runs the tasks it is sent and posts back their results.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './parallel.js';

// A worker is started for rendering: load the renderer at once, while the main thread is still reading
// the articles, rather than on the first task.
void import('./render/chapter.js');

parentPort!.on('message', async ({ id, task }: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: await runTask(task) });
  } catch (e) {
    parentPort!.postMessage({ id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
