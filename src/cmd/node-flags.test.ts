import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNodeAgentFlags, parseSystemReserved, resolveProxyMode } from './node-flags.js';
import { UsageError } from './usage-error.js';

describe('--system-reserved', () => {
  it('defaults to cpu=100m,memory=256Mi', () => {
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1' }).systemReserved, { cpu: '100m', memory: '256Mi' });
  });

  it('reads kubelet\'s key=value list, and none', () => {
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1', 'system-reserved': 'cpu=250m, memory=1Gi,ephemeral-storage=2Gi' }).systemReserved, { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '2Gi' });
    assert.deepEqual(parseSystemReserved('none'), {});
  });

  it('rejects unknown resources and bad quantities', () => {
    assert.throws(() => parseSystemReserved('gpu=1'), UsageError);
    assert.throws(() => parseSystemReserved('cpu=lots'), UsageError);
    assert.throws(() => parseSystemReserved('memory'), UsageError);
  });
});

describe('--proxy-mode', () => {
  it('is iptables or none; absent, iptables for root and none otherwise', () => {
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-mode': 'none' }).proxyMode, 'none');
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1' }).proxyMode, undefined);
    assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-mode': 'ipvs' }), /invalid --proxy-mode "ipvs": use iptables or none/);
    assert.equal(resolveProxyMode(undefined, 0), 'iptables');
    assert.equal(resolveProxyMode(undefined, 1000), 'none');
    assert.equal(resolveProxyMode(undefined, undefined), 'none');
    assert.equal(resolveProxyMode('none', 0), 'none');
  });
});

describe('--proxy-healthz-address', () => {
  it('defaults to kube-proxy\'s 0.0.0.0:10256; takes IP:PORT or [IPv6]:PORT; "" turns it off', () => {
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1' }).proxyHealthzAddress, { host: '0.0.0.0', port: 10256 });
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-healthz-address': '127.0.0.1:4000' }).proxyHealthzAddress, { host: '127.0.0.1', port: 4000 });
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-healthz-address': '[::1]:10256' }).proxyHealthzAddress, { host: '::1', port: 10256 });
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-healthz-address': '' }).proxyHealthzAddress, undefined);
    for (const bad of ['10256', 'localhost:10256', '0.0.0.0:70000', '0.0.0.0:', '::1:10256']) {
      assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'proxy-healthz-address': bad }), /invalid --proxy-healthz-address/, bad);
    }
  });
});

describe('--volume-resync-period', () => {
  it('defaults to 1m (kubelet syncFrequency); takes a Go duration, 0 turns it off', () => {
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1' }).volumeResyncPeriodMs, 60_000);
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'volume-resync-period': '2s' }).volumeResyncPeriodMs, 2000);
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'volume-resync-period': '0' }).volumeResyncPeriodMs, 0);
    assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'volume-resync-period': 'often' }), /invalid --volume-resync-period "often"/);
  });
});

describe('--cluster-dns and --cluster-domain', () => {
  it("default to NodeLocal DNSCache's 169.254.20.10 and cluster.local; \"\" turns cluster DNS off", () => {
    const defaults = parseNodeAgentFlags({ 'node-name': 'n1' });
    assert.equal(defaults.clusterDns, '169.254.20.10');
    assert.equal(defaults.clusterDomain, 'cluster.local');
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-dns': '' }).clusterDns, undefined);
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-dns': '10.43.0.10' }).clusterDns, '10.43.0.10');
    assert.equal(parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-domain': 'Corp.Example.' }).clusterDomain, 'corp.example');
  });

  it('refuses what is not an IPv4 address or a domain, saying what to give', () => {
    assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-dns': 'dns.local' }), /invalid --cluster-dns "dns\.local": use an IPv4 address such as 169\.254\.20\.10, or "" to turn cluster DNS off/);
    assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-dns': 'fd00::10' }), UsageError);
    assert.throws(() => parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-domain': 'bad_domain' }), /invalid --cluster-domain "bad_domain": use a DNS domain such as cluster\.local/);
  });
});
