'use strict';
// What the Node SDK adapters share: the protocol-1 shell (corpus/README.md: one envelope
// per line on stdin, one verdict per line on stdout, in order, each envelope run in its
// own AsyncLocalStorage context), and the response-header joining and V1 stage reading
// their transport stubs and signers need. What each SDK computes stays in its own
// adapter; this module never touches an SDK. Node standard library only.

const readline = require('readline');

const SETTLE_MS = 5000;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function unsupported(reason) {
  return { outcome: 'unsupported', reason };
}

function errorText(err) {
  if (err === undefined || err === null) return String(err);
  const name = err.name || (err.constructor && err.constructor.name) || 'Error';
  return `${name}: ${err.message !== undefined ? err.message : String(err)}`;
}

// What a verdict line cannot carry: a string with a lone surrogate (not encodable as UTF-8),
// or nesting deeper than the harness's JSON reader follows (128 levels).
const MAX_DEPTH = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s) => (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !LONE_SURROGATE.test(s));
function uncarriable(v, depth = 0) {
  if (typeof v === 'string') return wellFormed(v) ? null : 'a string with a lone surrogate, which a UTF-8 JSON verdict cannot carry';
  if (v === null || typeof v !== 'object') return null;
  if (depth > MAX_DEPTH) return `nesting deeper than ${MAX_DEPTH} levels, more than a verdict line can carry to the harness`;
  for (const [k, x] of Object.entries(v)) {
    if (!wellFormed(k)) return 'a key with a lone surrogate, which a UTF-8 JSON verdict cannot carry';
    const why = uncarriable(x, depth + 1);
    if (why) return why;
  }
  return null;
}

// Answers every envelope on stdin until it closes.
//   handlers: { request, sign, response } -> async (env) => verdict (a kind left out is
//             unsupported with `reasons[kind]`)
//   store:    the adapter's AsyncLocalStorage; each envelope runs in `store.run({}, ...)`
//   stringify: how a verdict becomes text (pop-core's json-bigint keeps its big numbers)
//   client:   the SDK's name, for the `incoming` kind's reason
function serve({ handlers, store, stringify = JSON.stringify, reasons = {}, client = 'the SDK' }) {
  function handle(env) {
    if (env.kind === 'incoming') {
      return unsupported(`${client} is a client: it has no server side to decode and verify an incoming request`);
    }
    if (handlers[env.kind]) return handlers[env.kind](env);
    return unsupported(reasons[env.kind] || `unknown kind ${JSON.stringify(env.kind)}`);
  }

  function answerLine(line) {
    let env;
    try {
      env = JSON.parse(line);
    } catch (err) {
      return Promise.resolve(unsupported(`not a JSON envelope: ${err.message}`));
    }
    if (!isObject(env) || env.protocol !== 1) {
      return Promise.resolve(unsupported('not a protocol 1 envelope'));
    }
    return new Promise((resolve) => {
      let done = false;
      const finish = (verdict) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(verdict);
      };
      const timer = setTimeout(
        () => finish(unsupported(`the SDK call did not settle within ${SETTLE_MS} ms`)),
        SETTLE_MS,
      );
      store.run({}, async () => handle(env)).then(finish, (err) => {
        process.stderr.write(`adapter error: ${err && err.stack ? err.stack : err}\n`);
        finish(unsupported(`adapter error: ${errorText(err)}`));
      });
    });
  }

  function writeVerdict(verdict) {
    let text;
    try {
      const why = uncarriable(verdict);
      if (why) verdict = unsupported(`the SDK's result holds ${why}`);
      text = stringify(verdict);
    } catch (err) {
      text = JSON.stringify(unsupported(`verdict not serializable: ${err.message}`));
    }
    process.stdout.write(text + '\n');
  }

  // A stray rejection or exception from an SDK's timers must not end the run.
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`unhandled rejection (ignored): ${err && err.stack ? err.stack : err}\n`);
  });
  process.on('uncaughtException', (err) => {
    process.stderr.write(`uncaught exception (ignored): ${err && err.stack ? err.stack : err}\n`);
  });

  const lines = [];
  let busy = false;
  let closed = false;
  async function pump() {
    if (busy) return;
    busy = true;
    while (lines.length) {
      writeVerdict(await answerLine(lines.shift()));
    }
    busy = false;
    if (closed) process.stdout.write('', () => process.exit(0));
  }
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    lines.push(line);
    pump();
  });
  rl.on('close', () => {
    closed = true;
    pump();
  });
}

// ---- what the adapters' transport stubs and signers share ----------------------------

// Node's http client joins repeated response headers like this (IncomingMessage#headers):
// these keep the first value, set-cookie becomes a list, the rest are joined with ", ".
const KEEP_FIRST = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag', 'expires',
  'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified', 'location',
  'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent']);
function nodeHeaders(pairs) {
  const headers = {};
  for (const [rawName, value] of pairs) {
    const name = String(rawName).toLowerCase();
    if (!(name in headers)) {
      headers[name] = name === 'set-cookie' ? [String(value)] : String(value);
    } else if (name === 'set-cookie') {
      headers[name].push(String(value));
    } else if (!KEEP_FIRST.has(name)) {
      headers[name] += ', ' + String(value);
    }
  }
  return headers;
}

// The V1 stages an SDK's string-to-sign shows: the canonical query is its last part,
// decoded once.
function v1Stages({ string_to_sign, signature }) {
  const stages = {};
  if (typeof string_to_sign === 'string') {
    const last = string_to_sign.lastIndexOf('&');
    try {
      stages.canonical_query = decodeURIComponent(string_to_sign.slice(last + 1));
    } catch (_) {
      // not decodable: leave the stage out
    }
    stages.string_to_sign = string_to_sign;
  }
  if (signature !== undefined) stages.signature = signature;
  return stages;
}

module.exports = { serve, unsupported, errorText, isObject, nodeHeaders, v1Stages };
