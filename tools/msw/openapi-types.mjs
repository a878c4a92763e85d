#!/usr/bin/env node
// TypeScript types for an OpenAPI document, with openapi-typescript (pinned in package.json).
//
//   node openapi-types.mjs < specs/openapi.yaml > mocks/msw/types.ts
//
// Reads the document (YAML or JSON) from stdin and writes the types to stdout; run by
// watchparty/codegen/msw/node.py, which caches the output by input.

import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';

// Streamed, not readFileSync(0): that throws EAGAIN when the pipe is empty for a moment.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const ast = await openapiTS(Buffer.concat(chunks).toString('utf8'), { silent: true });
process.stdout.write(COMMENT_HEADER + astToString(ast));
