// `k8ts rollout` flags: the subcommand, the rollout's name, the connection flags kubectl users
// expect (--kubeconfig, --context, -n/--namespace) and each subcommand's own flags, resolved once.
import { parseArgs } from 'node:util';
import type { RolloutSubcommand } from '../cli/rollout/run-rollout-command.js';
import { parseDurationMs } from './duration-flag.js';
import { UsageError } from './usage-error.js';

export const ROLLOUT_SUBCOMMANDS: readonly RolloutSubcommand[] = ['get', 'promote', 'abort', 'retry', 'undo', 'pause', 'restart', 'why'];

export interface RolloutFlags {
  readonly subcommand: RolloutSubcommand;
  readonly name: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  /** get: redraw on every change until interrupted (or --timeout-seconds). */
  readonly watch: boolean;
  readonly noColor: boolean;
  /** get -w: stop after this many seconds (0: never). */
  readonly timeoutSeconds: number;
  /** promote: skip all remaining steps, pauses and analysis. */
  readonly full: boolean;
  /** undo: the revision to go back to (0: the one before the newest). */
  readonly toRevision: number;
  /** restart: milliseconds from now (0: now). */
  readonly restartInMs: number;
  /** restart: the --in text as given, for the confirmation line (`0s` when absent). */
  readonly restartIn: string;
}

export const ROLLOUT_USAGE = `Usage: k8ts rollout <command> ROLLOUT_NAME [flags]

Manage Argo Rollouts-compatible Rollouts (argoproj.io/v1alpha1), like kubectl argo rollouts.

Commands:
  get NAME [-w]               a tree of the rollout's revisions, ReplicaSets, pods and AnalysisRuns
  promote NAME [--full]       continue a paused rollout (skip the current pause); --full skips all steps
  abort NAME                  stop the update: all traffic back to the stable revision
  retry NAME                  retry an aborted rollout
  undo NAME [--to-revision N] roll the pod template back to a previous revision (default: the previous one)
  pause NAME                  pause the rollout (spec.paused=true)
  restart NAME [--in 30s]     restart the rollout's pods (spec.restartAt)
  why NAME                    what the controller decided, and the metrics behind each decision

Flags:
  --kubeconfig FILE           kubeconfig to use (default $KUBECONFIG, then ~/.kube/config)
  --context NAME              kubeconfig context (default: its current-context)
  -n, --namespace NS          namespace (default: the context's namespace, else "default")
  -w, --watch                 get: redraw on every change
  --timeout-seconds N         get -w: stop after N seconds
  --no-color                  get: no ANSI colours
  -h, --help                  show this help
`;

function nonNegativeInteger(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: use a whole number such as 2`);
  return Number(text);
}

function isSubcommand(text: string | undefined): text is RolloutSubcommand {
  return (ROLLOUT_SUBCOMMANDS as readonly string[]).includes(text ?? '');
}

/** undefined: --help was asked for (or no arguments at all). */
export function parseRolloutFlags(args: readonly string[]): RolloutFlags | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        watch: { type: 'boolean', short: 'w' },
        'no-color': { type: 'boolean' },
        'timeout-seconds': { type: 'string' },
        full: { type: 'boolean' },
        'to-revision': { type: 'string' },
        in: { type: 'string', short: 'i' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) return undefined;
  const [subcommand, name, ...extra] = positionals;
  if (!isSubcommand(subcommand)) {
    throw new UsageError(`unknown command ${JSON.stringify(subcommand)}: use one of ${ROLLOUT_SUBCOMMANDS.join(', ')}`);
  }
  if (name === undefined || name === '') throw new UsageError(`${subcommand} needs a rollout name: k8ts rollout ${subcommand} ROLLOUT_NAME`);
  if (extra.length > 0) throw new UsageError(`${subcommand} takes one rollout name, got ${JSON.stringify(extra.join(' '))} too`);

  const only = (flag: string, set: boolean, allowed: readonly RolloutSubcommand[]): void => {
    if (set && !allowed.includes(subcommand)) throw new UsageError(`--${flag} is not a flag of ${subcommand}`);
  };
  only('watch', values.watch === true, ['get']);
  only('no-color', values['no-color'] === true, ['get']);
  only('timeout-seconds', values['timeout-seconds'] !== undefined, ['get']);
  only('full', values.full === true, ['promote']);
  only('to-revision', values['to-revision'] !== undefined, ['undo']);
  only('in', values.in !== undefined, ['restart']);

  return {
    subcommand,
    name,
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    watch: values.watch === true,
    noColor: values['no-color'] === true,
    timeoutSeconds: nonNegativeInteger('--timeout-seconds', values['timeout-seconds']),
    full: values.full === true,
    toRevision: nonNegativeInteger('--to-revision', values['to-revision']),
    restartInMs: values.in === undefined ? 0 : parseDurationMs('--in', values.in),
    restartIn: values.in ?? '0s',
  };
}
