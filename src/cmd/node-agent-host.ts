// Starts one node agent with everything around it: its container runtime (picked here, the only
// place that knows the backends), its own informers and Event recorder, and the log server the
// API server proxies `kubectl logs` to. Used by `k8ts agent` and by the agent embedded in
// `k8ts server`.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { LogServer, type LogTarget } from '../agent/logs/log-server.js';
import { defaultNodeAddress } from '../agent/host-info.js';
import { NodeAgent } from '../agent/node-agent.js';
import { CriRuntime } from '../agent/runtime/cri/cri-runtime.js';
import { FakeRuntime } from '../agent/runtime/fake/fake-runtime.js';
import { ProcessRuntime } from '../agent/runtime/process/process-runtime.js';
import { podNetworkForHost } from '../agent/runtime/process/cni-network.js';
import { createAttachRoute } from '../agent/streaming/attach-route.js';
import { createExecRoute } from '../agent/streaming/exec-route.js';
import { PodLocator } from '../agent/streaming/pod-locator.js';
import { createPortForwardRoute } from '../agent/streaming/port-forward-route.js';
import { procNodeUsageReader } from '../agent/stats/node-usage-reader.js';
import { UsageSampler } from '../agent/stats/usage-sampler.js';
import { usageRoute } from '../agent/stats/usage-route.js';
import type { ContainerRuntime } from '../agent/runtime/runtime.js';
import { ApiEventRecorder } from '../client/events/api-event-recorder.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import type { ClientSet } from '../client/resource-client.js';
import { EVENTS } from '../client/resource-types.js';
import type { Clock } from '../lib/clock.js';
import { componentLogger, type Logger } from '../lib/logger.js';
import { chainTagFor } from '../proxy/service-proxy/chain-names.js';
import { execRunner } from '../lib/command-runner.js';
import { IptablesHost } from '../proxy/service-proxy/iptables-host.js';
import type { ProxyHealth } from '../proxy/service-proxy/proxy-health.js';
import { ProxyHealthServer } from '../proxy/service-proxy/proxy-health-server.js';
import { ServiceProxy } from '../proxy/service-proxy/service-proxy.js';
import { nodeDnsSettings, servesClusterDns, startClusterDns } from './cluster-dns-host.js';
import { resolveProxyMode, type NodeAgentFlags } from './node-flags.js';
import { chooseRuntime } from './runtime-choice.js';
import { StartupError } from './usage-error.js';

export interface NodeAgentHostOptions {
  readonly clients: ClientSet;
  readonly flags: NodeAgentFlags;
  /** The agent's state (runtime state, pod volumes, logs) lives under DATA_DIR/agent. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Bearer token the log server accepts (the API server passes the caller's token on). */
  readonly token: string;
  /** Serving key and certificate for the log server (the API server talks HTTPS to agents). */
  readonly tls: { readonly key: string; readonly cert: string };
  /** Address the log server listens on, and the node's InternalIP when given. */
  readonly address?: string;
  /** Log server port; 0 picks a free one. */
  readonly port: number;
}

export interface RunningNodeAgent {
  readonly nodeName: string;
  readonly logPort: number;
  /** Stops the agent (and, with --stop-pods-on-exit, every pod sandbox of the runtime). */
  stop(): Promise<void>;
}

export async function createRuntime(flags: NodeAgentFlags, stateDir: string, logger: Logger, clock: Clock): Promise<ContainerRuntime> {
  const choice = await chooseRuntime(flags, logger);
  if (choice.kind === 'fake') return new FakeRuntime();
  if (choice.kind === 'containerd') {
    // containerd's own CNI config gives pods their network (--pod-network/--pod-cidr do not apply).
    // K8TS_CRI_START_LIMIT: the concurrent-start limit (default 8), for bench:containers' sweep.
    const startLimit = Number(process.env.K8TS_CRI_START_LIMIT ?? 0);
    return new CriRuntime({
      socket: choice.socket, logger: componentLogger(logger, 'cri-runtime'), clock, owner: flags.nodeName,
      ...(Number.isInteger(startLimit) && startLimit > 0 ? { startConcurrency: startLimit } : {}),
    });
  }
  const network = flags.podNetwork === 'host'
    ? undefined
    : await podNetworkForHost({ stateDir: join(stateDir, 'cni'), logger, podCidr: flags.podCidr, bridge: flags.podBridge, ci: process.env.CI === 'true' });
  return new ProcessRuntime({ stateDir, logger, ...(network ? { network } : {}) });
}

