// The real RolloutAnalysisLauncher: H16's launch helper (src/rollouts/analysis-launch.ts) creates
// or finds the AnalysisRun; analysisRunResult reads its phase and metrics for the decision log.
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { analysisRunResult, ensureAnalysisRun, terminateAnalysisRun } from '../../rollouts/analysis-launch.js';
import type { AnalysisRunObject, AnalysisTemplateObject, ClusterAnalysisTemplateObject } from '../../rollouts/analysis-objects.js';
import type { AnalysisOutcome, AnalysisRequest, RolloutAnalysisLauncher } from './rollout-analysis.js';

export interface AnalysisLauncherOptions {
  readonly clients: ClientSet;
  readonly analysisRuns: Lister<AnalysisRunObject>;
  readonly analysisTemplates: Lister<AnalysisTemplateObject>;
  readonly clusterAnalysisTemplates: Lister<ClusterAnalysisTemplateObject>;
}

export class AnalysisLauncher implements RolloutAnalysisLauncher {
  private readonly options: AnalysisLauncherOptions;

  constructor(options: AnalysisLauncherOptions) {
    this.options = options;
  }

  async ensure(request: AnalysisRequest): Promise<AnalysisOutcome> {
    const { analysis } = request;
    const run = await ensureAnalysisRun(
      {
        rollout: request.rollout,
        kind: request.kind,
        ...(request.stepIndex !== undefined ? { stepIndex: request.stepIndex } : {}),
        templates: (analysis.templates ?? []).map((t) => ({ templateName: t.templateName ?? '', ...(t.clusterScope !== undefined ? { clusterScope: t.clusterScope } : {}) })),
        ...(analysis.args !== undefined ? { args: analysis.args } : {}),
        ...(analysis.dryRun !== undefined ? { dryRun: analysis.dryRun } : {}),
        podHashes: { ...(request.podHashes.stable !== undefined ? { stable: request.podHashes.stable } : {}), latest: request.podHashes.canary },
        revision: request.revision,
      },
      this.options.clients,
      this.options,
    );
    const result = analysisRunResult(run);
    return { name: result.name, phase: result.phase, ...(result.message !== undefined ? { message: result.message } : {}), metrics: result.metrics };
  }

  async terminate(namespace: string | undefined, name: string): Promise<void> {
    const run = this.options.analysisRuns.get(namespace, name);
    if (run) await terminateAnalysisRun(run, this.options.clients);
  }
}
