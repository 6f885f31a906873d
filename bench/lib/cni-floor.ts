// The pod network alone: how long `count` pod network setups take when they all arrive at once,
// through the process runtime's own CniNetwork (the same plugins — loopback, bridge with
// host-local — the same helper process, the same number of setups at a time), with no API server,
// scheduler or agent around it. It is the floor under the process runtime's create -> Running:
// no pod can be Running before its network is set up.
//
// Uses a bridge and pod CIDR of its own (k8tsfloor0, 10.88.250.0/24) and a temp state dir, so it
// never touches the server's bridge; everything is torn down before it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniNetwork, podNetworkForHost } from '../../src/agent/runtime/process/cni-network.js';
import type { PodNetworkAttachment } from '../../src/agent/runtime/process/pod-network.js';
import { createLogger } from '../../src/lib/logger.js';
import { runPool } from './pool.js';

export interface CniFloor {
  /** ms from the start of the burst to each setup's end. */
  readonly done: number[];
}

/** undefined when pods would share the host network here (not root, or no CNI plugins). */
export async function cniSetupFloor(count: number): Promise<CniFloor | undefined> {
  const stateDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-cni-'));
  const logger = createLogger({ level: 'warn' });
  const options = { stateDir, logger, bridge: 'k8tsfloor0', podCidr: '10.88.250.0/24' };
  const network = await podNetworkForHost(options);
  if (!(network instanceof CniNetwork)) {
    rmSync(stateDir, { recursive: true, force: true });
    return undefined;
  }
  const attachments = new Map<string, PodNetworkAttachment>();
  const done: number[] = [];
  try {
    const start = performance.now();
    await runPool(count, count, async (i) => {
      const id = `floor${String(i).padStart(4, '0')}`;
      const attachment = await network.setUp(id, {
        podUid: id, podName: id, podNamespace: 'bench', attempt: 0, hostname: id, hostNetwork: false, portMappings: [], logDirectory: stateDir, labels: {},
      });
      done.push(performance.now() - start);
      attachments.set(id, attachment);
    });
  } finally {
    await runPool(attachments.size, 8, async (i) => {
      const [id, attachment] = [...attachments][i] ?? [];
      if (id !== undefined && attachment !== undefined) await network.tearDown(id, attachment);
    });
    await network.close();
    network.release();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return { done };
}
