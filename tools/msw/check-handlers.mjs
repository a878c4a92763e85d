#!/usr/bin/env node
// Exercise generated MSW handlers: every REST call and WebSocket exchange of a plan, each
// response validated against the spec's JSON Schemas.
//
//   node check-handlers.mjs WORK_DIR
//
// WORK_DIR holds `msw/` (a copy of the generated handlers.ts, ws.ts and fixtures/), `plan.json`
// (written by tests/mocks/test_msw.py from the specs) and a `node_modules` whose `msw` is the
// major under test; this script is copied there too, so every bare import resolves to that
// major. The TypeScript is only stripped of its types here: `tsc --noEmit` checks them.
// Prints one JSON report on stdout; failures are data in it, not an exit status.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { setupServer } from 'msw/node';

const SOCKET_TIMEOUT_MS = 5000;

async function load(dir, name) {
  // Node >= 22.18 strips types itself (which also proves the files use erasable syntax only);
  // older nodes get typescript's transpiler (slow to load: imported only then).
  if (process.features.typescript) return import(pathToFileURL(join(dir, `${name}.ts`)).href);
  const { default: ts } = await import('typescript');
  const source = readFileSync(join(dir, `${name}.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const out = join(dir, `${name}.mjs`);
  writeFileSync(out, outputText);
  return import(pathToFileURL(out).href);
}

function validator(plan) {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const document of Object.values(plan.schemas)) ajv.addSchema(document);
  const compiled = new Map();
  // `schema`: a JSON Schema, or the URI of one in `plan.schemas`.
  return (schema, value) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(typeof schema === 'string' ? { $ref: schema } : schema));
    const validate = compiled.get(key);
    return validate(value) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}

function requestBody(call) {
  if (call.bodyKind === 'json') return JSON.stringify(call.body);
  if (call.bodyKind === 'binary') return new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112]);
  if (call.bodyKind === 'multipart') {
    const form = new FormData();
    for (const [name, value] of Object.entries(call.body)) {
      form.append(name, value === null ? new Blob([new Uint8Array(8)], { type: 'video/mp4' }) : String(value));
    }
    return form;
  }
  return undefined;
}

async function runCall(call, validate) {
  const result = { name: call.name, status: null, errors: [] };
  try {
    const response = await fetch(call.url, { method: call.method, headers: call.headers, body: requestBody(call) });
    result.status = response.status;
    const text = await response.text();
    const expected = call.expect;
    if (!expected.statuses.includes(response.status)) {
      result.errors.push(`status ${response.status}, expected ${expected.statuses.join(' or ')}: ${text.slice(0, 300)}`);
      return result;
    }
    const schema = expected.schemas[String(response.status)];
    for (const header of expected.headers[String(response.status)] ?? []) {
      if (!/^\d+$/.test(response.headers.get(header) ?? '')) result.errors.push(`header ${header} missing or not an integer`);
    }
    if (schema === null) {
      if (text !== '') result.errors.push(`a ${response.status} has no body, got ${text.slice(0, 100)}`);
      return result;
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
      result.errors.push(`content-type ${response.headers.get('content-type')}`);
    }
    result.body = JSON.parse(text);
    result.errors.push(...validate(schema, result.body));
  } catch (err) {
    result.errors.push(`request failed: ${err && err.stack ? err.stack : err}`);
  }
  return result;
}

/** A client socket that queues the frames it receives. */
function connect(url) {
  const socket = new WebSocket(url);
  const frames = [];
  let wake = () => {};
  socket.addEventListener('message', (event) => {
    frames.push(typeof event.data === 'string' ? event.data : '<binary>');
    wake();
  });
  const closed = new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)));
  });
  opened.catch(() => {}); // a socket the mock refuses never opens: its close code tells why
  /** Send a sentinel frame and return every frame received before its answer. */
  async function drain(label) {
    const ref = `sentinel-${label}`;
    socket.send(JSON.stringify({ type: '__sentinel__', id: ref }));
    const deadline = Date.now() + SOCKET_TIMEOUT_MS;
    for (;;) {
      const at = frames.findIndex((raw) => raw.includes(`"ref":"${ref}"`));
      if (at >= 0) return frames.splice(0, at + 1).slice(0, at);
      if (Date.now() > deadline) throw new Error(`no answer to ${ref} on ${url}; got ${frames.join(' | ')}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 50);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
  return { socket, opened, closed, drain };
}

async function runSocket(spec, validate) {
  const result = { channel: spec.channel, greeting: [], exchanges: [], errors: [] };
  const check = (who, raw) => {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      result.errors.push(`${who}: not JSON: ${raw.slice(0, 100)}`);
      return null;
    }
    const ref = spec.server[frame.type];
    if (ref === undefined) result.errors.push(`${who}: ${frame.type} is not a server frame of ${spec.channel}`);
    else result.errors.push(...validate(ref, frame).map((e) => `${who} ${frame.type}: ${e}`));
    return frame;
  };
  const a = connect(spec.url);
  const b = connect(spec.url);
  try {
    await Promise.all([a.opened, b.opened]);
    result.greeting = (await a.drain('greeting')).map((raw) => check('greeting', raw));
    await b.drain('greeting');
    for (const [index, frame] of spec.send.entries()) {
      a.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      const sender = (await a.drain(`a${index}`)).map((raw) => check(`reply to ${index}`, raw));
      const peer = (await b.drain(`b${index}`)).map((raw) => check(`peer of ${index}`, raw));
      result.exchanges.push({ sent: frame, sender, peer });
    }
  } catch (err) {
    result.errors.push(String(err && err.stack ? err.stack : err));
  } finally {
    a.socket.close();
    b.socket.close();
  }
  const anonymous = connect(spec.anonymousUrl);
  let timer;
  result.anonymousClose = await Promise.race([
    anonymous.closed,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), SOCKET_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

async function main(workDir) {
  const plan = JSON.parse(readFileSync(join(workDir, 'plan.json'), 'utf8'));
  const { handlers, createHandlers } = await load(join(workDir, 'msw'), 'handlers');
  const { wsHandlers } = await load(join(workDir, 'msw'), 'ws');
  const validate = validator(plan);
  const server = setupServer(...handlers, ...wsHandlers);
  server.listen({ onUnhandledRequest: 'error' });
  const report = { node: process.version, handlers: handlers.length, wsHandlers: wsHandlers.length, calls: [], sockets: [] };
  try {
    for (const call of plan.calls) report.calls.push(await runCall(call, validate));
    // `authCalls` run against handlers that require a bearer token where the spec does.
    server.use(...createHandlers({ requireAuth: true }));
    for (const call of plan.authCalls ?? []) report.calls.push(await runCall(call, validate));
    server.resetHandlers();
    for (const socket of plan.sockets) report.sockets.push(await runSocket(socket, validate));
  } finally {
    server.close();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main(process.argv[2]);
