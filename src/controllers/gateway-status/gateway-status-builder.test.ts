import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { Gateway, GatewayStatus } from '../../api/gateway/index.js';
import { buildGatewayStatus } from './gateway-status-builder.js';
import { listenerVerdicts } from './listener-validity.js';

const gateway = (listeners: Gateway['spec']['listeners'], status?: GatewayStatus): Gateway => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
  metadata: { namespace: 'default', name: 'gw', generation: 3 },
  spec: { gatewayClassName: 'k8ts', listeners },
  ...(status !== undefined ? { status } : {}),
});

const build = (gw: Gateway, bindFailures?: ReadonlyMap<number, string>, now = '2026-01-01T00:00:00Z'): GatewayStatus =>
  buildGatewayStatus({ gateway: gw, verdicts: listenerVerdicts(gw), attachedRoutes: new Map(), address: '127.0.0.1', now, bindFailures });

const find = (conditions: readonly Condition[] | undefined, type: string): Condition | undefined => conditions?.find((c) => c.type === type);
const brief = (c: Condition | undefined): string => (c ? `${c.status}/${c.reason}` : 'none');

void describe('buildGatewayStatus with the data plane\'s bind failures', () => {
  const one = gateway([{ name: 'http', protocol: 'HTTP', port: 80 }]);

  void it('reports a listener whose port did not bind as Programmed False/Pending, naming the error and the fix', () => {
    const status = build(one, new Map([[80, 'EACCES']]));
    const listener = status.listeners?.[0];
    const programmed = find(listener?.conditions, 'Programmed');
    assert.equal(brief(programmed), 'False/Pending');
    assert.equal(programmed?.message, 'cannot listen on 127.0.0.1:80: EACCES (ports below 1024 need root: run k8ts as root or use a port >= 1024)');
    assert.equal(brief(find(listener?.conditions, 'Accepted')), 'True/Accepted', 'the listener is valid: routes stay attached');
    const gw = find(status.conditions, 'Programmed');
    assert.equal(brief(gw), 'False/Pending');
    assert.match(gw?.message ?? '', /^No listener is programmed: cannot listen on 127\.0\.0\.1:80: EACCES/);
    assert.equal(brief(find(status.conditions, 'Accepted')), 'True/Accepted');
    assert.equal(status.addresses, undefined, 'no address while nothing listens');
  });

  void it('names EADDRINUSE and an unknown code, and keeps the Gateway programmed while another listener is bound', () => {
    const two = gateway([{ name: 'a', protocol: 'HTTP', port: 8080 }, { name: 'b', protocol: 'HTTP', port: 8081 }]);
    const status = build(two, new Map([[8081, 'EADDRINUSE']]));
    assert.equal(brief(find(status.listeners?.[0]?.conditions, 'Programmed')), 'True/Programmed');
    const b = find(status.listeners?.[1]?.conditions, 'Programmed');
    assert.equal(b?.message, 'cannot listen on 127.0.0.1:8081: EADDRINUSE (another program listens on that port)');
    const gw = find(status.conditions, 'Programmed');
    assert.equal(brief(gw), 'True/Programmed');
    assert.match(gw?.message ?? '', /1 listener\(s\) not programmed: cannot listen on 127\.0\.0\.1:8081: EADDRINUSE/);
    assert.deepEqual(status.addresses, [{ type: 'IPAddress', value: '127.0.0.1' }]);
    const other = build(one, new Map([[80, 'EWHATEVER']]));
    assert.equal(find(other.listeners?.[0]?.conditions, 'Programmed')?.message, 'cannot listen on 127.0.0.1:80: EWHATEVER');
  });

  void it('goes back to Programmed True with a new transition time once the port binds', () => {
    const failed = build(one, new Map([[80, 'EADDRINUSE']]), '2026-01-01T00:00:00Z');
    const recovered = build(gateway(one.spec.listeners, failed), new Map(), '2026-01-01T00:05:00Z');
    const listener = find(recovered.listeners?.[0]?.conditions, 'Programmed');
    assert.equal(brief(listener), 'True/Programmed');
    assert.equal(listener?.lastTransitionTime, '2026-01-01T00:05:00Z');
    const gw = find(recovered.conditions, 'Programmed');
    assert.equal(brief(gw), 'True/Programmed');
    assert.equal(gw?.message, 'Served by the k8ts gateway on 127.0.0.1');
    assert.equal(find(recovered.conditions, 'Accepted')?.lastTransitionTime, '2026-01-01T00:00:00Z', 'Accepted did not change');
  });

  void it('ignores failures of other ports, of invalid listeners, and reports as before without a data plane', () => {
    assert.equal(brief(find(build(one, new Map([[81, 'EADDRINUSE']])).conditions, 'Programmed')), 'True/Programmed');
    const tcp = gateway([{ name: 'http', protocol: 'HTTP', port: 8080 }, { name: 'tcp', protocol: 'TCP', port: 9000 }]);
    const status = build(tcp, new Map([[9000, 'EADDRINUSE']]));
    assert.equal(brief(find(status.listeners?.[1]?.conditions, 'Programmed')), 'False/Invalid');
    assert.equal(brief(find(status.conditions, 'Programmed')), 'True/Programmed');
    assert.equal(brief(find(build(one, undefined).conditions, 'Programmed')), 'True/Programmed');
  });

  void it('brackets an IPv6 address', () => {
    const status = buildGatewayStatus({ gateway: one, verdicts: listenerVerdicts(one), attachedRoutes: new Map(), address: '::1', now: '2026-01-01T00:00:00Z', bindFailures: new Map([[80, 'EADDRINUSE']]) });
    assert.match(find(status.listeners?.[0]?.conditions, 'Programmed')?.message ?? '', /^cannot listen on \[::1\]:80: EADDRINUSE/);
  });
});
