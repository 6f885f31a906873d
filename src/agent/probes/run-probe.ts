// Runs one probe (or lifecycle handler) of any kind: httpGet, tcpSocket or exec (through the runtime).
import type { Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { runHttpProbe } from './http-probe.js';
import type { ProbeRun, ProbeTarget } from './probe-target.js';
import { runTcpProbe } from './tcp-probe.js';

/** How a probe is carried out; tests substitute their own. */
export type ProbeExecutor = (probe: Probe, target: ProbeTarget) => Promise<ProbeRun>;

export function probeExecutor(runtime: ContainerRuntime): ProbeExecutor {
  return async (probe, target) => {
    const timeout = probe.timeoutSeconds ?? 1;
    try {
      if (probe.exec) {
        const command = probe.exec.command ?? [];
        const result = await runtime.execSync(target.containerId, command, timeout);
        if (result.exitCode === 0) return { result: 'success', output: '' };
        const output = `${result.stdout}${result.stderr}`.trim();
        return { result: 'failure', output: output || `command ${JSON.stringify(command.join(' '))} exited with ${result.exitCode}` };
      }
      if (probe.httpGet) return await runHttpProbe(probe.httpGet, target, timeout);
      if (probe.tcpSocket) return await runTcpProbe(probe.tcpSocket, target, timeout);
      return { result: 'failure', output: 'probe has no handler (grpc probes are not supported)' };
    } catch (error) {
      return { result: 'failure', output: error instanceof Error ? error.message : String(error) };
    }
  };
}
