#!/usr/bin/env node
// AsyncAPI's official HTML template (@asyncapi/html-template), run by the AsyncAPI generator
// library (both pinned in package.json): the engine behind `asyncapi generate fromTemplate`.
//
//   node render.mjs OUT_DIR < specs/asyncapi.yaml
//
// Writes index.html, css/ and js/ into OUT_DIR; run by watchparty/codegen/asyncapi_docs.py,
// which stamps and caches the output by input. Offline: the template is the installed copy
// (install: false) and the favicon is the template's own file. compile: true transpiles the
// template's JSX into its node_modules folder: the pre-transpiled build it ships requires
// files by the absolute paths of the machine that published it.

import Generator from '@asyncapi/generator';
import { createRequire } from 'node:module';
import path from 'node:path';

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: node render.mjs OUT_DIR < asyncapi.yaml\n');
  process.exit(2);
}
// Streamed, not readFileSync(0): that throws EAGAIN when the pipe is empty for a moment.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);

const require = createRequire(import.meta.url);
const template = path.dirname(require.resolve('@asyncapi/html-template/package.json'));
const generator = new Generator(template, path.resolve(outDir), {
  forceWrite: true,
  install: false,
  compile: true,
  // singleFile=false: scripts and styles are separate local files (css/, js/), never a CDN.
  templateParams: { singleFile: 'false', outFilename: 'index.html' },
});
await generator.generateFromString(Buffer.concat(chunks).toString('utf8'));
