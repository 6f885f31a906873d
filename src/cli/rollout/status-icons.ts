// The status and tree icons of the Argo Rollouts kubectl plugin, so `k8ts rollout get` reads the
// same as `kubectl argo rollouts get rollout` to people who know it.

export const ICON = {
  waiting: '◷',
  progressing: '◌',
  warning: '⚠',
  unknown: '?',
  ok: '✔',
  bad: '✖',
  paused: '॥',
  neutral: '•',
} as const;

export const TREE_ICON = {
  rollout: '⟳',
  revision: '#',
  replicaSet: '⧉',
  pod: '□',
  analysisRun: 'α',
} as const;

/** Rollout phase (Healthy, Progressing, Paused, Degraded...) to its icon. */
export function rolloutIcon(phase: string): string {
  switch (phase) {
    case 'Progressing':
      return ICON.progressing;
    case 'Error':
    case 'InvalidSpec':
      return ICON.warning;
    case 'Paused':
      return ICON.paused;
    case 'Healthy':
      return ICON.ok;
    case 'Degraded':
      return ICON.bad;
    case 'Unknown':
      return ICON.unknown;
    case 'ScaledDown':
      return ICON.neutral;
    default:
      return ' ';
  }
}

/** ReplicaSet health word (Healthy, Progressing, ScaledDown, ReplicaFailure) to its icon. */
export function replicaSetIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return ICON.progressing;
    case 'Healthy':
      return ICON.ok;
    case 'ReplicaFailure':
      return ICON.bad;
    case 'ScaledDown':
      return ICON.neutral;
    default:
      return ' ';
  }
}

/** AnalysisRun or measurement phase to its icon. */
export function analysisIcon(phase: string): string {
  switch (phase) {
    case 'Successful':
      return ICON.ok;
    case 'Inconclusive':
      return ICON.unknown;
    case 'Pending':
      return ICON.waiting;
    case 'Running':
      return ICON.progressing;
    case 'Failed':
      return ICON.bad;
    case 'Error':
      return ICON.warning;
    default:
      return ' ';
  }
}
