import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * Per-process CPU time and memory from /proc, read by the harness around each measured run. CPU is
 * what the kernel accounted to the process (utime + stime, all its threads), so a process cannot hide
 * work in worker threads or in time spent waiting on the others for a core.
 */

let clockTicks: number | undefined;

/** Clock ticks per second of /proc's utime/stime (`getconf CLK_TCK`, 100 on Linux x86-64). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      clockTicks = Number.NaN;
    }
    if (!Number.isFinite(clockTicks) || clockTicks <= 0) clockTicks = 100;
  }
  return clockTicks;
}

/** CPU time (user + system) a live process has used so far, in milliseconds; NaN once it is gone. */
export function cpuMs(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return Number.NaN;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of the line
  return (ticks * 1000) / clockTicksPerSecond();
}

/** Resident set size (VmRSS) in MiB; NaN once the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A CPU snapshot of several named processes, to subtract from a later one. */
export type CpuSnapshot = Record<string, number>;

/** Reads the CPU time of every named PID now. */
export function snapshotCpu(pids: Record<string, number>): CpuSnapshot {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
}

/** CPU milliseconds each process used between two snapshots. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  return Object.fromEntries(Object.keys(before).map((name) => [name, (after[name] ?? Number.NaN) - before[name]!]));
}

/** Parses bash's `times` output (shell line, then children line: `0m1.234s 0m0.456s`) into CPU ms of the children. */
export function parseBashTimes(text: string): number {
  const lines = text.trim().split('\n').filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const children = lines.at(-1);
  if (!children) return Number.NaN;
  const toMs = (value: string) => {
    const match = /^(\d+)m([\d.]+)s$/.exec(value)!;
    return (Number(match[1]) * 60 + Number(match[2])) * 1000;
  };
  const [user, system] = children.trim().split(' ');
  return toMs(user!) + toMs(system!);
}

/** The whole machine's CPU so far, from the first line of /proc/stat, in milliseconds. */
export interface MachineCpu {
  /** user + nice + system: time charged to processes (ours and everyone else's). */
  processMs: number;
  /** irq + softirq: kernel work (much of loopback networking) that may be charged to no process. */
  irqMs: number;
  /** Time the hypervisor gave this VM's vCPUs to someone else. */
  stealMs: number;
}

/** Reads /proc/stat's aggregate `cpu` line. */
export function machineCpu(): MachineCpu {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  const toMs = (ticks: number) => (ticks * 1000) / clockTicksPerSecond();
  return { processMs: toMs(user + nice + system), irqMs: toMs(irq + softirq), stealMs: toMs(steal) };
}

/** The PIDs of a live process's children (every thread's `/proc/<pid>/task/<tid>/children`); [] once it is gone. */
export function childPids(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** A process's command line, arguments joined by spaces ('' once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
