// Which container runtime a node agent uses. `--runtime auto` (the default) picks containerd when
// a CRI socket answers Version within a second, else the process runtime, and says why in the log:
// a machine prepared with scripts/setup-node.sh gets real containers without extra flags, and one
// without containerd (a laptop, most tests) still works. Only sockets that exist are dialled.
import { stat } from 'node:fs/promises';
import { CriClient } from '../agent/runtime/cri/cri-client.js';
import type { Logger } from '../lib/logger.js';
import type { NodeAgentFlags } from './node-flags.js';
import { StartupError } from './usage-error.js';

/** Where scripts/setup-node.sh puts k8ts's own containerd, then a distribution's default one. */
export const DEFAULT_CRI_SOCKETS = ['/run/k8ts/containerd/containerd.sock', '/run/containerd/containerd.sock'] as const;
const PROBE_TIMEOUT_MS = 1000;

export type RuntimeChoice =
  | { readonly kind: 'containerd'; readonly socket: string; readonly runtimeVersion: string }
  | { readonly kind: 'process' | 'fake' };

export type SocketProbe = { readonly ok: true; readonly runtimeVersion: string } | { readonly ok: false; readonly reason: string };

/** Does a CRI runtime answer on `socket`? */
export async function probeCriSocket(socket: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<SocketProbe> {
  try {
    if (!(await stat(socket)).isSocket()) return { ok: false, reason: 'not a socket' };
  } catch {
    return { ok: false, reason: 'no such socket' };
  }
  const client = new CriClient({ socket, timeoutMs });
  try {
    const version = await client.version();
    return { ok: true, runtimeVersion: `${version.runtimeName} ${version.runtimeVersion} (CRI ${version.runtimeApiVersion})` };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}

export async function chooseRuntime(
  flags: Pick<NodeAgentFlags, 'runtime' | 'criSocket'>,
  logger: Logger,
  probe: (socket: string) => Promise<SocketProbe> = probeCriSocket,
): Promise<RuntimeChoice> {
  if (flags.runtime === 'process' || flags.runtime === 'fake') {
    logger.info({ runtime: flags.runtime }, 'container runtime chosen by --runtime');
    return { kind: flags.runtime };
  }
  const sockets = flags.criSocket !== undefined ? [flags.criSocket] : [...DEFAULT_CRI_SOCKETS];
  const tried: string[] = [];
  for (const socket of sockets) {
    const result = await probe(socket);
    if (result.ok) {
      logger.info({ runtime: 'containerd', socket, version: result.runtimeVersion, flag: flags.runtime }, 'container runtime: containerd answers on its CRI socket');
      return { kind: 'containerd', socket, runtimeVersion: result.runtimeVersion };
    }
    tried.push(`${socket} (${result.reason})`);
  }
  if (flags.runtime === 'containerd') {
    throw new StartupError(
      `--runtime containerd: no CRI runtime answers on ${tried.join(', ')}. Start containerd (scripts/setup-node.sh installs and ` +
        'configures it), or pass --cri-socket PATH, or --runtime process',
    );
  }
  logger.info({ runtime: 'process', tried }, 'container runtime: no CRI socket answers, using the process runtime');
  return { kind: 'process' };
}
