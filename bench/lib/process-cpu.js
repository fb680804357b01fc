// CPU time outside the measuring process, for the dispatch benchmark's split of the machine's cores:
// the whole machine (os.cpus()) and the local PostgreSQL server's backends of one database (/proc, Linux).

import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Busy CPU time of the whole machine (every core, every process) since `from` (a previous result), in ms. */
export function machineCpuMs(from = null) {
  let busy = 0;
  let idle = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    busy += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  }
  return from === null ? { busy, idle } : { busyMs: busy - from.busy, idleMs: idle - from.idle };
}

// /proc/[pid]/stat counts in clock ticks of USER_HZ, which Linux fixes at 100 for userspace.
const TICK_MS = 10;

/**
 * CPU (user + system) of these processes, by pid, in ms, from /proc (Linux); a process that is gone or
 * unreadable is left out. The PostgreSQL server runs each connection's work in its own backend process,
 * so the backends of one database say what its queries cost the server.
 */
export function processCpuMs(pids) {
  const cpu = new Map();
  for (const pid of pids) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited, another machine, or not Linux
    }
    // pid (comm) state ppid …: comm may hold spaces, so the fields are counted after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS); // utime and stime, fields 14 and 15
  }
  return cpu;
}

/**
 * A meter of the CPU of the client backends connected to the current database: start, sample() now and
 * then (a pool closes idle connections, and a backend's time leaves with it: sampling keeps what it had
 * used), stop(). A backend that connected meanwhile counts whole. Null figures when the server's
 * processes cannot be read (it runs elsewhere, or not on Linux).
 */
export async function startBackendCpuMeter(db) {
  // Client backends only: an autovacuum worker cleaning up after the set-up's bulk inserts is not the
  // dispatcher's work (it lands in "the rest"). The asking backend is one of the pool's too: kept.
  const pidsNow = async () =>
    (await db.query(`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`)).map((row) => Number(row.pid));
  const before = processCpuMs(await pidsNow());
  const latest = new Map(before);
  const sample = async () => {
    for (const [pid, ms] of processCpuMs(await pidsNow())) latest.set(pid, ms);
  };
  return {
    sample,
    async stop() {
      await sample();
      if (latest.size === 0) return { cpuMs: null, backends: 0 };
      let cpuMs = 0;
      for (const [pid, ms] of latest) cpuMs += ms - (before.get(pid) ?? 0);
      return { cpuMs, backends: latest.size };
    },
  };
}
