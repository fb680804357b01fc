// One process at a time on an embedded PGlite directory: PGlite is a single-process database, and a
// second process opening the same files would corrupt them. A lock file holds the owner's pid; a
// lock left by a process that no longer runs is taken over.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

export type DataDirLock = { release(): void };

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, 'greenlight.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => unlinkSync(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (owner === process.pid || isRunning(owner)) {
        throw new AppError('DATABASE_UNAVAILABLE', `the embedded database at ${dataDir} is in use by another Greenlight process (pid ${owner}); stop it first, or use PostgreSQL (GREENLIGHT_DATABASE_URL) to run several processes`);
      }
      unlinkSync(lockPath);
    }
  }
  throw new AppError('DATABASE_UNAVAILABLE', `cannot lock the embedded database at ${dataDir}`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
