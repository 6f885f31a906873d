import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CommandResult, CommandRunner } from '../lib/command-runner.js';
import { DnsAddress } from './dns-address.js';

/** `ip` over a set of addresses: enough of the host for ownership rules. */
class FakeIp implements CommandRunner {
  readonly addresses = new Set<string>(['127.0.0.1/8']);
  readonly calls: string[] = [];
  /** What the next `ip address add` answers, when set (another agent racing us). */
  addFails: CommandResult | undefined;

  run(command: string, args: readonly string[]): Promise<CommandResult> {
    this.calls.push(`${command} ${args.join(' ')}`);
    const ok = (stdout = ''): Promise<CommandResult> => Promise.resolve({ code: 0, stdout, stderr: '' });
    if (args.join(' ') === '-4 -o address show') return ok([...this.addresses].map((a, i) => `${i + 1}: lo    inet ${a} scope host lo\n`).join(''));
    const [, verb, cidr] = args;
    if (verb === 'add') {
      if (this.addFails) return Promise.resolve(this.addFails);
      this.addresses.add(cidr ?? '');
    }
    if (verb === 'del') this.addresses.delete(cidr ?? '');
    return ok();
  }
}

async function markerIn(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-dns-address-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'dns', 'lo-address-169.254.20.10');
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

describe('DnsAddress', () => {
  it('adds a missing address to lo as a /32 and removes it on release', async (t) => {
    const ip = new FakeIp();
    const markerPath = await markerIn(t);
    const address = new DnsAddress({ address: '169.254.20.10', runner: ip, markerPath });
    await address.acquire();
    assert.ok(ip.addresses.has('169.254.20.10/32'));
    assert.ok(ip.calls.includes('ip address add 169.254.20.10/32 dev lo'));
    assert.ok(await exists(markerPath));
    await address.acquire();
    assert.equal(ip.calls.filter((c) => c.includes(' add ')).length, 1, 'present: not added twice');
    await address.release();
    assert.ok(!ip.addresses.has('169.254.20.10/32'));
    assert.ok(!(await exists(markerPath)));
  });

  it('leaves an address it did not add where it is', async (t) => {
    const ip = new FakeIp();
    ip.addresses.add('169.254.20.10/32');
    const address = new DnsAddress({ address: '169.254.20.10', runner: ip, markerPath: await markerIn(t) });
    await address.acquire();
    await address.release();
    assert.ok(ip.addresses.has('169.254.20.10/32'));
    assert.ok(!ip.calls.some((c) => c.includes(' del ')));
  });

  it('after a kill -9 the next agent still owns the address its predecessor added (the marker says so)', async (t) => {
    const ip = new FakeIp();
    const markerPath = await markerIn(t);
    await new DnsAddress({ address: '169.254.20.10', runner: ip, markerPath }).acquire();
    const next = new DnsAddress({ address: '169.254.20.10', runner: ip, markerPath });
    await next.acquire();
    await next.release();
    assert.ok(!ip.addresses.has('169.254.20.10/32'));
  });

  it('an add lost to another agent of the machine is not an error, and does not make the address ours', async (t) => {
    const ip = new FakeIp();
    ip.addFails = { code: 2, stdout: '', stderr: 'RTNETLINK answers: File exists' };
    const markerPath = await markerIn(t);
    const address = new DnsAddress({ address: '169.254.20.10', runner: ip, markerPath });
    await address.acquire();
    assert.ok(!(await exists(markerPath)));
    ip.addFails = { code: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted' };
    await assert.rejects(address.acquire(), /cannot add the cluster DNS address 169\.254\.20\.10\/32 to lo: RTNETLINK answers: Operation not permitted/);
  });
});
