// Child process for the SQLite crash test: creates keys with 16 concurrent writers and prints each
// key on stdout only after its create resolved (was acknowledged). The parent kills it with SIGKILL.
import { SqliteStore } from './sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer.fixture.ts <db path>');
const store = new SqliteStore({ path });
let next = 0;
async function writer(): Promise<void> {
  for (;;) {
    const key = `/crash/k${String(next++).padStart(8, '0')}`;
    await store.create(key, 'x'.repeat(200));
    process.stdout.write(`${key}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, () => writer()));
