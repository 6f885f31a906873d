import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { pino } from 'pino';
import type { KubeObject } from '../api/object.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { NODES, PODS } from '../client/resource-types.js';
import type { Logger } from '../lib/logger.js';
import { makeNode, makePod } from '../scheduler/testing/fixtures.js';
import { runSchedulerThread } from './scheduler-thread.js';

/** A logger whose records land in `lines` (parsed). */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger: logger.child({ component: 'scheduler' }), lines };
}

/** A worker entry written as plain ESM (no loader needed): `body` runs with parentPort and workerData in scope. */
function scriptEntry(body: string): { file: URL; execArgv: string[] } {
  const source = `import { parentPort, workerData } from 'node:worker_threads';\n${body}`;
  return { file: new URL(`data:text/javascript,${encodeURIComponent(source)}`), execArgv: [] };
}

const LOG = (msg: string, level = 30): string => `parentPort.postMessage({ t: 'log', line: JSON.stringify({ level: ${level}, msg: ${JSON.stringify(msg)}, from: 'thread' }) });`;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await delay(50);
  assert.ok(check(), what);
}

describe('scheduler thread', () => {
  it('runs the real scheduler on a thread: it binds a pending pod through the served client set, and stops when told', async () => {
    const clients = new FakeClientSet();
    clients.seed(NODES, makeNode('node-1') as KubeObject);
    clients.seed(PODS, makePod('web', { cpu: '100m' }) as KubeObject);
    const { logger, lines } = capturingLogger();
    const controller = new AbortController();
    const running = runSchedulerThread({ clients, logger, graceMs: 20_000 }, controller.signal);
    const nodeOfWeb = async (): Promise<string | undefined> => ((await clients.resource<Pod & KubeObject>(PODS).get('default', 'web')).spec?.nodeName);
    let bound: string | undefined;
    for (let i = 0; i < 600 && bound === undefined; i++) {
      await delay(50);
      bound = await nodeOfWeb();
    }
    assert.equal(bound, 'node-1');
    // The thread's records reach this logger, under its component, at their level.
    assert.ok(lines.some((line) => line['msg'] === 'scheduler started' && line['component'] === 'scheduler' && line['level'] === 30));
    controller.abort();
    await running;
    assert.ok(!lines.some((line) => line['msg'] === 'scheduler thread did not stop in time, terminating it'), 'stopped gracefully');
    assert.ok(!lines.some((line) => line['msg'] === 'scheduler thread died, restarting it'));
  });

  it('restarts a thread that dies, and logs why', async () => {
    const { logger, lines } = capturingLogger();
    const controller = new AbortController();
    const entry = scriptEntry(`${LOG('thread up')} throw new Error('boom');`);
    const running = runSchedulerThread({ clients: new FakeClientSet(), logger, restartDelayMs: 10, entry }, controller.signal);
    await until(() => lines.filter((line) => line['msg'] === 'thread up').length >= 3, 'the thread was started again after dying');
    controller.abort();
    await running;
    const died = lines.filter((line) => line['msg'] === 'scheduler thread died, restarting it');
    assert.ok(died.length >= 2);
    assert.equal(died[0]?.['level'], 50);
    assert.equal((died[0]?.['err'] as { message?: string } | undefined)?.message, 'boom');
    assert.equal(lines.find((line) => line['msg'] === 'thread up')?.['from'], 'thread');
  });

  it('terminates a thread that ignores stop after the grace period', async () => {
    const { logger, lines } = capturingLogger();
    const controller = new AbortController();
    // Keeps itself alive and never reacts to `stop`.
    const entry = scriptEntry(`${LOG('thread up')} parentPort.on('message', () => {}); setInterval(() => {}, 1000);`);
    const running = runSchedulerThread({ clients: new FakeClientSet(), logger, graceMs: 50, entry }, controller.signal);
    await until(() => lines.some((line) => line['msg'] === 'thread up'), 'the thread started');
    controller.abort();
    await running;
    assert.ok(lines.some((line) => line['msg'] === 'scheduler thread did not stop in time, terminating it'));
    assert.equal(lines.filter((line) => line['msg'] === 'thread up').length, 1, 'not restarted after a stop');
  });

  it('lets a thread that stops on request end without being terminated or restarted', async () => {
    const { logger, lines } = capturingLogger();
    const controller = new AbortController();
    const entry = scriptEntry(`${LOG('thread up')} const onStop = (message) => { if (message.t === 'stop') { ${LOG('stopping', 20)} parentPort.off('message', onStop); workerData.port.close(); } }; parentPort.on('message', onStop);`);
    const running = runSchedulerThread({ clients: new FakeClientSet(), logger, graceMs: 20_000, entry }, controller.signal);
    await until(() => lines.some((line) => line['msg'] === 'thread up'), 'the thread started');
    controller.abort();
    await running;
    assert.equal(lines.find((line) => line['msg'] === 'stopping')?.['level'], 20);
    assert.ok(!lines.some((line) => String(line['msg']).startsWith('scheduler thread')));
  });
});
