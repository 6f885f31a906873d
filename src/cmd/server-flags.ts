// `k8ts server` flags: parsed and validated once here, with defaults applied (DESIGN.md: options
// are resolved in cmd/).
import { homedir } from 'node:os';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePortRange, parseServiceCidr, RangeSpecError } from '../apiserver/registry/service-allocation/allocation-range.js';
import { isLogLevel, type LogLevel } from '../lib/logger.js';
import { parseDurationMs } from './duration-flag.js';
import { GATEWAY_OPTIONS, GATEWAY_USAGE, parseGatewayFlags, type GatewayFlags } from './gateway-flags.js';
import { NODE_AGENT_OPTIONS, NODE_AGENT_USAGE, parseNodeAgentFlags, type NodeAgentFlags } from './node-flags.js';
import { UsageError } from './usage-error.js';

export type StoreSpec =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'etcd'; readonly endpoints: readonly string[] };

export interface ServerFlags {
  readonly dataDir: string;
  readonly port: number;
  readonly address: string;
  readonly advertiseAddress?: string;
  readonly store: StoreSpec;
  readonly logLevel: LogLevel;
  /** The in-process controller manager and scheduler; absent with --no-controllers. */
  readonly controllers?: ControllerFlags;
  /** The embedded node agent; absent with --no-agent. */
  readonly agent?: NodeAgentFlags;
  /** Where Service cluster IPs come from, normalized (`10.43.0.0/16`). */
  readonly serviceClusterIpRange: string;
  /** Where Service node ports come from (`30000-32767`). */
  readonly serviceNodePortRange: string;
  /** How long Events are kept after they were last seen (--event-ttl; upstream's default 1h). */
  readonly eventTtlMs: number;
  /** The built-in gateway; absent with --no-gateway. */
  readonly gateway?: GatewayFlags;
}

export interface ControllerFlags {
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
  /**
   * The scheduler on its own thread (default) rather than on the API server's event loop
   * (--no-scheduler-thread, or K8TS_SCHEDULER_THREAD=0). Only used with the system clock.
   */
  readonly schedulerThread: boolean;
}

export const SERVER_USAGE = `Usage: k8ts server [flags]

Starts the Kubernetes-compatible API server. On first start it creates DATA_DIR with a CA and
serving certificate (pki/), an admin token, and a kubeconfig for kubectl.

Flags:
  --data-dir DIR            state, certificates and kubeconfig (default ~/.k8ts)
  --port N                  HTTPS port (default 6443)
  --address IP              address to listen on (default 127.0.0.1: only this machine;
                            use 0.0.0.0 to accept other machines, as upstream does)
  --advertise-address IP    extra address for the serving certificate (other machines reach us by it)
  --store sqlite|memory|etcd://host:port[,host:port]
                            where state lives (default sqlite at DATA_DIR/state.db)
  --log-level LEVEL         fatal|error|warn|info|debug|trace|silent (default info, or $K8TS_LOG_LEVEL)
  --service-cluster-ip-range CIDR
                            IPv4 range Service cluster IPs are allocated from (default 10.43.0.0/16;
                            the \`kubernetes\` Service gets its first address)
  --service-node-port-range RANGE
                            ports NodePort and LoadBalancer Services are given (default 30000-32767)
  --event-ttl DURATION      how long Events are kept after they were last seen (default 1h0m0s)

Controllers and scheduler (run in this process, by the elected leader among servers):
  --no-controllers          run neither the controller manager nor the scheduler
  --node-monitor-grace-period DURATION
                            a node whose agent is silent this long becomes NotReady (default 50s)
  --node-startup-grace-period DURATION
                            the same for a node that never reported Ready (default 60s)
  --no-scheduler-thread     run the scheduler on the API server's thread instead of its own
                            (also K8TS_SCHEDULER_THREAD=0)

Embedded node agent (this machine as a node):
  --no-agent                do not run a node agent in this process
${NODE_AGENT_USAGE}

${GATEWAY_USAGE}

  -h, --help                show this help
`;

