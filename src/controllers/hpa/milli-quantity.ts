// Upstream's HPA computes in milli-units (Quantity.MilliValue(): cpu in millicores, memory in
// thousandths of a byte) and reports through resource.NewMilliQuantity(x, DecimalSI).
import { formatDecimalQuantity, tryParseQuantity } from '../../api/quantity.js';

/**
 * A quantity's value in milli-units, rounded up like MilliValue(): '250m' -> 250, '1' -> 1000,
 * '128Mi' -> 134217728000. Undefined when it is not a quantity.
 */
export function milliValue(quantity: string | number | undefined): number | undefined {
  const value = tryParseQuantity(quantity);
  if (value === undefined) return undefined;
  // Float noise ('0.1' * 1000 = 100.00000000000001) must not round up to the next milli.
  return Math.ceil(Number((value * 1000).toFixed(6)));
}

/**
 * The canonical DecimalSI text of a milli-value: the largest suffix that keeps an integer.
 * 1500 -> "1500m", 2000 -> "2", 104857600000 -> "104857600", 200000000000 -> "200M".
 */
export function formatMilliQuantity(milli: number): string {
  return formatDecimalQuantity(milli, 'm');
}
