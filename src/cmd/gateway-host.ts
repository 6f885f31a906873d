// The built-in gateway as `k8ts server` runs it: the control loop (informers through the client
// module -> route tables), the supervisor of the data-plane worker processes, and the admin
// endpoint serving the merged metrics. Worker processes are forked only once a table has a
// listener, so a cluster without Gateways pays nothing for it.
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import type { ClientSet } from '../client/resource-client.js';
import type { ListenerHealth } from '../controllers/gateway-status/listener-health.js';
import type { Clock } from '../lib/clock.js';
import { componentLogger, type Logger, type LogLevel } from '../lib/logger.js';
import { AdminServer } from '../proxy/gateway/admin-server.js';
import { GatewayControl } from '../proxy/gateway/gateway-control.js';
import { GatewaySupervisor } from '../proxy/gateway/gateway-supervisor.js';
import type { GatewayFlags } from './gateway-flags.js';

export interface GatewayHostOptions {
  readonly clients: ClientSet;
  readonly flags: GatewayFlags;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly logLevel: LogLevel;
}

export interface RunningGateway {
  /** The admin endpoint's port (undefined when it could not bind). */
  readonly adminPort: number | undefined;
  /** Which listener ports the data plane could not bind, for the Gateway status controller. */
  readonly listenerHealth: ListenerHealth;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayHostOptions): Promise<RunningGateway> {
  const logger = componentLogger(options.logger, 'gateway');
  const supervisor = new GatewaySupervisor({
    address: options.flags.address,
    logger,
    workerLogLevel: options.logLevel,
    ...(options.flags.workers !== undefined ? { workers: options.flags.workers } : {}),
  });
  const admin = new AdminServer({ address: '127.0.0.1', port: options.flags.adminPort, clock: options.clock, logger, snapshot: () => supervisor.snapshot() });
  let adminPort: number | undefined;
  try {
    await admin.listen();
    adminPort = admin.port;
  } catch (error) {
    // Metrics are not worth refusing to start over (e.g. two servers on one machine): say so.
    logger.warn({ err: error, port: options.flags.adminPort }, 'cannot bind the gateway admin endpoint; pass --gateway-admin-port');
  }
  const abort = new AbortController();
  const control = new GatewayControl({
    informers: new SharedInformerFactory({ clients: options.clients, logger }),
    onTable: (table) => supervisor.applyTable(table),
    logger,
  });
  const started = control.start(abort.signal).catch((error: unknown) => {
    if (!abort.signal.aborted) logger.error({ err: error }, 'gateway control loop failed');
  });
  logger.info({ address: options.flags.address, adminPort }, 'gateway running');
  return {
    adminPort,
    listenerHealth: supervisor,
    stop: async () => {
      abort.abort();
      await started;
      await supervisor.stop();
      if (adminPort !== undefined) await admin.close();
    },
  };
}
