import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedNanoTimestamp, parseCriLine, readCriLog, type FollowControl, type LogReadOptions } from './cri-log-reader.js';

const FIXTURE = [
  '2016-10-06T00:17:09.669794202Z stdout F first',
  '2016-10-06T00:17:10.1Z stderr F an error',
  'garbage line',
  '2016-10-06T00:17:11Z stdout P long ',
  '2016-10-06T00:17:11.5Z stdout P line ',
  '2016-10-06T00:17:12Z stdout F joined',
  '2016-10-06T00:17:13.000000001Z stdout F  leading space',
  '2016-10-06T00:17:14Z stdout P unfinished',
  '',
].join('\n');

describe('parseCriLine', () => {
  it('splits time, stream, tag and content (content keeps its spaces)', () => {
    assert.deepEqual(parseCriLine('2016-10-06T00:17:09.669794202Z stdout F  a  b '), {
      time: '2016-10-06T00:17:09.669794202Z', stream: 'stdout', partial: false, content: ' a  b ',
    });
    assert.equal(parseCriLine('2016-10-06T00:17:09Z stderr P x')?.partial, true);
    assert.equal(parseCriLine('2016-10-06T00:17:09Z stdout F')?.content, '');
    assert.equal(parseCriLine('nonsense'), undefined);
    assert.equal(parseCriLine('2016-10-06T00:17:09Z stdin F x'), undefined);
  });

  it('pads timestamps to nine fraction digits', () => {
    assert.equal(fixedNanoTimestamp('2016-10-06T00:17:10.1Z'), '2016-10-06T00:17:10.100000000Z');
    assert.equal(fixedNanoTimestamp('2016-10-06T00:17:11Z'), '2016-10-06T00:17:11.000000000Z');
  });
});

describe('readCriLog', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cri-log-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, '0.log');
  await writeFile(file, FIXTURE);

  async function read(options: LogReadOptions, path = file, control?: FollowControl): Promise<string> {
    let out = '';
    for await (const chunk of readCriLog(path, options, control)) out += chunk;
    return out;
  }

  it('joins partial records, merges streams, skips malformed lines, ends with an unfinished line', async () => {
    assert.equal(await read({}), 'first\nan error\nlong line joined\n leading space\nunfinished');
  });

  it('tailLines counts joined lines', async () => {
    assert.equal(await read({ tailLines: 2 }), ' leading space\nunfinished');
    assert.equal(await read({ tailLines: 0 }), '');
  });

  it('timestamps prefix each line with the time of its first record, nine digits', async () => {
    const out = await read({ timestamps: true, tailLines: 3 });
    assert.equal(out, '2016-10-06T00:17:11.000000000Z long line joined\n2016-10-06T00:17:13.000000001Z  leading space\n2016-10-06T00:17:14.000000000Z unfinished');
  });

  it('sinceTime drops older lines', async () => {
    assert.equal(await read({ sinceTime: new Date('2016-10-06T00:17:10Z') }), 'an error\nlong line joined\n leading space\nunfinished');
  });

  it('limitBytes cuts the output', async () => {
    assert.equal(await read({ limitBytes: 8 }), 'first\nan');
  });

  it('a missing file is an empty log', async () => {
    assert.equal(await read({}, join(dir, 'none.log')), '');
  });

  it('follow streams new lines until the container stops', async () => {
    const live = join(dir, 'live.log');
    await writeFile(live, '2020-01-01T00:00:00Z stdout F one\n2020-01-01T00:00:01Z stdout P tw');
    let running = true;
    const chunks: string[] = [];
    const iterator = readCriLog(live, { follow: true, tailLines: 1 }, { isRunning: () => running, pollMs: 5 });
    const first = await iterator.next();
    chunks.push(String(first.value));
    await appendFile(live, '\n2020-01-01T00:00:02Z stdout F o\n2020-01-01T00:00:03Z stdout F three\n');
    const second = await iterator.next();
    chunks.push(String(second.value));
    running = false;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      chunks.push(next.value);
    }
    assert.deepEqual(chunks, ['one\n', 'two\n', 'three\n']);
  });

  it('follow is woken by a write, not by the next poll', async () => {
    const pushed = join(dir, 'pushed.log');
    await writeFile(pushed, '');
    const controller = new AbortController();
    // The poll comes after an hour: only the write can wake the follow. Given up (aborted) after
    // 10 s, the follow ends without the line.
    const iterator = readCriLog(pushed, { follow: true }, { isRunning: () => true, signal: controller.signal, pollMs: 3_600_000 });
    const next = iterator.next();
    const giveUp = setTimeout(() => controller.abort(), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await appendFile(pushed, '2020-01-01T00:00:00Z stdout F pushed\n');
    const first = await next;
    clearTimeout(giveUp);
    controller.abort();
    assert.equal(first.value, 'pushed\n');
    assert.equal((await iterator.next()).done, true);
  });

  it('follow ends when the signal aborts', async () => {
    const controller = new AbortController();
    const iterator = readCriLog(file, { follow: true, tailLines: 0 }, { isRunning: () => true, signal: controller.signal, pollMs: 5 });
    const pending = iterator.next();
    controller.abort();
    assert.equal((await pending).done, true);
  });
});
