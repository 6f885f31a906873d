// Fixtures are request bodies recorded from the real kubectl 1.32 (`kubectl create ...` against a
// recording fake server), except deployment-rich.pb, which was encoded independently with
// protobufjs from the upstream release-1.32 .proto files to cover what kubectl's generators never
// set (probes, env sources, volumes, affinity, status, ...).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { BadRequestError } from '../../lib/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './decode-object.js';
import { envelope, str, ld } from './fixtures/proto-bytes.js';
import { RICH_DEPLOYMENT } from './fixtures/rich-deployment.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`${name}.pb`, FIXTURES)));

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const appLabels = (app: string) => ({ labels: { app } });

function deployment(name: string, replicas: number, containers: unknown[], namespace?: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, { ...(namespace === undefined ? {} : { namespace }), ...appLabels(name) }),
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: appLabels(name), spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

function clusterService(name: string, port: Record<string, unknown>, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, appLabels(name)),
    spec: { ports: [port], selector: { app: name }, type: 'ClusterIP', ...spec },
    status: { loadBalancer: {} },
  };
}

const EXPECTED: Record<string, unknown> = {
  // kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80
  deployment: deployment('web', 2, [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} }]),
  // --replicas=0: replicas is a pointer, so its zero survives.
  'deployment-zero-replicas': deployment('idle', 0, [{ name: 'nginx', image: 'nginx:1.27', resources: {} }]),
  // create deployment multi --image=nginx:1.27 --image=busybox:1.36 -n team
  'deployment-two-images': deployment('multi', 1, [
    { name: 'nginx', image: 'nginx:1.27', resources: {} },
    { name: 'busybox', image: 'busybox:1.36', resources: {} },
  ], 'team'),
  // create deployment sleeper --image=busybox:1.36 -- sleep 3600
  'deployment-command': deployment('sleeper', 1, [
    { name: 'busybox', image: 'busybox:1.36', command: ['sleep', '3600'], resources: {} },
  ]),
  namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('demo'), spec: {}, status: {} },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm'), data: { a: 'b' } },
  // --from-file=blob.bin (bytes 00 ff fe "binary" 01) --from-literal=greeting=hello
  'configmap-binary': {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('files'),
    data: { greeting: 'hello' }, binaryData: { 'blob.bin': 'AP/+YmluYXJ5AQ==' },
  },
  'configmap-env': { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('envs'), data: { A: '1', B: 'two' } },
  // Secret data is bytes on the wire and base64 in JSON; kubectl leaves type empty (server defaults it).
  secret: { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { k: 'dg==' } },
  'secret-binary': {
    apiVersion: 'v1', kind: 'Secret', metadata: meta('bin'),
    data: { 'blob.bin': 'AP/+YmluYXJ5AQ==' }, type: 'example.com/custom',
  },
  'secret-docker-registry': {
    apiVersion: 'v1', kind: 'Secret', metadata: meta('regcred'), type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': Buffer.from(
        '{"auths":{"registry.example":{"username":"u","password":"p","auth":"dTpw"}}}',
      ).toString('base64'),
    },
  },
  // create service clusterip svc --tcp=80:8080
  service: clusterService('svc', { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }),
  'service-headless': clusterService('headless', { name: '5678', protocol: 'TCP', port: 5678, targetPort: 5678 }, { clusterIP: 'None' }),
  'service-nodeport': {
    ...clusterService('np', { name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: 30080 }),
    spec: { ports: [{ name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: 30080 }], selector: { app: 'np' }, type: 'NodePort' },
  },
  serviceaccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('sa') },
  'deployment-rich': RICH_DEPLOYMENT,
};

const fixtureNames = readdirSync(FIXTURES).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3)).sort();

