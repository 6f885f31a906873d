// From a measured value and a metric's conditions to a measurement phase, as Argo decides it
// (utils/evaluate.EvaluateResult):
//
//   success  failure  | phase
//   -------  -------  | -----
//   (none)   (none)   | Successful (any value that was measured at all)
//   S        (none)   | S true -> Successful, else Failed
//   (none)   F        | F true -> Failed, else Successful
//   S        F        | F true -> Failed (failure wins), S true -> Successful, neither -> Inconclusive
//
// An expression that fails to evaluate (bad syntax, `result[0]` of an empty vector, comparing a
// string with a number) is an Error measurement, never a silent pass.
import { ExpressionError } from './analysis-errors.js';
import type { AnalysisPhase, Metric } from './analysis-types.js';
import { evaluateCondition } from './expression/expression.js';

export interface EvaluatedPhase {
  phase: Extract<AnalysisPhase, 'Successful' | 'Failed' | 'Inconclusive' | 'Error'>;
  /** Set when phase is Error. */
  message?: string;
}

export function evaluateResult(result: unknown, metric: Pick<Metric, 'successCondition' | 'failureCondition'>): EvaluatedPhase {
  const success = metric.successCondition ?? '';
  const failure = metric.failureCondition ?? '';
  let successMet = false;
  let failureMet = false;
  try {
    if (success !== '') successMet = judge('successCondition', success, result);
    if (failure !== '') failureMet = judge('failureCondition', failure, result);
  } catch (error) {
    if (error instanceof ExpressionError) return { phase: 'Error', message: error.message };
    throw error;
  }
  if (success === '' && failure === '') return { phase: 'Successful' };
  if (failure === '') failureMet = !successMet;
  if (success === '') successMet = !failureMet;
  if (failureMet) return { phase: 'Failed' };
  if (!successMet) return { phase: 'Inconclusive' };
  return { phase: 'Successful' };
}

function judge(kind: string, expression: string, result: unknown): boolean {
  try {
    return evaluateCondition(expression, result);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const empty = result === null || result === undefined || (Array.isArray(result) && result.length === 0);
    const detail = empty ? `metric result is nil or empty: no data returned from the metric provider (${error.message})` : error.message;
    throw new ExpressionError(`could not evaluate ${kind} "${expression}": ${detail}`, { cause: error });
  }
}
