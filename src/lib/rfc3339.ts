// metav1.Time's wire form, shared by everything the API server stamps (creationTimestamp,
// managedFields times, conditions): RFC 3339 with whole seconds, UTC (`2026-11-27T05:00:00Z`).

/**
 * Every write stamps a time or two and most fall in the same second as the last one: formatting
 * once per second saves a toISOString and a regex per stamp.
 */
export function rfc3339(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

let lastSecond = Number.NaN;
let lastText = '';
