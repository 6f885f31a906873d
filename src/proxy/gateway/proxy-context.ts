// What a gateway worker hands every client connection: the routing of the current table, the
// upstream pools, the backend picker, the metrics recorder and the in-flight exchange count. Its own
// module so that the layers of a connection (client-connection.ts, upstream-exchange.ts,
// proxy-connection.ts) and the worker that implements it share the contract without importing each
// other.
import type { Logger } from '../../lib/logger.js';
import type { BackendPicker } from './backend-picker.js';
import type { BackendMetricsRecorder } from './backend-metrics.js';
import type { ListenerMatcher } from './route-matcher.js';
import type { GatewayEndpoint } from './route-table.js';
import type { EndpointPool } from './upstream-pool.js';

/** The routing of one listener in one table version. */
export interface ListenerRouting {
  readonly matcher: ListenerMatcher;
}

/** What the worker gives every connection. */
export interface ProxyContext {
  routing(port: number): ListenerRouting | undefined;
  poolFor(endpoint: GatewayEndpoint): EndpointPool;
  readonly picker: BackendPicker;
  readonly metrics: BackendMetricsRecorder;
  readonly logger: Logger;
  /** Counts exchanges in progress (for graceful shutdown). */
  exchangeStarted(): void;
  exchangeEnded(): void;
}
