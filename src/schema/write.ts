/** `npm run schemas`: writes schemas/*.schema.json from the zod schema objects (see json-schemas.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemas, schemaText } from './json-schemas.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, name), schemaText(schema));
  process.stdout.write(`wrote schemas/${name}\n`);
}
