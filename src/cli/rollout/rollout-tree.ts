// Prints a RolloutView as the Argo Rollouts plugin's `get rollout` does: a summary block (status,
// strategy, step, weights, images, replica counts) and a tree of revisions -> ReplicaSets -> pods
// and AnalysisRuns, in aligned NAME KIND STATUS AGE INFO columns. Colours only on request.
import { ageSince, humanDuration } from './human-duration.js';
import { ICON, TREE_ICON } from './status-icons.js';
import type { AnalysisRunView, ImageView, ReplicaSetView, RolloutView } from './rollout-view.js';

export interface RenderOptions {
  readonly now: Date;
  /** ANSI colours for icons and stable/canary/active/preview tags. */
  readonly color: boolean;
}

const GREEN = 32;
const RED = 31;
const YELLOW = 33;
const HI_BLUE = 94;
const COLOURS: Readonly<Record<string, number>> = {
  [ICON.waiting]: YELLOW,
  [ICON.progressing]: HI_BLUE,
  [ICON.warning]: RED,
  [ICON.unknown]: YELLOW,
  [ICON.ok]: GREEN,
  [ICON.bad]: RED,
  canary: YELLOW,
  stable: GREEN,
  active: GREEN,
  preview: HI_BLUE,
  Pending: HI_BLUE,
  Running: HI_BLUE,
};

// eslint-disable-next-line no-control-regex -- matching the escape sequences we add is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/** Visible width: ANSI sequences take no room. Each icon here is one column wide. */
const width = (text: string): number => [...text.replace(ANSI, '')].length;

