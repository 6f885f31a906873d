// Minimal Prometheus metric families (counter, gauge, histogram) rendered in the text exposition
// format 0.0.4. Written by hand: the server needs a handful of metrics, not a client library.

export type Labels = Readonly<Record<string, string>>;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** One series per distinct label-value tuple, keyed by the tuple joined with an unlikely separator. */
abstract class MetricFamily<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { values: string[]; state: S }>();

  constructor(options: { name: string; help: string; labelNames?: readonly string[] }) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
  }

  protected abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract initial(): S;
  protected abstract renderSeries(values: readonly string[], state: S): string[];

  protected seriesFor(labels: Labels): S {
    const values = this.labelNames.map((name) => labels[name] ?? '');
    const key = values.join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      entry = { values, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { values, state } of this.series.values()) lines.push(...this.renderSeries(values, state));
    return lines.join('\n') + '\n';
  }
}

export class Counter extends MetricFamily<{ value: number }> {
  protected readonly type = 'counter';
  protected initial() {
    return { value: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    this.seriesFor(labels).value += by;
  }
  get(labels: Labels = {}): number {
    return this.seriesFor(labels).value;
  }
  protected renderSeries(values: readonly string[], state: { value: number }): string[] {
    return [`${this.name}${formatLabels(this.labelNames, values)} ${formatNumber(state.value)}`];
  }
}

export class Gauge extends MetricFamily<{ value: number }> {
  protected readonly type = 'gauge';
  protected initial() {
    return { value: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    this.seriesFor(labels).value += by;
  }
  dec(labels: Labels = {}, by = 1): void {
    this.seriesFor(labels).value -= by;
  }
  get(labels: Labels = {}): number {
    return this.seriesFor(labels).value;
  }
  protected renderSeries(values: readonly string[], state: { value: number }): string[] {
    return [`${this.name}${formatLabels(this.labelNames, values)} ${formatNumber(state.value)}`];
  }
}

interface HistogramState {
  /** Non-cumulative count per bucket; rendered cumulatively as Prometheus requires. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends MetricFamily<HistogramState> {
  protected readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(options: { name: string; help: string; labelNames?: readonly string[]; buckets: readonly number[] }) {
    super(options);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const state = this.seriesFor(labels);
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) state.counts[index] = (state.counts[index] ?? 0) + 1;
    state.sum += value;
    state.count += 1;
  }

  protected renderSeries(values: readonly string[], state: HistogramState): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += state.counts[i] ?? 0;
      lines.push(`${this.name}_bucket${formatLabels(this.labelNames, values, `le="${formatNumber(bound)}"`)} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${formatLabels(this.labelNames, values, 'le="+Inf"')} ${state.count}`);
    lines.push(`${this.name}_sum${formatLabels(this.labelNames, values)} ${formatNumber(state.sum)}`);
    lines.push(`${this.name}_count${formatLabels(this.labelNames, values)} ${state.count}`);
    return lines;
  }
}