void describe('decodeKubernetesProtobuf: recorded fixtures', () => {
  void it('has an expectation for every fixture file', () => {
    assert.deepEqual(fixtureNames, Object.keys(EXPECTED).sort());
  });

  for (const name of Object.keys(EXPECTED)) {
    void it(`decodes ${name}.pb exactly`, () => {
      const body = fixture(name);
      assert.ok(isKubernetesProtobuf(body));
      assert.deepStrictEqual(decodeKubernetesProtobuf(body), EXPECTED[name]);
    });
  }
});

void describe('isKubernetesProtobuf', () => {
  void it('recognises only the k8s\\0 magic', () => {
    assert.equal(isKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}')), false);
    assert.equal(isKubernetesProtobuf(Uint8Array.from([0x6b, 0x38, 0x73])), false);
    assert.equal(isKubernetesProtobuf(Uint8Array.from([0x6b, 0x38, 0x73, 0x00])), true);
  });
});

void describe('decodeKubernetesProtobuf: rejected bodies', () => {
  void it('names an unsupported kind and asks for JSON', () => {
    const body = envelope('apps/v1', 'StatefulSet', ld(1, str(1, 'db')));
    assert.throws(() => decodeKubernetesProtobuf(body), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.message, 'unable to decode protobuf body: unsupported kind apps/v1 StatefulSet; send JSON instead');
      return true;
    });
  });

  void it('rejects a body without the magic, an envelope without a kind, and a compressed payload', () => {
    assert.throws(() => decodeKubernetesProtobuf(new TextEncoder().encode('{}')), /magic/);
    assert.throws(() => decodeKubernetesProtobuf(envelope('v1', '', new Uint8Array())), /apiVersion and kind/);
    assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', new Uint8Array(), str(3, 'gzip'))),
      /unsupported content encoding "gzip"/);
  });

  void it('accepts an empty object body and ignores unknown envelope fields', () => {
    assert.deepStrictEqual(
      decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', new Uint8Array(), str(4, 'application/vnd.kubernetes.protobuf'), str(9, 'x'))),
      { apiVersion: 'v1', kind: 'ConfigMap' },
    );
  });
});

/** Decoding a mangled body may succeed or fail, but a failure is always a BadRequestError. */
function decodeOrBadRequest(body: Uint8Array): 'ok' | 'rejected' {
  try {
    decodeKubernetesProtobuf(body);
    return 'ok';
  } catch (err) {
    if (err instanceof BadRequestError) return 'rejected';
    throw err;
  }
}

/** Deterministic PRNG (mulberry32) so a failing case is reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

void describe('decodeKubernetesProtobuf: robustness', () => {
  for (const name of fixtureNames) {
    void it(`every truncation of ${name}.pb decodes or is a BadRequestError`, () => {
      const body = fixture(name);
      const outcomes = new Set<string>();
      for (let length = 0; length < body.length; length++) outcomes.add(decodeOrBadRequest(body.subarray(0, length)));
      assert.ok(outcomes.has('rejected'), 'some truncation must be rejected');
      // Cutting into the envelope's raw field always leaves a length that runs past the end.
      assert.equal(decodeOrBadRequest(body.subarray(0, body.length - 5)), 'rejected');
    });

    void it(`random byte flips and insertions in ${name}.pb decode or are BadRequestErrors`, () => {
      const body = fixture(name);
      const random = prng(body.length);
      for (let round = 0; round < 250; round++) {
        const mangled = Uint8Array.from(body);
        const edits = 1 + Math.floor(random() * 4);
        for (let e = 0; e < edits; e++) {
          // Leave the magic alone half the time so the decoder gets past it.
          const at = (random() < 0.5 ? 4 : 0) + Math.floor(random() * (mangled.length - 4));
          mangled[at] = Math.floor(random() * 256);
        }
        decodeOrBadRequest(mangled);
        const at = 4 + Math.floor(random() * (body.length - 4));
        const noise = Uint8Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * 256));
        decodeOrBadRequest(Uint8Array.from([...body.subarray(0, at), ...noise, ...body.subarray(at)]));
      }
    });
  }
});
