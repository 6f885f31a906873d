// The real kubectl (through the /usr/bin/kubectl version dispatcher) against a real `k8ts server`
// on SQLite: the commands a user types every day, with the output a real cluster gives.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { kubectlFor, KUBECTL, type Kubectl } from '../helpers/kubectl.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { tempDirRemovedAtExit } from '../helpers/temp-dir.js';

const manifests = resolve(import.meta.dirname, 'manifests');

/** Runs kubectl in the background (for -w and wait), collecting output until stopped. */
function background(kubectl: Kubectl, args: readonly string[]) {
  const child = spawn(KUBECTL, ['--kubeconfig', kubectl.kubeconfig, '--cache-dir', kubectl.cacheDir, ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', done));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(text: string, timeoutMs = 20_000, stream: 'stdout' | 'stderr' = 'stdout') {
      const deadline = Date.now() + timeoutMs;
      while (!(stream === 'stdout' ? stdout : stderr).includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got:\n${stdout}\n${stderr}`);
        await delay(50);
      }
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('kubectl against k8ts server', () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  before(async () => {
    server = await startServer();
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    assert.equal(await server.stop(), 0, `server should exit 0 on SIGTERM:\n${server.output()}`);
    await server.cleanup();
  });

  it('version: the dispatcher picks the 1.32 client from the server version', async () => {
    const out = await kubectl.ok(['version']);
    assert.match(out, /Client Version: v1\.32\./);
    assert.match(out, /Server Version: v1\.32\./);
  });

  it('api-resources lists every served kind with short names', async () => {
    const out = await kubectl.ok(['api-resources']);
    const rows = out.split('\n').map((line) => line.trim().split(/\s+/));
    const find = (name: string) => rows.find((cells) => cells[0] === name);
    assert.deepEqual(find('deployments'), ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    assert.deepEqual(find('pods'), ['pods', 'po', 'v1', 'true', 'Pod']);
    assert.deepEqual(find('namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.deepEqual(find('leases'), ['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    assert.deepEqual(find('endpointslices'), ['endpointslices', 'discovery.k8s.io/v1', 'true', 'EndpointSlice']);
    assert.deepEqual(find('statefulsets'), ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet']);
    for (const name of ['configmaps', 'secrets', 'serviceaccounts', 'services', 'endpoints', 'events', 'nodes', 'replicasets', 'daemonsets', 'controllerrevisions']) {
      assert.ok(find(name), `api-resources should list ${name}:\n${out}`);
    }
  });

  it('create namespace/deployment/configmap/secret (protobuf bodies) and read them back', async () => {
    assert.equal((await kubectl.ok(['create', 'namespace', 'demo'])).trim(), 'namespace/demo created');
    assert.equal(await kubectl.ok(['get', 'ns', 'demo', '-o', 'jsonpath={.status.phase}']), 'Active');

    assert.equal(
      (await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80'])).trim(),
      'deployment.apps/web created',
    );
    const yaml = await kubectl.ok(['get', 'deploy', 'web', '-o', 'yaml']);
    // Server-side defaults, as a real cluster shows them.
    for (const expected of [
      'progressDeadlineSeconds: 600',
      'revisionHistoryLimit: 10',
      'maxSurge: 25%',
      'maxUnavailable: 25%',
      'type: RollingUpdate',
      'imagePullPolicy: IfNotPresent',
      'terminationMessagePath: /dev/termination-log',
      'protocol: TCP',
      'restartPolicy: Always',
      'schedulerName: default-scheduler',
      'terminationGracePeriodSeconds: 30',
      'replicas: 2',
    ]) {
      assert.ok(yaml.includes(expected), `expected ${JSON.stringify(expected)} in:\n${yaml}`);
    }
    assert.match(yaml, /uid: [0-9a-f-]{36}/);
    assert.match(yaml, /generation: 1/);

    assert.equal((await kubectl.ok(['create', 'configmap', 'cm', '--from-literal=a=b'])).trim(), 'configmap/cm created');
    assert.equal(await kubectl.ok(['get', 'cm', 'cm', '-o', 'jsonpath={.data.a}']), 'b');
    assert.equal((await kubectl.ok(['create', 'secret', 'generic', 's', '--from-literal=k=v'])).trim(), 'secret/s created');
    assert.equal(await kubectl.ok(['get', 'secret', 's', '-o', 'jsonpath={.data.k}']), Buffer.from('v').toString('base64'));
    assert.equal(await kubectl.ok(['get', 'secret', 's', '-o', 'jsonpath={.type}']), 'Opaque');

    const again = await kubectl(['create', 'configmap', 'cm', '--from-literal=a=b']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /configmaps "cm" already exists/);
  });

  it('apply (client-side) creates, reports unchanged, then applies a change as a 3-way merge', async () => {
    const first = await kubectl.ok(['apply', '-f', join(manifests, 'api-v1.yaml')]);
    assert.match(first, /deployment\.apps\/api created/);
    assert.match(first, /configmap\/api-config created/);

    const same = await kubectl.ok(['apply', '-f', join(manifests, 'api-v1.yaml')]);
    assert.match(same, /deployment\.apps\/api unchanged/);
    assert.match(same, /configmap\/api-config unchanged/);

    // Something set outside the manifest survives the 3-way merge.
    await kubectl.ok(['annotate', 'deploy', 'api', 'team=blue']);

    const second = await kubectl.ok(['apply', '-f', join(manifests, 'api-v2.yaml')]);
    assert.match(second, /deployment\.apps\/api configured/);
    const deploy = JSON.parse(await kubectl.ok(['get', 'deploy', 'api', '-o', 'json']));
    assert.equal(deploy.spec.replicas, 3);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(deploy.spec.template.spec.containers[0].env, undefined, 'env removed from the manifest is removed');
    assert.equal(deploy.metadata.labels.tier, undefined, 'label removed from the manifest is removed');
    assert.equal(deploy.metadata.annotations.team, 'blue', 'annotation set by another command is kept');
    assert.equal(deploy.metadata.generation, 2, 'one spec change, one generation bump');
    assert.equal(await kubectl.ok(['get', 'cm', 'api-config', '-o', 'jsonpath={.data.greeting}']), 'hello again');
  });

  it('apply --server-side: conflict with the client-side manager, then --force-conflicts', async () => {
    const conflict = await kubectl(['apply', '--server-side', '--field-manager=ops', '-f', join(manifests, 'api-ssa-other-manager.yaml')]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with \d+ conflicts?/);
    assert.match(conflict.stderr, /\.spec\.replicas/);
    assert.match(conflict.stderr, /kubectl-client-side-apply/);
    assert.equal(await kubectl.ok(['get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}']), '3');

    const forced = await kubectl.ok(['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', join(manifests, 'api-ssa-other-manager.yaml')]);
    assert.match(forced, /deployment\.apps\/api serverside-applied/);
    const deploy = JSON.parse(await kubectl.ok(['get', 'deploy', 'api', '-o', 'json', '--show-managed-fields']));
    assert.equal(deploy.spec.replicas, 7);
    const ops = deploy.metadata.managedFields.find((entry: { manager: string }) => entry.manager === 'ops');
    assert.equal(ops.operation, 'Apply');
    assert.ok(ops.fieldsV1['f:spec']['f:replicas'], 'ops now owns .spec.replicas');

    // Server-side apply also creates.
    const created = await kubectl.ok(['apply', '--server-side', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-made\ndata:\n  x: "1"\n',
    });
    assert.match(created, /configmap\/ssa-made serverside-applied/);
  });

  it('get: default, -o wide/json/yaml/jsonpath/name, -A, -l, --show-labels', async () => {
    const table = await kubectl.ok(['get', 'deploy']);
    const [header, ...rows] = table.trim().split('\n');
    assert.deepEqual(header!.split(/\s{2,}/), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.ok(rows.some((row) => row.startsWith('api ')));
    assert.ok(rows.some((row) => row.startsWith('web ')));

    const wide = await kubectl.ok(['get', 'deploy', 'web', '-o', 'wide']);
    assert.deepEqual(wide.split('\n')[0]!.split(/\s{2,}/), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.match(wide, /nginx\s+nginx:1\.27\s+app=web/);

    const list = JSON.parse(await kubectl.ok(['get', 'cm', '-o', 'json']));
    assert.equal(list.kind, 'List');
    assert.ok(list.items.some((item: { metadata: { name: string } }) => item.metadata.name === 'cm'));

    assert.equal((await kubectl.ok(['get', 'deploy', '-o', 'name'])).trim().split('\n').sort().join(','), 'deployment.apps/api,deployment.apps/web');
    assert.equal(await kubectl.ok(['get', 'deploy', '-l', 'app=api', '-o', 'jsonpath={.items[*].metadata.name}']), 'api');
    assert.equal(await kubectl.ok(['get', 'deploy', '-l', 'app notin (api)', '-o', 'jsonpath={.items[*].metadata.name}']), 'web');

    await kubectl.ok(['create', 'configmap', 'elsewhere', '-n', 'demo', '--from-literal=z=1']);
    const everywhere = await kubectl.ok(['get', 'cm', '-A']);
    assert.deepEqual(everywhere.split('\n')[0]!.split(/\s{2,}/), ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    assert.match(everywhere, /^demo\s+elsewhere\s+1\s+/m);
    assert.match(everywhere, /^default\s+cm\s+1\s+/m);

    const labelled = await kubectl.ok(['get', 'deploy', 'api', '--show-labels']);
    assert.match(labelled.split('\n')[0]!, /LABELS$/);
    assert.match(labelled, /app=api/);

    const none = await kubectl(['get', 'pods']);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No resources found in default namespace\./);
  });

  it('get -w prints changes as they happen', async () => {
    const watch = background(kubectl, ['get', 'cm', '-w']);
    try {
      await watch.waitFor('api-config');
      await kubectl.ok(['create', 'configmap', 'watched', '--from-literal=a=1']);
      await watch.waitFor('watched');
      const lines = watch.stdout().trim().split('\n');
      assert.equal(lines.filter((line) => line.startsWith('NAME')).length, 1, `one header only:\n${watch.stdout()}`);
    } finally {
      await watch.stop();
    }
  });

  it('describe shows spec, defaults and strategy like a real cluster', async () => {
    const out = await kubectl.ok(['describe', 'deploy', 'web']);
    assert.match(out, /^Name:\s+web$/m);
    assert.match(out, /^Namespace:\s+default$/m);
    assert.match(out, /^Selector:\s+app=web$/m);
    assert.match(out, /^StrategyType:\s+RollingUpdate$/m);
    assert.match(out, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    assert.match(out, /Image:\s+nginx:1\.27/);
    assert.match(out, /Port:\s+80\/TCP/);
    const cm = await kubectl.ok(['describe', 'cm', 'cm']);
    assert.match(cm, /^Name:\s+cm$/m);
    assert.match(cm, /^a:\n----\nb/m);
  });

  it('edit applies what the editor changed', async () => {
    const dir = tempDirRemovedAtExit('k8ts-editor-');
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i "s/image: nginx:1.27/image: nginx:1.28/" "$1"\n');
    await chmod(editor, 0o755);
    const out = await kubectl.ok(['edit', 'deploy', 'web'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.match(out, /deployment\.apps\/web edited/);
    assert.equal(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.28');
  });

  it('label, annotate and scale', async () => {
    assert.match(await kubectl.ok(['label', 'deploy', 'web', 'tier=front']), /deployment\.apps\/web labeled/);
    assert.equal(await kubectl.ok(['get', 'deploy', '-l', 'tier=front', '-o', 'name']), 'deployment.apps/web\n');
    const clash = await kubectl(['label', 'deploy', 'web', 'tier=back']);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /already has a value \(front\)/);
    assert.match(await kubectl.ok(['label', 'deploy', 'web', 'tier-']), /deployment\.apps\/web unlabeled/);

    assert.match(await kubectl.ok(['annotate', 'deploy', 'web', 'owner=team-a']), /deployment\.apps\/web annotated/);
    assert.equal(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.owner}']), 'team-a');

    assert.match(await kubectl.ok(['scale', 'deploy', 'web', '--replicas=5']), /deployment\.apps\/web scaled/);
    assert.equal(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
    assert.equal((await kubectl(['scale', 'deploy', 'web', '--replicas=-1'])).code, 1);
    // kubectl get --subresource: the scale subresource as upstream prints a Scale, status with the kind's columns.
    const scaleTable = (await kubectl.ok(['get', 'deploy', 'web', '--subresource=scale'])).trim().split('\n');
    assert.deepEqual(scaleTable[0]!.split(/\s{2,}/), ['NAME', 'DESIRED', 'AVAILABLE', 'AGE']);
    assert.deepEqual(scaleTable[1]!.split(/\s+/).slice(0, 2), ['web', '5']);
    const statusHeader = (await kubectl.ok(['get', 'deploy', 'web', '--subresource=status'])).split('\n')[0]!;
    assert.deepEqual(statusHeader.split(/\s{2,}/), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    // A replace carrying a resourceVersion that has since moved on is refused by the server.
    const staleCopy = await kubectl.ok(['get', 'deploy', 'web', '-o', 'json']);
    await kubectl.ok(['scale', 'deploy', 'web', '--replicas=6']);
    const stale = await kubectl(['replace', '-f', '-'], { input: staleCopy });
    assert.equal(stale.code, 1);
    assert.match(
      stale.stderr,
      /Error from server \(Conflict\): error when replacing "STDIN": Operation cannot be fulfilled on deployments\.apps "web": the object has been modified; please apply your changes to the latest version and try again/,
    );
  });

  it('wait --for=jsonpath and --for=delete see changes made while waiting', async () => {
    // Change the object only once kubectl's watch is open (-v=6 logs each request on stderr): a
    // fixed pause was too short on a loaded machine, and an object already deleted when kubectl
    // wait looks it up makes it exit 0 without printing "condition met".
    const watching = 'watch=true';
    const waitJson = background(kubectl, ['wait', '-v=6', '--for=jsonpath={.data.state}=ready', 'cm/watched', '--timeout=30s']);
    await waitJson.waitFor(watching, 20_000, 'stderr');
    await kubectl.ok(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"state":"ready"}}']);
    assert.equal(await waitJson.exited, 0, waitJson.stderr());
    assert.match(waitJson.stdout(), /configmap\/watched condition met/);

    const waitDelete = background(kubectl, ['wait', '-v=6', '--for=delete', 'cm/watched', '--timeout=30s']);
    await waitDelete.waitFor(watching, 20_000, 'stderr');
    assert.match(await kubectl.ok(['delete', 'cm', 'watched']), /configmap "watched" deleted/);
    assert.equal(await waitDelete.exited, 0, waitDelete.stderr());
    assert.match(waitDelete.stdout(), /configmap\/watched condition met/);
  });

  it('delete removes objects; a missing one is NotFound', async () => {
    assert.match(await kubectl.ok(['delete', 'deploy', 'web']), /deployment\.apps "web" deleted/);
    const gone = await kubectl(['get', 'deploy', 'web']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /Error from server \(NotFound\): deployments\.apps "web" not found/);
    assert.match(await kubectl.ok(['delete', '-f', join(manifests, 'api-v2.yaml')]), /configmap "api-config" deleted/);
  });

  it('explain prints the schema of a field', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec.replicas']);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /FIELD:\s+replicas <integer>/);
    assert.match(out, /desired pods/i);
    const containers = await kubectl.ok(['explain', 'pods.spec.containers']);
    assert.match(containers, /image\s+<string>/);
  });

  it('bad input gets a Kubernetes error, and the server keeps serving', async () => {
    const invalid = await kubectl(['apply', '-f', join(manifests, 'invalid-replicas.yaml')]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /The Deployment "bad" is invalid/);
    assert.match(invalid.stderr, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);

    const strict = await kubectl(['create', '-f', join(manifests, 'unknown-field.yaml')]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /Error from server \(BadRequest\)/);
    assert.match(strict.stderr, /strict decoding error: unknown field "colour"/);

    const warned = await kubectl(['create', '--validate=warn', '-f', join(manifests, 'unknown-field.yaml')]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: unknown field "colour"/);

    const badName = await kubectl(['create', 'configmap', 'Bad_Name']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /Invalid value: "Bad_Name"/);

    const noType = await kubectl(['get', 'widgets']);
    assert.equal(noType.code, 1);
    assert.match(noType.stderr, /the server doesn't have a resource type "widgets"/);

    // A kind we do not serve: validation skips it (it is in neither OpenAPI document) and the
    // apply stops where it does on a real cluster, not at "failed to download openapi".
    const unserved = await kubectl(['apply', '-f', join(manifests, 'network-policy.yaml')]);
    assert.equal(unserved.code, 1);
    assert.match(unserved.stderr, /no matches for kind "NetworkPolicy" in version "networking.k8s.io\/v1"/);
    assert.doesNotMatch(unserved.stderr, /openapi/);

    // A subresource we do not serve: kubectl reads the 404's details (it crashed on a Status without them).
    await kubectl.ok(['run', 'debug-target', '--image=busybox', '--restart=Never']);
    const debug = await kubectl(['debug', 'debug-target', '--image=busybox', '--profile=general']);
    assert.equal(debug.code, 1, debug.stderr);
    assert.match(debug.stderr, /ephemeral containers are disabled for this cluster/);
    assert.doesNotMatch(debug.stderr, /panic/);

    assert.equal((await kubectl.ok(['get', 'ns', 'default', '-o', 'name'])).trim(), 'namespace/default');
  });
});
