// Orchestration: a worker thread of the Pool (parallel.ts), run by piscina: runs the tasks it is sent.
import { runTask, type Task } from './parallel.js';

// A worker is started for rendering: load the renderer at once, while the main thread is still reading
// the articles, rather than on the first task.
void import('./render/chapter.js');

export default function work(task: Task): ReturnType<typeof runTask> {
  return runTask(task);
}