/** Stops and removes every pod sandbox (and so every container) the runtime knows. */
async function stopAllPods(runtime: ContainerRuntime, logger: Logger): Promise<void> {
  const sandboxes = await runtime.listPodSandboxes();
  await Promise.all(
    sandboxes.map(async (sandbox) => {
      try {
        await runtime.stopPodSandbox(sandbox.id);
        await runtime.removePodSandbox(sandbox.id);
      } catch (error) {
        logger.warn({ err: error, sandbox: sandbox.id }, 'could not stop pod sandbox on exit');
      }
    }),
  );
  logger.info({ sandboxes: sandboxes.length }, 'stopped all pods on exit');
}

/** Shared by every proxy of this machine: route_localnet's original value (route-localnet.ts). */
const PROXY_STATE_DIR = '/run/k8ts/proxy';

/**
 * Serves the proxy's /healthz and /livez on --proxy-healthz-address until `signal` aborts. An
 * address that cannot be bound is logged, not fatal: the proxy itself keeps working.
 */
async function serveProxyHealth(health: ProxyHealth, flags: NodeAgentFlags, logger: Logger, signal: AbortSignal): Promise<void> {
  const address = flags.proxyHealthzAddress;
  if (address === undefined || signal.aborted) return;
  const server = new ProxyHealthServer({ health });
  const text = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  try {
    const bound = await server.listen(address.host, address.port);
    logger.info({ address: `${bound.address}:${bound.port}` }, 'service proxy healthz serving');
  } catch (error) {
    logger.error({ err: error, address: text }, `cannot serve the service proxy's /healthz on ${text} (${(error as NodeJS.ErrnoException).code ?? 'error'}); proxying goes on without it: pick another address with --proxy-healthz-address IP:PORT, or "" to turn it off`);
    return;
  }
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}

/** Runs this node's service proxy (--proxy-mode) until `signal` aborts; resolves once its rules are gone. */
function startServiceProxy(options: {
  readonly flags: NodeAgentFlags;
  readonly runtime: ContainerRuntime;
  readonly informers: SharedInformerFactory;
  /** The node's InternalIP (what the built-in load balancer publishes as ingress). */
  readonly nodeIP: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}): Promise<void> {
  const { flags, logger } = options;
  const mode = resolveProxyMode(flags.proxyMode, process.getuid?.());
  if (mode === 'none') return Promise.resolve();
  const proxyLogger = componentLogger(logger, 'service-proxy');
  const proxy = new ServiceProxy({
    informers: options.informers,
    host: new IptablesHost({ runner: execRunner() }),
    chainTag: chainTagFor(flags.nodeName),
    nodeName: flags.nodeName,
    nodeIPs: [options.nodeIP],
    healthCheckAddress: '0.0.0.0',
    // Pods of the process runtime live in --pod-cidr; containerd's CNI range is not known here,
    // so all service traffic is masqueraded there.
    ...(options.runtime.name === 'process' && flags.podNetwork === 'auto' ? { clusterCidr: flags.podCidr } : {}),
    routeLocalnetMarkerDir: PROXY_STATE_DIR,
    clock: options.clock,
    logger: proxyLogger,
  });
  proxyLogger.info({ mode, node: flags.nodeName }, 'service proxy starting');
  // The health server goes with the proxy: a proxy that failed must not keep answering healthy.
  const healthStop = new AbortController();
  const running = proxy.run(options.signal)
    .catch((error: unknown) => proxyLogger.error({ err: error }, 'service proxy failed'))
    .finally(() => healthStop.abort());
  options.signal.addEventListener('abort', () => healthStop.abort(), { once: true });
  // Its health times out as kube-proxy's: twice the full resync period (30 s), so 60 s.
  const serving = serveProxyHealth(proxy.health, flags, proxyLogger, healthStop.signal);
  return Promise.all([running, serving]).then(() => undefined);
}

