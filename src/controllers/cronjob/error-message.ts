// The text an event shows for a failed API call (upstream formats the error with %v).
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