/** `etcd://a:2379,b:2379` into client endpoints (`http://a:2379`, ...). */
export function parseStoreSpec(value: string): StoreSpec {
  if (value === 'sqlite' || value === 'memory') return { kind: value };
  const match = /^etcd:\/\/(.+)$/.exec(value);
  if (match?.[1]) {
    const endpoints = match[1].split(',').map((hostPort) => hostPort.trim());
    for (const hostPort of endpoints) {
      if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(hostPort)) {
        throw new UsageError(`invalid --store ${JSON.stringify(value)}: ${JSON.stringify(hostPort)} is not host:port`);
      }
    }
    return { kind: 'etcd', endpoints: endpoints.map((hostPort) => `http://${hostPort}`) };
  }
  throw new UsageError(`invalid --store ${JSON.stringify(value)}: use sqlite, memory, or etcd://host:port[,host:port]`);
}

/** undefined: --help was asked for. */
export function parseServerFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerFlags | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        address: { type: 'string' },
        'advertise-address': { type: 'string' },
        store: { type: 'string' },
        'log-level': { type: 'string' },
        'service-cluster-ip-range': { type: 'string' },
        'service-node-port-range': { type: 'string' },
        'event-ttl': { type: 'string' },
        'no-controllers': { type: 'boolean' },
        'node-monitor-grace-period': { type: 'string' },
        'node-startup-grace-period': { type: 'string' },
        'no-scheduler-thread': { type: 'boolean' },
        'no-agent': { type: 'boolean' },
        ...NODE_AGENT_OPTIONS,
        ...GATEWAY_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unknown flag: ${flag}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument: ${/'([^']+)'/.exec(message)?.[1] ?? message}`);
    throw new UsageError(message);
  }
  const values = parsed.values;
  if (values.help) return undefined;

  const port = Number(values.port ?? '6443');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`invalid --port ${JSON.stringify(values.port)}: must be 1-65535`);
  const address = values.address ?? '127.0.0.1';
  if (isIP(address) === 0) throw new UsageError(`invalid --address ${JSON.stringify(address)}: must be an IP address`);
  const advertise = values['advertise-address'];
  if (advertise !== undefined && isIP(advertise) === 0) {
    throw new UsageError(`invalid --advertise-address ${JSON.stringify(advertise)}: must be an IP address`);
  }
  const logLevel = values['log-level'] ?? env.K8TS_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`invalid --log-level ${JSON.stringify(logLevel)}: use fatal, error, warn, info, debug, trace or silent`);
  const dataDir = values['data-dir'] ?? resolve(homedir(), '.k8ts');
  const controllers: ControllerFlags = {
    nodeMonitorGracePeriodMs: parseDurationMs('--node-monitor-grace-period', values['node-monitor-grace-period'] ?? '50s'),
    nodeStartupGracePeriodMs: parseDurationMs('--node-startup-grace-period', values['node-startup-grace-period'] ?? '60s'),
    schedulerThread: values['no-scheduler-thread'] !== true && !isOff(env.K8TS_SCHEDULER_THREAD),
  };
  const agent = parseNodeAgentFlags(values);
  const gateway = parseGatewayFlags(values);
  const serviceClusterIpRange = parseRangeFlag('--service-cluster-ip-range', values['service-cluster-ip-range'] ?? '10.43.0.0/16', parseServiceCidr);
  const serviceNodePortRange = parseRangeFlag('--service-node-port-range', values['service-node-port-range'] ?? '30000-32767', parsePortRange);
  const eventTtlMs = parseDurationMs('--event-ttl', values['event-ttl'] ?? '1h');
  if (eventTtlMs <= 0) throw new UsageError(`invalid --event-ttl ${JSON.stringify(values['event-ttl'])}: must be positive`);
  return {
    dataDir: resolve(dataDir.replace(/^~(?=$|\/)/, homedir())),
    port,
    address,
    ...(advertise !== undefined ? { advertiseAddress: advertise } : {}),
    store: parseStoreSpec(values.store ?? 'sqlite'),
    logLevel,
    ...(values['no-controllers'] ? {} : { controllers }),
    ...(values['no-agent'] ? {} : { agent }),
    serviceClusterIpRange,
    serviceNodePortRange,
    eventTtlMs,
    ...(gateway ? { gateway } : {}),
  };
}

/** An environment switch set to off (`0`, `false`, `no`, `off`). */
function isOff(value: string | undefined): boolean {
  return value !== undefined && ['0', 'false', 'no', 'off'].includes(value.trim().toLowerCase());
}

/** A range flag in its normalized form (`10.43.7.0/16` -> `10.43.0.0/16`). */
function parseRangeFlag(flag: string, value: string, parse: (text: string) => { text: string }): string {
  try {
    return parse(value).text;
  } catch (error) {
    if (error instanceof RangeSpecError) throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: ${error.message}`);
    throw error;
  }
}