class Painter {
  readonly color: boolean;
  constructor(options: { readonly color: boolean }) {
    this.color = options.color;
  }
  /** Colours a known word or icon; `key` picks the colour of another word (a name by its tag). */
  paint(text: string, key = text): string {
    const code = COLOURS[key];
    return this.color && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}

/** The tree branch for a child, and the prefix its own children continue with. */
function branch(isLast: boolean, prefix: string): [string, string] {
  return isLast ? [`${prefix}└──`, `${prefix}   `] : [`${prefix}├──`, `${prefix}│  `];
}

type Row = readonly [name: string, kind: string, status: string, age: string, info: string];

/** Left-aligned columns two spaces apart, as Go's tabwriter(minwidth 0, padding 2) lays them out. */
function alignColumns(rows: readonly Row[]): string {
  const widths = [0, 0, 0, 0];
  for (const row of rows) for (let i = 0; i < 4; i += 1) widths[i] = Math.max(widths[i] ?? 0, width(row[i] ?? ''));
  return rows
    .map((row) => row.map((cell, i) => (i < 4 ? cell + ' '.repeat((widths[i] ?? 0) - width(cell) + 2) : cell)).join('').trimEnd())
    .join('\n');
}

function formatImage(image: ImageView, painter: Painter): string {
  return image.tags.length === 0 ? image.image : `${image.image} (${image.tags.map((tag) => painter.paint(tag)).join(', ')})`;
}

function replicaSetRows(rs: ReplicaSetView, prefix: string, childPrefix: string, painter: Painter, now: Date): Row[] {
  const tags = rs.tags.filter((tag) => tag !== 'active' || !rs.tags.includes('canary'));
  const info: string[] = tags.map((tag) => painter.paint(tag));
  if (rs.scaleDownDeadline !== undefined) {
    const deadline = Date.parse(rs.scaleDownDeadline);
    if (!Number.isNaN(deadline)) info.push(`delay:${deadline <= now.getTime() ? 'passed' : humanDuration(deadline - now.getTime())}`);
  }
  info.push(`ready:${rs.ready}/${rs.desired}`);
  const name = painter.paint(rs.name, tags.find((tag) => tag !== 'stable') ?? tags[0]);
  const rows: Row[] = [
    [`${prefix}${TREE_ICON.replicaSet} ${name}`, 'ReplicaSet', `${painter.paint(rs.icon)} ${rs.status}`, ageSince(rs.createdAt, now), info.join(',')],
  ];
  rs.pods.forEach((pod, index) => {
    const [podPrefix] = branch(index === rs.pods.length - 1, childPrefix);
    const podInfo = [`ready:${pod.ready}`, ...(pod.restarts > 0 ? [`restarts:${pod.restarts}`] : [])];
    rows.push([`${podPrefix}${TREE_ICON.pod} ${pod.name}`, 'Pod', `${painter.paint(pod.icon)} ${pod.status}`, ageSince(pod.createdAt, now), podInfo.join(',')]);
  });
  return rows;
}

function analysisRunRow(run: AnalysisRunView, prefix: string, painter: Painter, now: Date): Row {
  const counts: [number, string][] = [
    [run.successful, ICON.ok],
    [run.failed, ICON.bad],
    [run.inconclusive, ICON.unknown],
    [run.error, ICON.warning],
  ];
  const info = counts.filter(([count]) => count > 0).map(([count, icon]) => `${painter.paint(icon)} ${count}`);
  const name = painter.paint(run.name, run.phase);
  return [`${prefix}${TREE_ICON.analysisRun} ${name}`, 'AnalysisRun', `${painter.paint(run.icon)} ${run.phase}`, ageSince(run.createdAt, now), info.join(',')];
}

export function renderTree(view: RolloutView, options: RenderOptions): string {
  const painter = new Painter({ color: options.color });
  const rows: Row[] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([`${TREE_ICON.rollout} ${view.name}`, 'Rollout', `${painter.paint(view.icon)} ${view.phase}`, ageSince(view.createdAt, options.now), '']);
  view.revisions.forEach((revision, index) => {
    const [prefix, subPrefix] = branch(index === view.revisions.length - 1, '');
    rows.push([`${prefix}${TREE_ICON.revision} revision:${revision.revision}`, '', '', '', '']);
    const total = revision.replicaSets.length + revision.analysisRuns.length;
    let current = 0;
    for (const rs of revision.replicaSets) {
      const [childPrefix, childSubPrefix] = branch(current === total - 1, subPrefix);
      rows.push(...replicaSetRows(rs, childPrefix, childSubPrefix, painter, options.now));
      current += 1;
    }
    for (const run of revision.analysisRuns) {
      const [childPrefix] = branch(current === total - 1, subPrefix);
      rows.push(analysisRunRow(run, childPrefix, painter, options.now));
      current += 1;
    }
  });
  return `${alignColumns(rows)}\n`;
}

/** `Name:            demo`: Argo's `%-17s%v` summary lines. */
const field = (label: string, value: string | number): string => `${label.padEnd(17)}${value}`.trimEnd();

export function renderRollout(view: RolloutView, options: RenderOptions): string {
  const painter = new Painter({ color: options.color });
  const lines = [field('Name:', view.name), field('Namespace:', view.namespace), field('Status:', `${painter.paint(view.icon)} ${view.phase}`)];
  if (view.message !== '') lines.push(field('Message:', view.message));
  lines.push(field('Strategy:', view.strategy));
  if (view.strategy === 'Canary') {
    if (view.step !== undefined) lines.push(field('  Step:', view.step));
    lines.push(field('  SetWeight:', view.setWeight ?? ''), field('  ActualWeight:', view.actualWeight ?? ''));
  }
  view.images.forEach((image, index) => lines.push(field(index === 0 ? 'Images:' : '', formatImage(image, painter))));
  lines.push(
    'Replicas:',
    field('  Desired:', view.replicas.desired),
    field('  Current:', view.replicas.current),
    field('  Updated:', view.replicas.updated),
    field('  Ready:', view.replicas.ready),
    field('  Available:', view.replicas.available),
    '',
  );
  return `${lines.join('\n')}\n${renderTree(view, options)}`;
}
