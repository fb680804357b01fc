// A benchmark child process asked one question at a time over IPC (the webhook benchmark's server and
// load, the dispatch benchmark's mock, engines and client-limit runs). A child that dies fails the
// question it was asked instead of hanging the benchmark.

import { fork } from 'node:child_process';

/**
 * Forks `path` (a URL) with this process's flags (--expose-gc, and --cpu-prof when profiling), plus
 * `extraFlags` (a larger heap, say).
 */
export function startWorker(path, extraFlags = []) {
  const child = fork(path, [], { execArgv: [...process.execArgv, ...extraFlags] });
  let pending = null;
  let exited = null;
  child.on('message', (message) => {
    const current = pending;
    pending = null;
    if (!current) return;
    if (message.type === 'error') current.reject(new Error(message.error));
    else current.resolve(message);
  });
  child.on('exit', (code, signal) => {
    exited = `${path.pathname.split('/').pop()} exited (${signal ?? `code ${code}`})`;
    pending?.reject(new Error(`${exited} before answering`));
    pending = null;
  });
  return {
    /** The child's process id, for sampling its memory from outside (/proc/<pid>/status). */
    pid: child.pid,
    ask(message) {
      if (exited) return Promise.reject(new Error(exited));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send(message);
      });
    },
    stop() {
      if (!exited && child.exitCode === null) child.kill();
    },
  };
}
