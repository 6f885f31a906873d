// Usage numbers as the quantities metrics-server writes, in the canonical form of upstream's
// resource.Quantity String(): CPU built from nanocores (DecimalSI, scale -9) and memory from bytes
// (BinarySI). Canonical means the largest suffix that keeps an integer: 1234567 nanocores ->
// "1234567n", 5000000 -> "5m", 2e9 -> "2"; 10240 bytes -> "10Ki", 1536 -> "1536", 0 -> "0".
import { formatDecimalQuantity } from '../../api/quantity.js';

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** Nanocores (a non-negative integer; negatives become 0) as a CPU quantity. */
export function formatCpuNanoCores(nanoCores: number): string {
  return formatDecimalQuantity(Math.max(0, nanoCores), 'n');
}

/** Bytes (a non-negative integer) as a memory quantity. */
export function formatMemoryBytes(bytes: number): string {
  let value = Math.max(0, Math.round(bytes));
  // Upstream prints values under 1024 in decimal: no suffix either way for integers.
  if (value < 1024) return String(value);
  let index = 0;
  while (value % 1024 === 0 && index < BINARY_SUFFIXES.length - 1) {
    value /= 1024;
    index++;
  }
  return `${value}${BINARY_SUFFIXES[index] ?? ''}`;
}

/** A window as Go's time.Duration prints whole-second-or-less precision: "10s", "10.523s". */
export function formatWindow(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  return `${ms / 1000}s`;
}
