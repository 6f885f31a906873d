// The scheduler thread's entry (a worker_threads Worker started by scheduler-thread.ts): the same
// Scheduler as in-process, with its informers and event recorder, reaching the API through a
// PortClientSet instead of the in-process client. Runs until the launcher posts `stop`; a failure
// ends the thread with exit code 1, and the launcher restarts it.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiEventRecorder } from '../client/events/api-event-recorder.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import { PortClientSet } from '../client/port/port-client-set.js';
import { EVENTS } from '../client/resource-types.js';
import { systemClock } from '../lib/clock.js';
import { DEFAULT_SCHEDULER_NAME, Scheduler } from '../scheduler/scheduler.js';
import { isStopMessage, threadLogger, type SchedulerThreadData } from './scheduler-thread-protocol.js';

async function runThread(): Promise<void> {
  const control = parentPort;
  if (!control) throw new Error('scheduler-thread-main runs as a worker thread');
  const data = workerData as SchedulerThreadData;
  const logger = threadLogger(data.logLevel, (line) => control.postMessage({ t: 'log', line }));
  const clients = new PortClientSet({ port: data.port });
  const controller = new AbortController();
  const onControl = (message: unknown): void => {
    if (isStopMessage(message)) controller.abort();
  };
  control.on('message', onControl);
  try {
    await new Scheduler({
      clients,
      informers: new SharedInformerFactory({ clients, logger }),
      clock: systemClock,
      logger,
      recorder: new ApiEventRecorder({ events: clients.resource(EVENTS), clock: systemClock, logger, component: DEFAULT_SCHEDULER_NAME }),
    }).run(controller.signal);
    if (!controller.signal.aborted) throw new Error('the scheduler returned without being stopped');
  } catch (error) {
    logger.error({ err: error }, 'scheduler failed');
    process.exit(1);
  } finally {
    // Nothing left that keeps the thread alive: it ends once the scheduler's work has drained.
    control.off('message', onControl);
    clients.close();
  }
}

void runThread();
