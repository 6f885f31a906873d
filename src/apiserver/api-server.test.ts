import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { call, json, startHarness, stopHarness, TABLE_ACCEPT, WIDGETS, type Harness } from './http/test-server.fixture.js';
import { WireReader } from './protobuf/wire-reader.js';

function widget(name: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, labels: { app: name } }, spec: { replicas: 2, ...extra } });
}

const post = (body: string, contentType = 'application/json'): RequestInit => ({ method: 'POST', body, headers: { 'Content-Type': contentType } });

describe('API server pipeline', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore(), maxBodyBytes: 4096 });
  });
  after(() => stopHarness(h));

  describe('authentication', () => {
    it('answers 401 Status without a token, and with a wrong one', async () => {
      for (const token of [null, 'wrong']) {
        const response = await call(h, '/api', { token });
        assert.equal(response.status, 401);
        const body = await json(response);
        assert.equal(body.kind, 'Status');
        assert.equal(body.reason, 'Unauthorized');
        assert.equal(body.code, 401);
      }
    });

    it('serves version and health without credentials, metrics only with', async () => {
      const version = await call(h, '/version', { token: null });
      assert.equal(version.status, 200);
      const info = await json(version);
      assert.equal(info.major, '1');
      assert.equal(info.minor, '32');
      assert.match(info.gitVersion as string, /^v1\.32\./);
      for (const path of ['/healthz', '/livez', '/readyz']) {
        const response = await call(h, path, { token: null });
        assert.equal(response.status, 200, path);
        assert.equal(await response.text(), 'ok');
      }
      assert.equal((await call(h, '/metrics', { token: null })).status, 401);
      assert.equal((await call(h, '/metrics')).status, 200);
    });
  });

  describe('routing and verbs', () => {
    it('creates (201), gets, lists, updates, patches and deletes a namespaced object', async () => {
      const created = await call(h, `${WIDGETS}?fieldManager=test`, post(widget('a')));
      assert.equal(created.status, 201);
      const object = await json(created);
      assert.equal(object.metadata.name, 'a');
      assert.equal(object.metadata.namespace, 'default');

      const got = await json(await call(h, `${WIDGETS}/a`));
      assert.equal(got.metadata.uid, object.metadata.uid);

      const list = await json(await call(h, WIDGETS));
      assert.equal(list.kind, 'WidgetList');
      assert.deepEqual(list.items.map((i: any) => i.metadata.name), ['a']);
      const everywhere = await json(await call(h, '/apis/example.com/v1/widgets'));
      assert.deepEqual(everywhere.items.map((i: any) => i.metadata.name), ['a']);

      const updated = await call(h, `${WIDGETS}/a`, { method: 'PUT', body: JSON.stringify({ ...got, spec: { replicas: 5 } }), headers: { 'Content-Type': 'application/json' } });
      assert.equal(updated.status, 200);
      assert.equal((await json(updated)).spec.replicas, 5);

      const merged = await call(h, `${WIDGETS}/a`, { method: 'PATCH', body: '{"spec":{"color":"red"}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.equal(merged.status, 200);
      assert.equal((await json(merged)).spec.color, 'red');

      const jsonPatched = await call(h, `${WIDGETS}/a`, { method: 'PATCH', body: '[{"op":"replace","path":"/spec/replicas","value":7}]', headers: { 'Content-Type': 'application/json-patch+json' } });
      assert.equal((await json(jsonPatched)).spec.replicas, 7);

      const deleted = await call(h, `${WIDGETS}/a`, { method: 'DELETE', body: '{"propagationPolicy":"Background"}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(deleted.status, 200);
      assert.equal((await json(deleted)).metadata.name, 'a');
      const gone = await call(h, `${WIDGETS}/a`);
      assert.equal(gone.status, 404);
      assert.equal((await json(gone)).message, 'widgets.example.com "a" not found');
    });

    it('answers 202 for a delete that waits on finalizers', async () => {
      const body = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
      assert.equal((await call(h, WIDGETS, post(body))).status, 201);
      const response = await call(h, `${WIDGETS}/fin`, { method: 'DELETE' });
      assert.equal(response.status, 202);
      assert.ok((await json(response)).metadata.deletionTimestamp);
    });

    it('server-side apply creates from a YAML body', async () => {
      const yaml = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: applied\nspec:\n  replicas: 3\n';
      const response = await call(h, `${WIDGETS}/applied?fieldManager=me&force=true`, { method: 'PATCH', body: yaml, headers: { 'Content-Type': 'application/apply-patch+yaml' } });
      assert.equal(response.status, 201);
      assert.equal((await json(response)).spec.replicas, 3);
    });

    it('serves the status and scale subresources, and 404 for others', async () => {
      await call(h, WIDGETS, post(widget('s')));
      const scale = await json(await call(h, `${WIDGETS}/s/scale`));
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.spec.replicas, 2);
      const scaled = await call(h, `${WIDGETS}/s/scale`, { method: 'PATCH', body: '{"spec":{"replicas":4}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.equal(scaled.status, 200);
      assert.equal((await json(await call(h, `${WIDGETS}/s`))).spec.replicas, 4);

      const status = await call(h, `${WIDGETS}/s/status`, { method: 'PATCH', body: '{"status":{"replicas":4}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.equal(status.status, 200);
      assert.equal((await json(status)).status.replicas, 4);

      const exec = await call(h, `${WIDGETS}/s/exec`);
      assert.equal(exec.status, 404);
      assert.equal((await json(exec)).message, 'the server could not find the requested resource');
    });

    it('treats /api/v1/namespaces/<ns> as the namespace itself and its /status as a subresource', async () => {
      const ns = await json(await call(h, '/api/v1/namespaces/default'));
      assert.equal(ns.kind, 'Namespace');
      assert.equal(ns.metadata.name, 'default');
      const status = await json(await call(h, '/api/v1/namespaces/default/status'));
      assert.equal(status.kind, 'Namespace');
    });

    it('answers 404 for unknown resources and misplaced scopes, 405 for wrong methods', async () => {
      for (const path of ['/api/v1/namespaces/default/gizmos', '/apis/nope.io/v1/things', '/apis/example.com/v1/widgets/a', '/api/v1/namespaces/default/namespaces', '/nothing']) {
        const response = await call(h, path);
        assert.equal(response.status, 404, path);
        const body = await json(response);
        assert.equal(body.reason, 'NotFound');
        assert.equal(body.message, 'the server could not find the requested resource');
      }
      const put = await call(h, WIDGETS, { method: 'PUT', body: widget('x'), headers: { 'Content-Type': 'application/json' } });
      assert.equal(put.status, 405);
      assert.equal((await json(put)).reason, 'MethodNotAllowed');
      const postAll = await call(h, '/apis/example.com/v1/widgets', post(widget('x')));
      assert.equal(postAll.status, 405);
    });
  });

  describe('request bodies', () => {
    it('rejects bodies over the limit with 413', async () => {
      const response = await call(h, WIDGETS, post(widget('big', { blob: 'x'.repeat(5000) })));
      assert.equal(response.status, 413);
      const body = await json(response);
      assert.equal(body.reason, 'RequestEntityTooLarge');
      assert.equal(body.message, 'Request entity too large: limit is 4096');
    });

    it('rejects malformed JSON with 400 naming the problem', async () => {
      const response = await call(h, WIDGETS, post('{"apiVersion": "example.com/v1", '));
      assert.equal(response.status, 400);
      const body = await json(response);
      assert.equal(body.reason, 'BadRequest');
      assert.match(body.message as string, /not valid JSON/);
      const notObject = await call(h, WIDGETS, post('[1,2]'));
      assert.equal(notObject.status, 400);
      assert.match((await json(notObject)).message as string, /must be a JSON object/);
    });

    it('rejects unknown content types with 415 and a patch with no patch type', async () => {
      const response = await call(h, WIDGETS, post(widget('t'), 'text/plain'));
      assert.equal(response.status, 415);
      assert.equal((await json(response)).reason, 'UnsupportedMediaType');
      const patch = await call(h, `${WIDGETS}/t`, { method: 'PATCH', body: '{}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(patch.status, 415);
    });

    it('accepts YAML bodies and rejects invalid query parameters', async () => {
      const yaml = await call(h, WIDGETS, post('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: from-yaml\n', 'application/yaml'));
      assert.equal(yaml.status, 201);
      const bad = await call(h, `${WIDGETS}?dryRun=Some`, post(widget('dry')));
      assert.equal(bad.status, 400);
      assert.match((await json(bad)).message as string, /dryRun/);
    });

    it('does not persist a dryRun=All create', async () => {
      const response = await call(h, `${WIDGETS}?dryRun=All`, post(widget('dry')));
      assert.equal(response.status, 201);
      assert.equal((await call(h, `${WIDGETS}/dry`)).status, 404);
    });
  });

  describe('tables', () => {
    it('renders lists and objects as meta.k8s.io/v1 Tables with PartialObjectMetadata rows', async () => {
      await call(h, WIDGETS, post(widget('tbl')));
      const list = await json(await call(h, `${WIDGETS}?labelSelector=app%3Dtbl`, { headers: { Accept: TABLE_ACCEPT } }));
      assert.equal(list.kind, 'Table');
      assert.equal(list.apiVersion, 'meta.k8s.io/v1');
      assert.match(list.metadata.resourceVersion as string, /^\d+$/);
      assert.deepEqual(list.columnDefinitions.map((c: any) => [c.name, c.priority]), [['Name', 0], ['Replicas', 0], ['Age', 0], ['Color', 1]]);
      assert.equal(list.rows.length, 1);
      assert.deepEqual(list.rows[0].cells.slice(0, 2), ['tbl', 2]);
      const rowObject = list.rows[0].object;
      assert.equal(rowObject.kind, 'PartialObjectMetadata');
      assert.equal(rowObject.apiVersion, 'meta.k8s.io/v1');
      assert.equal(rowObject.metadata.namespace, 'default');
      assert.deepEqual(rowObject.metadata.labels, { app: 'tbl' });
      assert.equal(rowObject.metadata.managedFields, undefined);
      assert.equal(rowObject.spec, undefined);

      const single = await json(await call(h, `${WIDGETS}/tbl?includeObject=Object`, { headers: { Accept: TABLE_ACCEPT } }));
      assert.equal(single.kind, 'Table');
      assert.equal(single.rows[0].object.kind, 'Widget');
      assert.equal(single.rows[0].object.spec.replicas, 2);

      const plain = await json(await call(h, `${WIDGETS}/tbl`, { headers: { Accept: 'application/json' } }));
      assert.equal(plain.kind, 'Widget');
    });

    it('renders the status subresource with the kind\'s columns and the scale subresource as NAME DESIRED AVAILABLE AGE (kubectl get --subresource)', async () => {
      await call(h, WIDGETS, post(widget('sub')));
      await call(h, `${WIDGETS}/sub/status`, { method: 'PATCH', body: '{"status":{"replicas":1}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
      const status = await json(await call(h, `${WIDGETS}/sub/status`, { headers: { Accept: TABLE_ACCEPT } }));
      assert.equal(status.kind, 'Table');
      assert.deepEqual(status.columnDefinitions.map((c: any) => c.name), ['Name', 'Replicas', 'Age', 'Color']);
      assert.deepEqual(status.rows[0].cells.slice(0, 2), ['sub', 2]);
      const scale = await json(await call(h, `${WIDGETS}/sub/scale`, { headers: { Accept: TABLE_ACCEPT } }));
      assert.equal(scale.kind, 'Table');
      assert.deepEqual(scale.columnDefinitions.map((c: any) => [c.name, c.type]), [['Name', 'string'], ['Desired', 'integer'], ['Available', 'integer'], ['Age', 'string']]);
      assert.deepEqual(scale.rows[0].cells.slice(0, 3), ['sub', 2, 1]);
      assert.equal(scale.rows[0].object.kind, 'PartialObjectMetadata');
      assert.equal((await json(await call(h, `${WIDGETS}/sub/scale`))).kind, 'Scale');
    });

    it('answers JSON to protobuf-or-JSON clients and 406 to clients that take neither', async () => {
      const response = await call(h, WIDGETS, { headers: { Accept: 'application/vnd.kubernetes.protobuf, */*' } });
      assert.equal((await json(response)).kind, 'WidgetList');
      const html = await call(h, WIDGETS, { headers: { Accept: 'text/html' } });
      assert.equal(html.status, 406);
    });
  });

  describe('non-resource endpoints', () => {
    it('serves the OpenAPI v3 root and group-version documents, and an empty v2 document', async () => {
      const root = await json(await call(h, '/openapi/v3'));
      assert.equal(root.paths['api/v1'].serverRelativeURL, '/openapi/v3/api/v1?hash=ABC');
      const doc = await call(h, '/openapi/v3/api/v1?hash=ABC');
      assert.equal(doc.status, 200);
      assert.equal(await doc.text(), '{"openapi":"3.0.0"}');
      assert.equal((await call(h, '/openapi/v3/apis/nope/v1')).status, 404);
      const v2json = await call(h, '/openapi/v2', { headers: { Accept: 'application/json' } });
      assert.equal(v2json.headers.get('content-type'), 'application/json');
      assert.deepEqual(await json(v2json), { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0-k8ts' }, paths: {}, definitions: {} });
      // kubectl's Accept (the older `@` spelling); the answer uses the dotted name Go can parse.
      const v2pb = await call(h, '/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
      assert.equal(v2pb.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
      const doc2 = new WireReader({ bytes: new Uint8Array(await v2pb.arrayBuffer()) });
      const fields: Record<number, string> = {};
      while (!doc2.done) {
        const tag = doc2.readTag();
        if (tag.fieldNumber === 2) {
          const info = doc2.readMessage();
          info.readTag();
          fields[21] = info.readString();
          info.readTag();
          fields[22] = info.readString();
        } else fields[tag.fieldNumber] = doc2.readString();
      }
      assert.deepEqual(fields, { 1: '2.0', 21: 'Kubernetes', 22: 'v1.32.0-k8ts', 8: '', 9: '' });
    });

  });
});

describe('API server metrics', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
  });
  after(() => stopHarness(h));

  it('counts requests in /metrics by verb, resource and code', async () => {
    await call(h, WIDGETS, post(widget('metered')));
    await call(h, `${WIDGETS}/metered`);
    await call(h, `${WIDGETS}/missing`);
    await call(h, `${WIDGETS}/metered/scale`);
    await call(h, `${WIDGETS}/metered/status`, { method: 'PATCH', body: '{"status":{"replicas":1}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
    const text = await (await call(h, '/metrics')).text();
    assert.match(text, /^apiserver_request_total\{verb="CREATE",resource="widgets",subresource="",code="201"\} 1$/m);
    assert.match(text, /^apiserver_request_total\{verb="GET",resource="widgets",subresource="",code="404"\} 1$/m);
    assert.match(text, /^apiserver_request_duration_seconds_count\{verb="GET",resource="widgets",subresource=""\} 2$/m);
    // Subresources as upstream labels them: the resource and the subresource apart.
    assert.match(text, /^apiserver_request_total\{verb="GET",resource="widgets",subresource="scale",code="200"\} 1$/m);
    assert.match(text, /^apiserver_request_total\{verb="PATCH",resource="widgets",subresource="status",code="200"\} 1$/m);
    assert.doesNotMatch(text, /resource="widgets\//);
    assert.match(text, /^# TYPE apiserver_longrunning_requests gauge$/m);
  });
});

describe('API server warnings', () => {
  it('sends fieldValidation=Warn warnings as Warning: 299 headers', async () => {
    const h = await startHarness({ store: new MemoryStore(), unknownFields: ['spec.foo'] });
    try {
      const response = await call(h, `${WIDGETS}?fieldValidation=Warn`, post(widget('warned')));
      assert.equal(response.status, 201);
      const warning = response.headers.get('warning') ?? '';
      assert.match(warning, /^299 - ".*spec\.foo.*"$/);
      const strict = await call(h, `${WIDGETS}?fieldValidation=Strict`, post(widget('strict')));
      assert.equal(strict.status, 400);
    } finally {
      await stopHarness(h);
    }
  });
});