export async function startNodeAgent(options: NodeAgentHostOptions): Promise<RunningNodeAgent> {
  const { flags, clients, clock } = options;
  const logger = componentLogger(options.logger, 'node-agent');
  const dataDir = join(options.dataDir, 'agent');
  const runtime = await createRuntime(flags, join(dataDir, 'runtime'), logger, clock);
  const dns = await nodeDnsSettings(flags, runtime, process.getuid?.());
  const informers = new SharedInformerFactory({ clients, logger: componentLogger(logger, 'agent-informers') });
  const recorder = new ApiEventRecorder({ events: clients.resource(EVENTS), clock, logger, component: 'kubelet', host: flags.nodeName });
  // The log server must listen before the agent starts (the Node advertises its port).
  const started: { agent?: NodeAgent } = {};
  const locator = new PodLocator({ runtime });
  const execRoute = createExecRoute({ runtime, locator, logger });
  const portForwardRoute = createPortForwardRoute({ runtime, locator, logger });
  const resolveLog = async (namespace: string, pod: string, container: string, previous: boolean): Promise<LogTarget | undefined> => {
    const logPath = await started.agent?.resolveLogPath(namespace, pod, container, previous);
    if (logPath === undefined) return undefined;
    // `logs -f` (and attach) end when the container that writes this file is no longer running.
    const isRunning = async () => (await runtime.listContainers()).some((c) => c.logPath === logPath && c.state === 'running');
    return { logPath, isRunning };
  };
  const attachRoute = createAttachRoute({ runtime, locator, logger, resolveLog: (namespace, pod, container) => resolveLog(namespace, pod, container, false) });
  // Usage for the Metrics API (kubectl top): sampled every 10 s, served at /stats/usage.
  const usage = new UsageSampler({ runtime, readNode: procNodeUsageReader(), clock, logger });
  const logServer = new LogServer({
    routes: [execRoute, attachRoute, portForwardRoute, usageRoute(usage)],
    port: options.port,
    address: options.address ?? '0.0.0.0',
    token: options.token,
    tls: options.tls,
    clock,
    logger,
    resolvePod: resolveLog,
  });
  let logPort: number;
  try {
    logPort = await logServer.start();
  } catch (error) {
    throw new StartupError(`node agent: cannot listen for logs on port ${options.port}: ${(error as Error).message}`, { cause: error });
  }
  const agent = new NodeAgent({
    clients, informers, runtime, clock, logger, recorder,
    nodeName: flags.nodeName,
    dataDir,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    // The kubelet renews its lease every quarter of the lease duration (10 s of 40 s).
    renewIntervalMs: (flags.nodeLeaseDurationSeconds * 1000) / 4,
    statusUpdateIntervalMs: flags.nodeStatusUpdateFrequencyMs,
    volumeResyncMs: flags.volumeResyncPeriodMs,
    systemReserved: flags.systemReserved,
    daemonPort: logPort,
    dns,
    // Hollow containers have no files, and without root the process runtime cannot mount one.
    manageEtcHosts: runtime.name !== 'fake' && process.getuid?.() === 0,
    ...(options.address && options.address !== '0.0.0.0' ? { address: options.address } : {}),
  });
  started.agent = agent;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  informers.start(controller.signal);
  const running = agent.run(controller.signal).catch((error: unknown) => logger.error({ err: error }, 'node agent failed'));
  const sampling = usage.run(controller.signal);
  const nodeIP = options.address && options.address !== '0.0.0.0' ? options.address : defaultNodeAddress();
  const proxying = startServiceProxy({ flags, runtime, informers, nodeIP, clock, logger, signal: controller.signal });
  const dnsServed = servesClusterDns(flags, runtime, process.getuid?.());
  const resolving = startClusterDns({ served: dnsServed, settings: dns, informers, stateDir: dataDir, logger, signal: controller.signal });
  logger.info({ node: flags.nodeName, runtime: runtime.name, logPort, dataDir, clusterDns: dnsServed ? dns.clusterDns[0] : 'none' }, 'node agent starting');
  return {
    nodeName: flags.nodeName,
    logPort,
    async stop() {
      controller.abort();
      await running;
      await sampling;
      await proxying;
      await resolving;
      execRoute.close();
      attachRoute.close();
      portForwardRoute.close();
      await logServer.close();
      if (flags.stopPodsOnExit) {
        await stopAllPods(runtime, logger);
        await agent.removeMemoryVolumes();
      }
      await runtime.close();
    },
  };
}
