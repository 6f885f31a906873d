import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { defaultGatewayClass } from './gateway-class-defaults.js';
import { validateGatewayClass } from './gateway-class-validation.js';
import { defaultGateway } from './gateway-defaults.js';
import { validateGateway } from './gateway-validation.js';

function gateway(listeners: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  const obj: KubeObject = { metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'k8ts', listeners, ...extra } };
  defaultGateway(obj);
  return obj;
}

void describe('Gateway defaults and validation', () => {
  void it('defaults allowedRoutes to the same namespace and the status to Pending', () => {
    const obj = gateway([{ name: 'http', protocol: 'HTTP', port: 80 }]);
    assert.deepEqual((obj.spec as { listeners: unknown[] }).listeners[0],
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } });
    const conditions = (obj.status as { conditions: { type: string; status: string; reason: string }[] }).conditions;
    assert.deepEqual(conditions.map((c) => [c.type, c.status, c.reason]), [['Accepted', 'Unknown', 'Pending'], ['Programmed', 'Unknown', 'Pending']]);
    assert.deepEqual(validateGateway(obj), []);
  });

  void it('keeps a status a controller wrote', () => {
    const obj: KubeObject = { spec: { listeners: [] }, status: { conditions: [] } };
    defaultGateway(obj);
    assert.deepEqual(obj.status, { conditions: [] });
  });

  void it('applies the listener rules', () => {
    const errors = validateGateway(gateway([
      { name: 'http', protocol: 'HTTP', port: 80, tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'http', protocol: 'HTTP', port: 0 },
    ])).map(formatFieldError);
    assert.deepEqual(errors, [
      'spec.listeners[1].port: Invalid value: 0: spec.listeners[1].port in body should be greater than or equal to 1',
      'spec.listeners: Invalid value: "array": tls must not be specified for protocols [\'HTTP\', \'TCP\', \'UDP\']',
      'spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway',
    ]);
    assert.deepEqual(validateGateway(gateway([])).map(formatFieldError), [
      'spec.listeners: Invalid value: 0: spec.listeners in body should have at least 1 items',
    ]);
  });
});

void describe('GatewayClass', () => {
  void it('validates controllerName and keeps it immutable', () => {
    const make = (controllerName: string): KubeObject => {
      const obj: KubeObject = { metadata: { name: 'k8ts' }, spec: { controllerName } };
      defaultGatewayClass(obj);
      return obj;
    };
    assert.deepEqual(validateGatewayClass(make('k8ts.io/gateway-controller')), []);
    assert.equal(validateGatewayClass(make('no-slash')).length, 1);
    assert.deepEqual(validateGatewayClass(make('example.com/other'), make('k8ts.io/gateway-controller')).map(formatFieldError), [
      'spec.controllerName: Invalid value: "string": field is immutable',
    ]);
  });
});
