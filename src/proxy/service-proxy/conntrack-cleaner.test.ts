import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../lib/logger.js';
import type { CommandResult } from '../../lib/command-runner.js';
import { ConntrackCleaner, type ConntrackHost } from './conntrack-cleaner.js';
import type { ServicePortPlan } from './service-port-plan.js';

const plan = (ips: readonly string[]): ServicePortPlan => ({
  name: 'default/dns', protocol: 'UDP', clusterIP: '10.43.0.10', port: 53, nodePort: 0, externalIPs: [], endpoints: ips.map((ip) => ({ ip, port: 53 })),
});

/** Records the calls; answers each `-D` with `answer`. */
class FakeConntrack implements ConntrackHost {
  readonly calls: string[] = [];
  private readonly answer: (args: readonly string[]) => Promise<CommandResult>;
  constructor(answer: (args: readonly string[]) => Promise<CommandResult>) {
    this.answer = answer;
  }
  conntrack(args: readonly string[]): Promise<CommandResult> {
    this.calls.push(args.join(' '));
    return this.answer(args);
  }
}

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => { level: number; msg: string }[] } {
  let text = '';
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  return { logger: createLogger({ level: 'debug', destination: sink }), lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

const result = (code: number, stderr = ''): Promise<CommandResult> => Promise.resolve({ code, stdout: '', stderr });
const NOTHING_MATCHED = 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n';

describe('ConntrackCleaner', () => {
  it('runs one delete per stale filter; "nothing matched" (exit 1) is not an error', async () => {
    const host = new FakeConntrack((args) => (args[0] === '--version' ? result(0) : result(1, NOTHING_MATCHED)));
    const log = capture();
    const cleaner = new ConntrackCleaner({ host, logger: log.logger });
    assert.equal(await cleaner.clean([plan(['10.99.0.2', '10.99.0.3'])], [plan(['10.99.0.3'])]), 1);
    assert.deepEqual(host.calls, ['--version', '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 53']);
    assert.deepEqual(log.lines().filter((l) => l.level >= 40), []);
  });

  it('runs nothing (not even the probe) when nothing is stale', async () => {
    const host = new FakeConntrack(() => result(0));
    assert.equal(await new ConntrackCleaner({ host, logger: capture().logger }).clean([plan(['10.99.0.2'])], [plan(['10.99.0.2'])]), 0);
    assert.deepEqual(host.calls, []);
  });

  it('a failing delete is logged as an error and never thrown; the other deletes still run', async () => {
    const host = new FakeConntrack((args) => (args[0] === '--version' ? result(0) : args.includes('10.99.0.2') ? Promise.reject(new Error('spawn failed')) : result(2, 'unknown option')));
    const log = capture();
    const cleaner = new ConntrackCleaner({ host, logger: log.logger });
    assert.equal(await cleaner.clean([plan(['10.99.0.2', '10.99.0.3'])], [plan([])]), 2);
    assert.equal(host.calls.length, 3);
    assert.deepEqual(log.lines().filter((l) => l.level === 50).map((l) => l.msg), ['could not delete stale conntrack entries', 'could not delete stale conntrack entries']);
  });

  it('without the binary: one warning, then cleaning is off', async () => {
    const host = new FakeConntrack((args) => (args[0] === '--version' ? result(1, 'exec of "conntrack" failed: No such file or directory') : result(0)));
    const log = capture();
    const cleaner = new ConntrackCleaner({ host, logger: log.logger });
    assert.equal(await cleaner.clean([], [plan(['10.99.0.2'])]), 0);
    assert.equal(await cleaner.clean([plan(['10.99.0.2'])], [plan(['10.99.0.3'])]), 0);
    assert.deepEqual(host.calls, ['--version']);
    assert.equal(log.lines().filter((l) => l.level === 40).length, 1);
  });
});
