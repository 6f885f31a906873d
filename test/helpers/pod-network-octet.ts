// The process runtime's pod network of one e2e server: bridge k8ts<octet>, 10.88.<octet>.0/24.
// Suites run in parallel (npm test: --test-concurrency=2), and two servers on one octet share a
// bridge with two IPAM states: both hand out 10.88.<octet>.2, so a request to one suite's pod is
// answered by the other's, and the first to finish deletes the bridge under the other. A random
// draw clashed about once per 250 concurrent pairs; so an octet is reserved machine-wide, by a file
// named after it in /tmp holding the reserving test process's PID (exclusive create; a file whose
// process is gone is stale and taken over), and released when that process exits.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Not under a k8ts-e2e-* name: those are servers' data dirs, which people sweep away.
const RESERVATIONS = join(tmpdir(), 'k8ts-pod-network-reservations');
const FIRST = 2;
const LAST = 254;
const held = new Set<number>();
let hooked = false;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another process's network on this octet that predates reservations (its bridge or its route). */
async function inUseOnHost(octet: number): Promise<boolean> {
  if (await stat(`/sys/class/net/k8ts${octet}`).then(() => true, () => false)) return true;
  const routes = await readFile('/proc/net/route', 'utf8').catch(() => '');
  const ours = (10 | (88 << 8) | (octet << 16)) >>> 0; // /proc/net/route is little-endian
  return routes.split('\n').slice(1).some((line) => {
    const [, destination, , , , , , mask] = line.split('\t');
    if (destination === undefined || mask === undefined) return false;
    const m = Number.parseInt(mask, 16);
    return m !== 0 && ((Number.parseInt(destination, 16) & m) >>> 0) === ((ours & m) >>> 0);
  });
}

function release(): void {
  for (const octet of held) {
    try {
      if (readFileSync(join(RESERVATIONS, String(octet)), 'utf8') === String(process.pid)) unlinkSync(join(RESERVATIONS, String(octet)));
    } catch {
      // already gone
    }
  }
  held.clear();
}

/** Exclusive create of the octet's file; true if this process holds it now. */
function tryReserve(octet: number): boolean {
  const file = join(RESERVATIONS, String(octet));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      continue; // released meanwhile: try again
    }
    if (owner === process.pid) return true;
    // An empty file is one being written right now (create, then write): its owner lives.
    if (!Number.isInteger(owner) || owner <= 0 || pidAlive(owner)) return false;
    try {
      unlinkSync(file); // stale: its process died without releasing it
    } catch {
      // someone else took it over first; the exclusive create decides
    }
  }
  return false;
}

/**
 * An octet for a new server's pod network, held until this process exits. `kept`: the octet a
 * restarted server had before (its re-adopted pods live on that bridge); it is taken as is.
 */
export async function reservePodNetworkOctet(kept?: number): Promise<number> {
  await mkdir(RESERVATIONS, { recursive: true });
  if (!hooked) {
    hooked = true;
    process.once('exit', release);
  }
  if (kept !== undefined) {
    if (tryReserve(kept)) held.add(kept);
    return kept;
  }
  const candidates = Array.from({ length: LAST - FIRST + 1 }, (_, i) => FIRST + i).filter((octet) => !held.has(octet));
  // Random order: processes that started before this scheme (or by hand) drew at random too.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j] ?? 0, candidates[i] ?? 0];
  }
  for (const octet of candidates) {
    if (await inUseOnHost(octet)) continue;
    if (tryReserve(octet)) {
      held.add(octet);
      return octet;
    }
  }
  throw new Error(`no free pod network octet in 10.88.${FIRST}-${LAST}.0/24 (reservations in ${RESERVATIONS})`);
}
