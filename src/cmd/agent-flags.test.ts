import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAgentFlags } from './agent-flags.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

describe('k8ts agent flags', () => {
  it('needs --server and --token, and applies the defaults', () => {
    assert.throws(() => parseAgentFlags([], {}), /--server is required/);
    assert.throws(() => parseAgentFlags(['--server', 'https://a:6443'], {}), /--token is required/);
    const flags = parseAgentFlags(['--server', 'https://10.0.0.1:6443/', '--insecure-skip-tls-verify', '--node-name', 'n2'], { K8TS_TOKEN: 't' });
    assert.deepEqual(flags && { ...flags, node: undefined }, {
      server: 'https://10.0.0.1:6443', token: 't', insecureSkipTlsVerify: true, dataDir: join(homedir(), '.k8ts-agent'),
      address: '0.0.0.0', port: 10250, logLevel: 'info', node: undefined,
    });
    assert.equal(flags?.node.nodeName, 'n2');
    assert.equal(flags?.node.runtime, 'auto');
  });

  it('reads the CA file and rejects contradictions and bad values', () => {
    const dir = tempDirRemovedAtExit('k8ts-agent-flags-');
    writeFileSync(join(dir, 'ca.crt'), 'PEM');
    const base = ['--server', 'https://a:6443', '--token', 't'];
    assert.equal(parseAgentFlags([...base, '--ca-file', join(dir, 'ca.crt')], {})?.ca, 'PEM');
    assert.throws(() => parseAgentFlags([...base, '--ca-file', join(dir, 'ca.crt'), '--insecure-skip-tls-verify'], {}), /exclude each other/);
    assert.throws(() => parseAgentFlags([...base, '--ca-file', join(dir, 'missing')], {}), /cannot read --ca-file/);
    assert.throws(() => parseAgentFlags(['--server', 'a:6443', '--token', 't'], {}), /invalid --server/);
    assert.throws(() => parseAgentFlags([...base, '--runtime', 'cri'], {}), /invalid --runtime "cri"/);
    assert.equal(parseAgentFlags([...base, '--runtime', 'containerd', '--cri-socket', '/x/c.sock'], {})?.node.criSocket, '/x/c.sock');
    assert.throws(() => parseAgentFlags([...base, '--cri-socket', 'rel.sock'], {}), /invalid --cri-socket "rel.sock": must be an absolute path/);
    assert.throws(() => parseAgentFlags([...base, '--port', 'x'], {}), /invalid --port "x"/);
    assert.throws(() => parseAgentFlags([...base, '--bogus'], {}), /unknown flag: --bogus/);
    assert.equal(parseAgentFlags(['--help'], {}), undefined);
  });
});
