// `k8ts agent` flags: parsed and validated once here, with defaults applied.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isLogLevel, type LogLevel } from '../lib/logger.js';
import { NODE_AGENT_OPTIONS, NODE_AGENT_USAGE, parseNodeAgentFlags, type NodeAgentFlags } from './node-flags.js';
import { UsageError } from './usage-error.js';

export interface AgentFlags {
  readonly server: string;
  readonly token: string;
  /** PEM of the API server's CA; absent with --insecure-skip-tls-verify. */
  readonly ca?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly dataDir: string;
  /** Where the log server listens; also the node's InternalIP unless 0.0.0.0. */
  readonly address: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly node: NodeAgentFlags;
}

export const AGENT_USAGE = `Usage: k8ts agent --server URL --token TOKEN [flags]

Runs a node agent: registers this machine as a Node of the cluster at URL, renews its Lease,
and runs the pods the scheduler binds to it.

Flags:
  --server URL              the API server (https://host:6443)
  --token TOKEN             bearer token (the server's DATA_DIR/token), or $K8TS_TOKEN
  --ca-file FILE            CA certificate that signed the server's certificate (DATA_DIR/pki/ca.crt)
  --insecure-skip-tls-verify
                            do not verify the server's certificate
  --data-dir DIR            agent state: runtime state, pod volumes, logs (default ~/.k8ts-agent)
  --address IP              address of the log server, and the node's InternalIP (default 0.0.0.0:
                            all addresses; the node then reports its first non-loopback IPv4)
  --port N                  log server port (default 10250, the kubelet's)
  --log-level LEVEL         fatal|error|warn|info|debug|trace|silent (default info, or $K8TS_LOG_LEVEL)
${NODE_AGENT_USAGE}  -h, --help                show this help
`;

/** undefined: --help was asked for. */
export function parseAgentFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>): AgentFlags | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        'ca-file': { type: 'string' },
        'insecure-skip-tls-verify': { type: 'boolean' },
        'data-dir': { type: 'string' },
        address: { type: 'string' },
        port: { type: 'string' },
        'log-level': { type: 'string' },
        ...NODE_AGENT_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = (error as Error).message;
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag: ${/'([^']+)'/.exec(message)?.[1] ?? message}`);
    throw new UsageError(message);
  }
  const values = parsed.values;
  if (values.help) return undefined;

  const server = values.server;
  if (server === undefined) throw new UsageError('--server is required (the API server URL, e.g. https://10.0.0.1:6443)');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`invalid --server ${JSON.stringify(server)}: must be a URL such as https://10.0.0.1:6443`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`invalid --server ${JSON.stringify(server)}: use https://`);
  const token = values.token ?? env.K8TS_TOKEN;
  if (!token) throw new UsageError('--token is required (the server writes it to DATA_DIR/token)');
  const insecure = values['insecure-skip-tls-verify'] === true;
  const caFile = values['ca-file'];
  if (caFile !== undefined && insecure) throw new UsageError('--ca-file and --insecure-skip-tls-verify exclude each other');
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --ca-file ${caFile}: ${(error as Error).message}`);
    }
  }
  const address = values.address ?? '0.0.0.0';
  if (isIP(address) === 0) throw new UsageError(`invalid --address ${JSON.stringify(address)}: must be an IP address`);
  const port = Number(values.port ?? '10250');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port ${JSON.stringify(values.port)}: must be 0-65535`);
  const logLevel = values['log-level'] ?? env.K8TS_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`invalid --log-level ${JSON.stringify(logLevel)}`);
  const dataDir = values['data-dir'] ?? resolve(homedir(), '.k8ts-agent');
  return {
    server: url.origin,
    token,
    ...(ca !== undefined ? { ca } : {}),
    insecureSkipTlsVerify: insecure,
    dataDir: resolve(dataDir.replace(/^~(?=$|\/)/, homedir())),
    address,
    port,
    logLevel,
    node: parseNodeAgentFlags(values),
  };
}
