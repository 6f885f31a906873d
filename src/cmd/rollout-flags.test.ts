import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { kubeconfigPath, resolveRolloutConnection } from './rollout-connection.js';
import { parseRolloutFlags } from './rollout-flags.js';
import { UsageError } from './usage-error.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

describe('k8ts rollout flags', () => {
  it('parses a subcommand, a name, kubectl-style connection flags and the subcommand\'s own flags', () => {
    const flags = parseRolloutFlags(['promote', 'demo', '-n', 'team-a', '--full', '--kubeconfig', '/k', '--context', 'c']);
    assert.equal(flags?.subcommand, 'promote');
    assert.equal(flags?.name, 'demo');
    assert.equal(flags?.namespace, 'team-a');
    assert.equal(flags?.full, true);
    assert.equal(flags?.kubeconfig, '/k');
    assert.equal(flags?.context, 'c');
    assert.equal(parseRolloutFlags(['undo', 'demo', '--to-revision', '3'])?.toRevision, 3);
    assert.equal(parseRolloutFlags(['restart', 'demo', '--in', '1m30s'])?.restartInMs, 90_000);
    assert.equal(parseRolloutFlags(['get', 'demo', '-w'])?.watch, true);
    assert.equal(parseRolloutFlags(['--help']), undefined);
  });

  it('rejects what the user must fix, with the fix in the message', () => {
    assert.throws(() => parseRolloutFlags(['promote']), new UsageError('promote needs a rollout name: k8ts rollout promote ROLLOUT_NAME'));
    assert.throws(() => parseRolloutFlags(['frobnicate', 'x']), /unknown command "frobnicate": use one of get, promote/);
    assert.throws(() => parseRolloutFlags(['abort', 'x', '--full']), new UsageError('--full is not a flag of abort'));
    assert.throws(() => parseRolloutFlags(['undo', 'x', '--to-revision', 'two']), /invalid --to-revision "two"/);
    assert.throws(() => parseRolloutFlags(['get', 'x', '--bogus']), UsageError);
  });

  it('finds the kubeconfig as kubectl does and takes the namespace from the context', () => {
    const dir = tempDirRemovedAtExit('k8ts-rollout-flags-');
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1', 'kind: Config', 'current-context: a',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: a, context: {cluster: c, user: u, namespace: team-a}}, {name: b, context: {cluster: c, user: u}}]',
      ].join('\n'),
    );
    assert.equal(kubeconfigPath({}, { KUBECONFIG: [join(dir, 'missing'), file].join(delimiter) }), file);
    assert.equal(kubeconfigPath({}, {}, '/home/x'), join('/home/x', '.kube', 'config'));
    assert.equal(kubeconfigPath({ kubeconfig: '/given' }, { KUBECONFIG: file }), '/given');
    const connection = resolveRolloutConnection({ kubeconfig: file }, {});
    assert.equal(connection.namespace, 'team-a');
    assert.equal(connection.client.server, 'https://127.0.0.1:1');
    assert.equal(connection.client.token, 't');
    assert.equal(resolveRolloutConnection({ kubeconfig: file, context: 'b' }, {}).namespace, 'default');
    assert.equal(resolveRolloutConnection({ kubeconfig: file, namespace: 'x' }, {}).namespace, 'x');
    assert.throws(() => resolveRolloutConnection({ kubeconfig: join(dir, 'nope') }, {}), /no kubeconfig at .*nope: pass --kubeconfig FILE or set KUBECONFIG/);
  });
});
