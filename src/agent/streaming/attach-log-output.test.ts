import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ExecSession } from '../runtime/runtime.js';
import { followLogOutput } from './attach-log-output.js';

const line = (stream: 'stdout' | 'stderr', text: string): string => `2026-01-01T00:00:00.000000001Z ${stream} F ${text}\n`;

/** A runtime session with no output, whose end the test decides. */
function stdinOnlySession(): { session: ExecSession; end(): void; closed(): boolean } {
  let end: () => void = () => undefined;
  let closed = false;
  const exit = new Promise<number>((resolve) => (end = () => resolve(0)));
  return {
    session: { resize: () => undefined, exit, close: () => { closed = true; } },
    end: () => end(),
    closed: () => closed,
  };
}

function collect(stream: Readable | undefined): { text(): string } {
  let text = '';
  stream?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting: ${what}`);
}

describe('attach output from the log file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-attach-log-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('shows only what is written after the follow started, both streams merged, and ends when the container exits', async () => {
    const logPath = join(dir, 'exit.log');
    await writeFile(logPath, line('stdout', 'old'));
    let running = true;
    const output = await followLogOutput({ logPath, isRunning: () => running }, 5);
    // Written after followLogOutput resolved, before the session exists: still shown.
    await appendFile(logPath, line('stdout', 'first') + line('stderr', 'oops'));
    const fake = stdinOnlySession();
    const session = output.wrap(fake.session, false);
    assert.equal(session.stderr, undefined);
    const out = collect(session.stdout);
    await until('both lines', () => out.text() === 'first\noops\n');
    await appendFile(logPath, line('stdout', 'last'));
    running = false;
    assert.equal(await session.exit, 0);
    assert.equal(out.text(), 'first\noops\nlast\n');
    assert.ok(fake.closed(), 'the runtime session is released');
  });

  it('the runtime session ending while the container runs (a detach) ends the output after one last read', async () => {
    const logPath = join(dir, 'detach.log');
    await writeFile(logPath, '');
    const output = await followLogOutput({ logPath, isRunning: () => true }, 5);
    const fake = stdinOnlySession();
    const session = output.wrap(fake.session, true);
    assert.equal(session.stdout, undefined);
    const err = collect(session.stderr);
    await appendFile(logPath, line('stdout', 'before detach'));
    fake.end();
    assert.equal(await session.exit, 0);
    assert.equal(err.text(), 'before detach\n');
  });

  it('close() (the client left) cuts the follow at once', async () => {
    const logPath = join(dir, 'close.log');
    await writeFile(logPath, '');
    const output = await followLogOutput({ logPath, isRunning: () => true }, 5);
    const fake = stdinOnlySession();
    const session = output.wrap(fake.session, false);
    session.stdout?.resume();
    session.close();
    assert.ok(fake.closed());
    fake.end();
    assert.equal(await session.exit, 0);
  });
});
