// Reading a file that may legitimately not be there yet (first start: keys, certificates).
import { readFile } from 'node:fs/promises';

/** The file's text, or undefined when it does not exist; any other failure is thrown. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
