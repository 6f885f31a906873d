// Flags of the built-in L7 gateway (Gateway API data plane) that `k8ts server` runs.
import { isIP } from 'node:net';
import { UsageError } from './usage-error.js';

export interface GatewayFlags {
  /** Address the Gateway listeners bind (--gateway-address). */
  readonly address: string;
  /** Port of the admin endpoint (GET /metrics, /stats) on 127.0.0.1; 0: a free port. */
  readonly adminPort: number;
  /** Data-plane worker processes; absent: one per core. */
  readonly workers?: number;
}

export const GATEWAY_OPTIONS = {
  'gateway-address': { type: 'string' },
  'gateway-admin-port': { type: 'string' },
  'gateway-workers': { type: 'string' },
  'no-gateway': { type: 'boolean' },
} as const;

export const GATEWAY_USAGE = `Built-in gateway (serves Gateway API HTTPRoutes; its worker processes start with the first Gateway):
  --no-gateway              do not run the gateway
  --gateway-address IP      address the Gateways' listeners bind (default 127.0.0.1)
  --gateway-admin-port N    admin endpoint on 127.0.0.1: GET /metrics (Prometheus) and
                            /stats?service=ns/name (default 9080)
  --gateway-workers N       data-plane worker processes (default: one per core)`;

/** undefined: --no-gateway. */
export function parseGatewayFlags(values: {
  readonly 'gateway-address'?: string | undefined;
  readonly 'gateway-admin-port'?: string | undefined;
  readonly 'gateway-workers'?: string | undefined;
  readonly 'no-gateway'?: boolean | undefined;
}): GatewayFlags | undefined {
  if (values['no-gateway']) return undefined;
  const address = values['gateway-address'] ?? '127.0.0.1';
  if (isIP(address) === 0) throw new UsageError(`invalid --gateway-address ${JSON.stringify(address)}: must be an IP address`);
  const adminPort = Number(values['gateway-admin-port'] ?? '9080');
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535) {
    throw new UsageError(`invalid --gateway-admin-port ${JSON.stringify(values['gateway-admin-port'])}: must be 0-65535`);
  }
  const workersText = values['gateway-workers'];
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 256)) {
    throw new UsageError(`invalid --gateway-workers ${JSON.stringify(workersText)}: must be 1-256`);
  }
  return { address, adminPort, ...(workers !== undefined ? { workers } : {}) };
}
