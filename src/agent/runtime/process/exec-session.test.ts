import { strict as assert } from 'node:assert';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ExecStartError } from '../exec-start-error.js';
import { shellCommand, startExecSession, type ExecSessionOptions } from './exec-session.js';

const base: Omit<ExecSessionOptions, 'argv'> = {
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  cwd: '/',
  stdin: false,
  stderr: true,
  tty: false,
};

async function text(stream: Readable | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const isRoot = process.getuid?.() === 0;

describe('process exec session', () => {
  it('runs with pipes: stdout, stderr and the exit code', async () => {
    const session = await startExecSession({ ...base, argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    const [out, err, code] = await Promise.all([text(session.stdout), text(session.stderr), session.exit]);
    assert.equal(out, 'out\n');
    assert.equal(err, 'err\n');
    assert.equal(code, 3);
  });

  it('passes stdin through and ends it on end()', async () => {
    const session = await startExecSession({ ...base, stdin: true, argv: ['cat'] });
    assert.ok(session.stdin);
    session.stdin.end('hello\n');
    assert.equal(await text(session.stdout), 'hello\n');
    assert.equal(await session.exit, 0);
  });

  it('rejects a missing executable with runc wording', async () => {
    await assert.rejects(startExecSession({ ...base, argv: ['no-such-command-k8ts'] }), (error: unknown) => {
      assert.ok(error instanceof ExecStartError);
      assert.equal(error.message, 'exec: "no-such-command-k8ts": executable file not found in $PATH');
      return true;
    });
  });

  it('reports a command nsenter cannot execute as a start failure', { skip: isRoot ? false : 'needs root for nsenter' }, async () => {
    const session = await startExecSession({ ...base, argv: ['nsenter', '-t', String(process.pid), '-m', '--', 'no-such-command-k8ts'] });
    const err = text(session.stderr);
    await assert.rejects(session.exit, { message: 'exec: "no-such-command-k8ts": executable file not found in $PATH' });
    assert.equal(await err, '');
  });

  it('keeps ordinary stderr of an nsenter command', { skip: isRoot ? false : 'needs root for nsenter' }, async () => {
    const session = await startExecSession({ ...base, argv: ['nsenter', '-t', String(process.pid), '-m', '--', 'sh', '-c', 'echo oops >&2; exit 127'] });
    const [err, code] = await Promise.all([text(session.stderr), session.exit]);
    assert.equal(err, 'oops\n');
    assert.equal(code, 127);
  });

  it('gives a TTY: tty, TERM and the exit code', async () => {
    const session = await startExecSession({ ...base, tty: true, argv: ['sh', '-c', 'tty; echo "term=$TERM"; exit 4'] });
    assert.equal(session.stderr, undefined);
    const [out, code] = await Promise.all([text(session.stdout), session.exit]);
    assert.match(out, /^\/dev\/pts\/\d+\r\nterm=xterm\r\n$/);
    assert.equal(code, 4);
  });

  it('resizes the TTY', async () => {
    // The command watches its own window size (for up to 10 s) and reports what it ends with.
    const watch = 'i=0; while [ "$(stty size)" != "33 111" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; stty size';
    const session = await startExecSession({ ...base, tty: true, argv: ['sh', '-c', watch] });
    const out = text(session.stdout);
    session.resize(0, 0);
    session.resize(111, 33);
    assert.equal(await session.exit, 0);
    assert.equal(await out, '33 111\r\n');
  });

  it('ends a TTY command when stdin ends', async () => {
    const session = await startExecSession({ ...base, tty: true, stdin: true, argv: ['cat'] });
    session.stdin?.end('hi\n');
    const out = await text(session.stdout);
    assert.match(out, /hi\r\n/);
    assert.equal(await session.exit, 0);
  });

  it('close() ends the whole command', async () => {
    const session = await startExecSession({ ...base, argv: ['sh', '-c', 'sleep 30 | cat'] });
    const out = text(session.stdout);
    session.close();
    session.close();
    assert.equal(await session.exit, 137);
    assert.equal(await out, '');
  });

  it('close() ends a TTY command too (it has a session of its own under script)', async () => {
    const session = await startExecSession({ ...base, tty: true, argv: ['sh', '-c', 'echo "pid=$$"; exec sleep 30'] });
    let seen = '';
    const pid = await new Promise<number>((resolve) => {
      session.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        const match = /pid=(\d+)/.exec(seen);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
    });
    session.close();
    await session.exit;
    // Bounded wait for the kernel's SIGHUP to reach the command (not a timing assertion).
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(isAlive(pid), false);
  });

  it('quotes argv for the shell', () => {
    assert.equal(shellCommand(['echo', "it's", '$HOME']), `exec 'echo' 'it'\\''s' '$HOME'`);
  });
});
