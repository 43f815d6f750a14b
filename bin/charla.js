#!/usr/bin/env node
// The `charla` command: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/charla.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('charla is not built yet: run `npm install` (or `npm run build`) in the Charla folder first.\n');
  process.exit(1);
}
await import(entry.href);
