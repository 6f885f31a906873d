// Is a PID still the process we started? PIDs are reused, so a PID alone proves nothing after an
// agent restart; the kernel's start time of the process (field 22 of /proc/<pid>/stat, in clock
// ticks since boot) together with the PID identifies one process for the life of the machine.
import { readFileSync } from 'node:fs';

/** The process's start time, or undefined when no such process exists (or it is a zombie). */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); the start time is field 22.
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  return startTime !== undefined && processStartTime(pid) === startTime;
}
