// Builds the test/demo images (httpd, shell, pause; see test-images.ts) and pushes them to a
// plain-HTTP registry. Prints the image references as JSON.
//   node --import tsx scripts/images/push-images.ts --registry 127.0.0.1:5000 [--work-dir DIR]
// With --build-only --work-dir DIR it only writes the OCI layouts to DIR/oci/<name> (for
// `ctr images import`, no registry needed).
import { parseArgs } from 'node:util';
import { waitForRegistry } from './registry-push.js';
import { buildTestImages, pushTestImages } from './test-images.js';

const { values } = parseArgs({
  options: {
    registry: { type: 'string', default: '127.0.0.1:5000' },
    'work-dir': { type: 'string' },
    'build-only': { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help === true || (values['build-only'] === true && values['work-dir'] === undefined)) {
  process.stdout.write('usage: push-images.ts [--registry HOST:PORT] [--work-dir DIR] | --build-only --work-dir DIR\n');
  process.exit(values.help === true ? 0 : 2);
}
if (values['build-only'] === true && values['work-dir'] !== undefined) {
  const layouts = await buildTestImages(values['work-dir']);
  process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(layouts).map(([name, layout]) => [name, layout.dir])), null, 2)}\n`);
  process.exit(0);
}
const registry = values.registry;
await waitForRegistry(registry, 5000);
const images = await pushTestImages(registry, values['work-dir']);
process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
