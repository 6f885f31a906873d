import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { LogRequestError, LogServer, parseLogQuery } from './log-server.js';

describe('parseLogQuery', () => {
  it('turns sinceSeconds into a time and rejects bad numbers', () => {
    const now = new Date('2025-01-01T00:01:00Z');
    const q = parseLogQuery(new URLSearchParams('follow=true&tailLines=5&sinceSeconds=60&previous=1'), now);
    assert.deepEqual(q, { follow: true, previous: true, timestamps: false, tailLines: 5, sinceTime: new Date('2025-01-01T00:00:00Z') });
    assert.throws(() => parseLogQuery(new URLSearchParams('tailLines=-1'), now), LogRequestError);
  });
});

describe('LogServer', () => {
  let dir = '';
  let server: LogServer;
  let base = '';
  const asked: [string, string, string, boolean][] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-log-server-'));
    await writeFile(join(dir, '0.log'), '2025-01-01T00:00:00Z stdout F zero\n');
    await writeFile(join(dir, '1.log'), '2025-01-01T00:00:01Z stdout F one\n2025-01-01T00:00:02Z stderr F two\n');
    server = new LogServer({
      port: 0,
      address: '127.0.0.1',
      token: 'tok',
      logger: silentLogger(),
      clock: new FakeClock(),
      resolvePod: (ns, pod, container, previous) => {
        asked.push([ns, pod, container, previous]);
        if (pod === 'waiting') return Promise.reject(new LogRequestError(400, `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`));
        if (pod !== 'web') return Promise.resolve(undefined);
        return Promise.resolve({ logPath: join(dir, previous ? '0.log' : '1.log') });
      },
    });
    base = `http://127.0.0.1:${await server.start()}/containerLogs/default`;
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, token = 'tok') => fetch(`${base}/${path}`, { headers: { Authorization: `Bearer ${token}` } });

  it('serves the log as text/plain with the options applied', async () => {
    const response = await get('web/app?tailLines=1&timestamps=true');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(await response.text(), '2025-01-01T00:00:02.000000000Z two\n');
    assert.deepEqual(asked.at(-1), ['default', 'web', 'app', false]);
  });

  it('previous=true asks for the previous attempt', async () => {
    assert.equal(await (await get('web/app?previous=true')).text(), 'zero\n');
  });

  it('rejects a wrong token and reports unknown pods and resolver errors', async () => {
    assert.equal((await get('web/app', 'bad')).status, 401);
    assert.equal((await get('nope/app')).status, 404);
    const waiting = await get('waiting/app');
    assert.equal(waiting.status, 400);
    assert.equal(await waiting.text(), 'container "app" in pod "waiting" is waiting to start: ContainerCreating');
  });
});
