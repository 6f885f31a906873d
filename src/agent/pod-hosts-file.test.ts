import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodObject } from './object-types.js';
import { formatPodHosts, podHostname } from './pod-hosts-file.js';

type Spec = NonNullable<PodObject['spec']>;

function pod(spec: Partial<Spec> = {}, name = 'web-0'): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop', name, uid: 'u-1' }, spec: { containers: [{ name: 'c' }], ...spec } };
}

describe('formatPodHosts', () => {
  const LOCAL = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

  it("writes kubelet's managed file: localhost lines, then the pod IP and hostname", () => {
    assert.equal(formatPodHosts(pod(), { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local' }), `${LOCAL}10.88.0.5\tweb-0\n`);
    assert.equal(formatPodHosts(pod({ hostname: 'front' }), { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local' }), `${LOCAL}10.88.0.5\tfront\n`);
  });

  it('adds the fully qualified name with a subdomain', () => {
    assert.equal(formatPodHosts(pod({ hostname: 'db-0', subdomain: 'db' }), { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local' }),
      `${LOCAL}10.88.0.5\tdb-0.db.shop.svc.cluster.local\tdb-0\n`);
  });

  it("also names the pod IP with the node's hostname when the pod's processes see that one (a runtime without pod hostnames)", () => {
    assert.equal(formatPodHosts(pod(), { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local', sharedHostname: 'node-1' }), `${LOCAL}10.88.0.5\tweb-0\tnode-1\n`);
    assert.equal(formatPodHosts(pod(), { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local', sharedHostname: 'web-0' }), `${LOCAL}10.88.0.5\tweb-0\n`);
  });

  it('ends with the host aliases, one line per IP', () => {
    const p = pod({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }] });
    assert.equal(formatPodHosts(p, { podIPs: ['10.88.0.5'], clusterDomain: 'cluster.local' }),
      `${LOCAL}10.88.0.5\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`);
  });

  it("gives a host-network pod the node's hosts file under its own header, plus the aliases", () => {
    const p = pod({ hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['db'] }] });
    assert.equal(formatPodHosts(p, { podIPs: ['192.168.1.10'], clusterDomain: 'cluster.local', nodeHosts: '127.0.0.1\tlocalhost\n' }),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n\n# Entries added by HostAliases.\n10.1.2.3\tdb\n');
  });

  it('cuts a long hostname to 63 characters without a trailing dash', () => {
    const name = `${'a'.repeat(62)}-${'b'.repeat(10)}`;
    assert.equal(podHostname(pod({}, name)), 'a'.repeat(62));
    assert.equal(podHostname(pod({}, 'short')), 'short');
  });
});
