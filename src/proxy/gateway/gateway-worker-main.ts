// Entry point of a gateway worker process (forked by gateway-supervisor.ts through node:cluster).
// It is a composition root of its own: it reads its settings from the environment the supervisor
// set, runs one GatewayWorker, and follows the supervisor's messages.
import { isLogLevel, createLogger, componentLogger } from '../../lib/logger.js';
import { GatewayWorker } from './gateway-worker.js';
import { isToWorker, WORKER_ENV, type FromWorker } from './gateway-ipc.js';

function send(message: FromWorker): void {
  process.send?.(message);
}

const level = process.env[WORKER_ENV.logLevel] ?? 'info';
const logger = componentLogger(createLogger({ level: isLogLevel(level) ? level : 'info' }), 'gateway-worker');
const worker = new GatewayWorker({ address: process.env[WORKER_ENV.address] ?? '127.0.0.1', logger });
// Tables are applied one at a time, in arrival order.
let applying: Promise<void> = Promise.resolve();

process.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  switch (message.type) {
    case 'gateway:table':
      applying = applying.then(async () => {
        try {
          const result = await worker.applyTable(message.table);
          send({ type: 'gateway:applied', version: result.version, bound: result.bound, failed: result.failed });
        } catch (error) {
          logger.error({ err: error, version: message.table.version }, 'cannot apply route table');
          send({ type: 'gateway:table-error', version: message.table.version, message: (error as Error).message });
        }
      });
      break;
    case 'gateway:snapshot':
      send({ type: 'gateway:snapshot', id: message.id, snapshot: worker.metrics.snapshot(Date.now()) });
      break;
    case 'gateway:shutdown':
      void worker.close(message.graceMs).then(() => process.exit(0));
      break;
  }
});
// The supervisor going away means we go too (no orphaned listeners).
process.on('disconnect', () => {
  void worker.close(1000).then(() => process.exit(0));
});
send({ type: 'gateway:ready' });
