// apps/v1 DaemonSets, StatefulSets and ControllerRevisions as API objects, with the real kubectl
// 1.32 against `k8ts server` (API only: no controllers, so no pods and no revisions of their own;
// the revisions here are written the way the controllers write them). Covers apply and the
// defaults it reads back, tables, explain, discovery, upstream's refusals, `kubectl scale sts`, and
// the rollout history/undo commands that read ControllerRevisions and patch the set with one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControllerRevision, DaemonSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, pinnedKubectl132, type Kubectl, type PinnedKubectl } from '../helpers/kubectl.js';

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function daemonSetManifest(image: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image }] },
      },
    },
  });
}

function statefulSetManifest(serviceName: string, name = 'web'): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      serviceName,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
}

/**
 * A revision as the DaemonSet and StatefulSet controllers record one: the pod template as a strategic
 * merge patch that replaces the whole template, owned by the set, labelled like its pods.
 */
function revisionManifest(owner: { kind: string; name: string; uid: string }, revision: number, template: object): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: `${owner.name}-r${revision}`, labels: { app: owner.name },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    data: { spec: { template: { $patch: 'replace', ...template } } },
    revision,
  });
}

describe('apps/v1 DaemonSet, StatefulSet and ControllerRevision API with kubectl', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let pinned: PinnedKubectl;
  const k = (args: readonly string[], input?: string) => pinned.run(args, input);
  const ok = (args: readonly string[], input?: string) => pinned.ok(args, input);
  const json = <T>(args: readonly string[]) => pinned.json<T>(args);
  const apply = async (manifest: string): Promise<string> => (await ok(['apply', '-f', '-'], manifest)).trim();

  before(async () => {
    server = await startServer();
    kubectl = kubectlFor(server.kubeconfig);
    pinned = pinnedKubectl132(kubectl);
  });
  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('kubectl apply a DaemonSet and a StatefulSet: get -o yaml shows upstream defaults', async () => {
    assert.equal(await apply(daemonSetManifest('busybox:1.36')), 'daemonset.apps/agent created');
    assert.equal(await apply(statefulSetManifest('web')), 'statefulset.apps/web created');

    const ds = await json<DaemonSet>(['get', 'ds', 'agent']);
    assert.deepEqual(ds.spec?.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.spec?.revisionHistoryLimit, 10);
    assert.equal(ds.spec?.template.spec?.restartPolicy, 'Always');
    assert.equal(ds.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual([ds.metadata?.generation, ds.metadata?.annotations?.[TEMPLATE_GENERATION]], [1, '1']);

    const sts = await json<StatefulSet>(['get', 'sts', 'web']);
    const { template, volumeClaimTemplates, ...spec } = sts.spec ?? { template: {}, selector: {}, serviceName: '' };
    assert.deepEqual(spec, {
      replicas: 1, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    assert.equal(template.spec?.terminationGracePeriodSeconds, 30);
    assert.deepEqual(volumeClaimTemplates?.[0], {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });

    const yaml = await ok(['get', 'ds,sts', '-o', 'yaml']);
    for (const line of ['maxUnavailable: 1', 'maxSurge: 0', 'podManagementPolicy: OrderedReady', 'partition: 0', 'whenScaled: Retain', 'volumeMode: Filesystem', 'numberMisscheduled: 0']) {
      assert.ok(yaml.includes(line), `expected ${line} in:\n${yaml}`);
    }
  });

  it('kubectl get ds / sts (and -o wide, get all) print upstream columns', async () => {
    const daemonSets = await ok(['get', 'ds']);
    assert.match(daemonSets, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m);
    assert.match(daemonSets, /^agent\s+0\s+0\s+0\s+0\s+0\s+kubernetes\.io\/os=linux\s+\S+$/m);
    assert.match(await ok(['get', 'ds', '-o', 'wide']), /^agent\s+(\S+\s+){7}agent\s+busybox:1\.36\s+app=agent$/m);
    const statefulSets = await ok(['get', 'sts']);
    assert.match(statefulSets, /^NAME\s+READY\s+AGE$/m);
    assert.match(statefulSets, /^web\s+0\/1\s+\S+$/m);
    const wide = await ok(['get', 'sts', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES$/m);
    assert.match(wide, /^web\s+0\/1\s+\S+\s+nginx\s+nginx:1\.27$/m);
    const all = await ok(['get', 'all']);
    assert.match(all, /^daemonset\.apps\/agent\s/m);
    assert.match(all, /^statefulset\.apps\/web\s/m);
  });

  it('kubectl describe reads the sets, their pods (none) and their claim templates', async () => {
    const ds = await ok(['describe', 'ds', 'agent']);
    assert.match(ds, /^Desired Number of Nodes Scheduled: 0$/m);
    assert.match(ds, /^Node-Selector:\s+kubernetes\.io\/os=linux$/m);
    const sts = await ok(['describe', 'sts', 'web']);
    assert.match(sts, /^Update Strategy:\s+RollingUpdate$/m);
    assert.match(sts, /^Volume Claims:\n\s+Name:\s+data$/m);
    assert.match(sts, /^\s+Capacity:\s+1Gi$/m);
  });

  it('kubectl explain reads the generated schemas; api-resources lists the three kinds', async () => {
    const spec = await ok(['explain', 'sts.spec']);
    assert.match(spec, /KIND:\s+StatefulSet/);
    assert.match(spec, /volumeClaimTemplates\s+<\[\]PersistentVolumeClaim>/);
    assert.match(await ok(['explain', 'ds.spec.updateStrategy.rollingUpdate']), /maxSurge\s+<IntOrString>/);
    assert.match(await ok(['explain', 'controllerrevision.data']), /FIELD: data <RawExtension>/);
    const rows = (await ok(['api-resources', '--api-group', 'apps'])).split('\n').map((line) => line.trim().split(/\s+/));
    assert.deepEqual(rows.find((cells) => cells[0] === 'daemonsets'), ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet']);
    assert.deepEqual(rows.find((cells) => cells[0] === 'statefulsets'), ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet']);
    assert.deepEqual(rows.find((cells) => cells[0] === 'controllerrevisions'), ['controllerrevisions', 'apps/v1', 'true', 'ControllerRevision']);
  });

  it('refuses invalid sets and a change to a fixed StatefulSet field with upstream wording', async () => {
    const moved = await k(['apply', '-f', '-'], statefulSetManifest('db'));
    assert.equal(moved.code, 1);
    assert.match(moved.stderr, new RegExp(
      'The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ' +
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ));
    assert.equal((await json<StatefulSet>(['get', 'sts', 'web'])).spec?.serviceName, 'web');

    const stuck = await k(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'stuck' },
      spec: {
        selector: { matchLabels: { app: 'stuck' } }, updateStrategy: { rollingUpdate: { maxUnavailable: 0 } },
        template: { metadata: { labels: { app: 'stuck' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    }));
    assert.equal(stuck.code, 1);
    assert.match(stuck.stderr, /The DaemonSet "stuck" is invalid: spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Required value: cannot be 0 when maxSurge is 0/);

    const dotted = await k(['create', '-f', '-'], statefulSetManifest('web', 'web.v2'));
    assert.equal(dotted.code, 1);
    assert.match(dotted.stderr, /The StatefulSet "web\.v2" is invalid: metadata\.name: Invalid value: "web\.v2": must not contain dots/);
  });

  it('kubectl scale sts changes spec.replicas through the scale subresource', async () => {
    assert.equal((await ok(['scale', 'sts', 'web', '--replicas=3'])).trim(), 'statefulset.apps/web scaled');
    const sts = await json<StatefulSet>(['get', 'sts', 'web']);
    assert.deepEqual([sts.spec?.replicas, sts.metadata?.generation], [3, 2]);
    assert.match(await ok(['get', 'sts', 'web']), /^web\s+0\/3\s/m);
  });

  it('ControllerRevisions: listed with their controller, read by rollout history, applied by rollout undo', async () => {
    const ds = await json<DaemonSet>(['get', 'ds', 'agent']);
    const owner = { kind: 'DaemonSet', name: 'agent', uid: ds.metadata?.uid ?? '' };
    const templateWith = (image: string) => ({
      metadata: { labels: { app: 'agent' } },
      spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image }] },
    });
    assert.equal(await apply(revisionManifest(owner, 1, templateWith('busybox:1.35'))), 'controllerrevision.apps/agent-r1 created');
    assert.equal(await apply(revisionManifest(owner, 2, templateWith('busybox:1.36'))), 'controllerrevision.apps/agent-r2 created');

    const table = await ok(['get', 'controllerrevisions']);
    assert.match(table, /^NAME\s+CONTROLLER\s+REVISION\s+AGE$/m);
    assert.match(table, /^agent-r1\s+daemonset\.apps\/agent\s+1\s+\S+$/m);
    assert.match(table, /^agent-r2\s+daemonset\.apps\/agent\s+2\s+\S+$/m);
    assert.doesNotMatch(await ok(['get', 'all']), /controllerrevision/);

    assert.match(await ok(['rollout', 'history', 'ds/agent']), /^1\s+<none>$\n^2\s+<none>$/m);
    assert.match(await ok(['rollout', 'history', 'ds/agent', '--revision=1']), /Image:\s+busybox:1\.35/);
    assert.equal((await ok(['rollout', 'undo', 'ds/agent', '--to-revision=1'])).trim(), 'daemonset.apps/agent rolled back');
    const undone = await json<DaemonSet>(['get', 'ds', 'agent']);
    assert.equal(undone.spec?.template.spec?.containers[0]?.image, 'busybox:1.35');
    assert.equal(undone.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent', 'the replaced template is defaulted again');
    assert.deepEqual([undone.metadata?.generation, undone.metadata?.annotations?.[TEMPLATE_GENERATION]], [2, '2']);
  });

  it('kubectl rollout undo sts uses the previous revision; revision data cannot be rewritten', async () => {
    const sts = await json<StatefulSet>(['get', 'sts', 'web']);
    const owner = { kind: 'StatefulSet', name: 'web', uid: sts.metadata?.uid ?? '' };
    const templateWith = (image: string) => ({
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
    });
    await apply(revisionManifest(owner, 1, templateWith('nginx:1.26')));
    await apply(revisionManifest(owner, 2, templateWith('nginx:1.27')));
    assert.equal((await ok(['rollout', 'undo', 'sts/web'])).trim(), 'statefulset.apps/web rolled back');
    assert.equal((await json<StatefulSet>(['get', 'sts', 'web'])).spec?.template.spec?.containers[0]?.image, 'nginx:1.26');

    // `replace`, not a second `apply`: kubectl cannot compute a strategic merge patch inside opaque
    // data (a RawExtension), against a real cluster too.
    const rewritten = await k(['replace', '-f', '-'], revisionManifest(owner, 1, templateWith('nginx:9')));
    assert.equal(rewritten.code, 1);
    assert.match(rewritten.stderr, /The ControllerRevision "web-r1" is invalid: data: Invalid value: .*: field is immutable/);
    const renumbered = await json<ControllerRevision>(['patch', 'controllerrevision', 'web-r1', '--type=merge', '-p', '{"revision":3}']);
    assert.equal(renumbered.revision, 3);
  });
});
