// Fails when the committed generated API types differ from what the spec generates now.
import { readFileSync, rmSync } from 'node:fs';

const [committed, fresh] = process.argv.slice(2);
const same = readFileSync(committed, 'utf8') === readFileSync(fresh, 'utf8');
rmSync(fresh);
if (!same) {
  console.error(`${committed} is out of date with openapi/openapi.json. Regenerate it with:\n\n    npm run generate-api\n`);
  process.exit(1);
}
console.log(`${committed} matches openapi/openapi.json`);
