#!/usr/bin/env node
// Validate AsyncAPI documents with the official AsyncAPI parser (@asyncapi/parser).
//
//   node validate.mjs FILE...
//
// Each FILE is parsed with its own absolute path as the source, so relative `$ref`s to other
// files resolve against the file's directory. Every diagnostic of severity error or warning is
// printed as `FILE:LINE:COL: error|warning [code] message (at json.path)`, errors on stderr and
// warnings on stdout. Exit status: 0 when no file has an error, 1 when any has, 2 on bad usage.

import { resolve } from 'node:path';
import { access } from 'node:fs/promises';

import { DiagnosticSeverity, Parser, fromFile } from '@asyncapi/parser';

const SEVERITY_NAMES = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
};

function location(diagnostic, fallbackFile) {
  // Spectral reports the document a diagnostic belongs to (a referenced file may differ from
  // the one given on the command line) and a 0-based range.
  const file = diagnostic.source || fallbackFile;
  const start = diagnostic.range && diagnostic.range.start;
  return start ? `${file}:${start.line + 1}:${start.character + 1}` : file;
}

function format(diagnostic, fallbackFile) {
  const severity = SEVERITY_NAMES[diagnostic.severity];
  const code = diagnostic.code !== undefined ? ` [${diagnostic.code}]` : '';
  const path =
    Array.isArray(diagnostic.path) && diagnostic.path.length > 0
      ? ` (at ${diagnostic.path.join('.')})`
      : '';
  return `${location(diagnostic, fallbackFile)}: ${severity}${code} ${diagnostic.message}${path}`;
}

async function validateFile(parser, file) {
  const source = resolve(file);
  try {
    await access(source);
  } catch {
    console.error(`${file}: error [file-not-found] cannot read ${source}`);
    return { errors: 1, warnings: 0 };
  }

  let output;
  try {
    output = await fromFile(parser, source).parse();
  } catch (err) {
    console.error(`${file}: error [parser-crash] ${err && err.stack ? err.stack : err}`);
    return { errors: 1, warnings: 0 };
  }

  let errors = 0;
  let warnings = 0;
  for (const diagnostic of output.diagnostics) {
    if (diagnostic.severity === DiagnosticSeverity.Error) {
      errors += 1;
      console.error(format(diagnostic, source));
    } else if (diagnostic.severity === DiagnosticSeverity.Warning) {
      warnings += 1;
      console.log(format(diagnostic, source));
    }
  }
  if (output.document === undefined && errors === 0) {
    // The parser gave up without saying why at error severity: never report that as valid.
    errors += 1;
    console.error(`${file}: error [not-parsed] the parser returned no document`);
  }
  const verdict = errors > 0 ? 'INVALID' : 'ok';
  console.log(`${file}: ${verdict} (${errors} error(s), ${warnings} warning(s))`);
  return { errors, warnings };
}

async function main(argv) {
  const files = argv.slice(2);
  if (files.length === 0 || files.includes('-h') || files.includes('--help')) {
    console.error('usage: node validate.mjs FILE...');
    return 2;
  }
  const parser = new Parser();
  let failed = 0;
  for (const file of files) {
    const { errors } = await validateFile(parser, file);
    if (errors > 0) failed += 1;
  }
  if (files.length > 1) {
    console.log(`${files.length - failed} of ${files.length} document(s) valid`);
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv);
