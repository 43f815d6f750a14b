// Builds the inbox into dist/web: hashed, minified files and an index.html that names them.
// `node web/build.mjs` (run by `npm run build`, hence by `npm install` through `prepare`).
// Prints the JavaScript of the first load, gzipped: the budget is 100 KB (docs/decisions.md).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'dist', 'web');
const BUDGET_GZIP_BYTES = 100 * 1024;

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: { inbox: path.join(here, 'src', 'main.tsx') },
  outdir: path.join(out, 'assets'),
  publicPath: '/assets',
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  target: ['chrome111', 'firefox111', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = result.metafile.outputs;
const entry = Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith('main.tsx'));
if (!entry) throw new Error('esbuild produced no entry for web/src/main.tsx');
const [entryFile, entryOutput] = entry;
const relative = (file) => '/' + path.relative(out, path.resolve(file)).split(path.sep).join('/');

// The first load: the entry and every chunk it imports statically (dynamic imports come later).
const firstLoad = new Set();
const visit = (file) => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
};
visit(entryFile);
let gzipped = 0;
for (const file of firstLoad) gzipped += gzipSync(await readFile(file), { level: 9 }).length;

const template = await readFile(path.join(here, 'index.html'), 'utf8');
const css = entryOutput.cssBundle ? `<link rel="stylesheet" href="${relative(entryOutput.cssBundle)}" />` : '';
const preloads = [...firstLoad]
  .filter((f) => f !== entryFile)
  .map((f) => `<link rel="modulepreload" href="${relative(f)}" />`)
  .join('');
const html = template
  .replace('<!--styles-->', css + preloads)
  .replace('<!--scripts-->', `<script type="module" src="${relative(entryFile)}"></script>`);
await writeFile(path.join(out, 'index.html'), html);
const report = { firstLoadJsGzipBytes: gzipped, budgetGzipBytes: BUDGET_GZIP_BYTES, files: [...firstLoad].map(relative) };
await writeFile(path.join(out, 'build-report.json'), JSON.stringify(report, null, 2));
const kb = (gzipped / 1024).toFixed(1);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error(`web: first load ${kb} KB of JavaScript gzipped, over the budget of 100 KB`);
  process.exit(1);
}
if (!process.env.CHARLA_QUIET_BUILD) console.log(`web: built dist/web (first load ${kb} KB of JavaScript gzipped; budget 100 KB)`);
