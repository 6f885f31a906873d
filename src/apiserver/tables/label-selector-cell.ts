// A SELECTOR cell as upstream's metav1.FormatLabelSelector prints it (ReplicaSets, Jobs, CronJobs):
// the selector's string form, `<none>` when it selects nothing in particular (empty or unset),
// `<error>` when it does not parse.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { formatLabelSelector } from '../../api/selectors/label-selector.js';

export function labelSelectorCell(selector: LabelSelector | undefined): string {
  try {
    return formatLabelSelector(selector) || '<none>';
  } catch {
    return '<error>';
  }
}
