/**
 * CPU and memory of the stack's processes from /proc (Linux): utime + stime ticks of each process
 * and its descendants, RSS from statm. Ticks, not wall time, so other load on the box does not count
 * against a process (it only makes the run slower).
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

export interface ProcessSample {
  name: string;
  /** CPU seconds used. */
  cpuSeconds: number;
  rssBytes: number;
}

/** A named process of the stack; the list is pluggable (a backend adds its postgres, say). */
export interface WatchedProcess {
  name: string;
  pid: number;
}

function readStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function rssOf(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** The process and every descendant alive now (a launcher's child does the work). */
function family(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === null) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function sample(processes: readonly WatchedProcess[]): ProcessSample[] {
  return processes.map(({ name, pid }) => {
    const pids = family(pid);
    const ticks = pids.reduce((total, p) => total + (readStat(p)?.ticks ?? 0), 0);
    return { name, cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: pids.reduce((total, p) => total + rssOf(p), 0) };
  });
}

/** CPU share of one core per process between two samples over `seconds` of wall time. */
export function cpuShare(before: ProcessSample[], after: ProcessSample[], seconds: number): { name: string; coreShare: number; rssBytes: number }[] {
  return after.map((a) => {
    const b = before.find((x) => x.name === a.name);
    return { name: a.name, coreShare: (a.cpuSeconds - (b?.cpuSeconds ?? 0)) / seconds, rssBytes: a.rssBytes };
  });
}
