'use strict';
// Times this package beside the official Node SDKs doing the same work, same run, and
// prints a table: decodeResponse on the 100-result AttachInstanceRamRole bodies (XML and
// JSON), signRequest with 100 instance IDs, and the documented examples.
//
//   node bench/bench.js INPUT_DIR [OURS_RUST_FILE]
//
// INPUT_DIR holds the inputs `cargo bench --bench ratios -- --ours --dump DIR` writes
// (the bodies, and the signed parameters with the library's signature), so every side
// works on the same bytes; bench/run.sh makes it, installs the SDKs (their pinned
// installs under tools/sdk-adapters/) and passes the Rust library's own medians. The
// peers are timed as benches/peers/peers.js times them. No network: no transport runs.
//
// A plain timing script, not a test: for each operation, 31 rounds of one batch (about
// 10 ms) per contender in turn; the median batch of each.

const fs = require('fs');
const path = require('path');
const Module = require('module');
const ecs = require('..');

const BATCH_NS = 10_000_000; // one timed batch: about 10 ms
const SAMPLES = 31;

/** Calls per batch that make one batch last about BATCH_NS (after a warm-up). */
function calibrate(fn) {
  let iters = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    const elapsed = Number(process.hrtime.bigint() - start);
    if (elapsed >= BATCH_NS / 4) return Math.max(1, Math.ceil((BATCH_NS * iters) / elapsed));
    iters *= 2;
  }
}

function batch(fn, iters) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) fn();
  return Number(process.hrtime.bigint() - start) / iters;
}

/**
 * Median ns per call of each contender, their batches interleaved (one batch of each in
 * turn, SAMPLES rounds): a burst of load on a shared machine falls on all of them alike.
 */
function race(contenders) {
  const iters = contenders.map((c) => calibrate(c.fn));
  const samples = contenders.map(() => []);
  for (let s = 0; s < SAMPLES; s++) {
    contenders.forEach((c, i) => samples[i].push(batch(c.fn, iters[i])));
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    return list[Math.floor(list.length / 2)];
  });
}

const repo = path.resolve(__dirname, '..', '..', '..');
const inputDir = process.argv[2];
if (!inputDir) {
  console.error('usage: node bench/bench.js INPUT_DIR [OURS_RUST_FILE]   (bench/run.sh makes both)');
  process.exit(2);
}
const read = (name) => fs.readFileSync(path.join(inputDir, name));

// The Rust library's medians on the same inputs (`ours <op> <ns>` lines), if given.
const rust = {};
if (process.argv[3] && fs.existsSync(process.argv[3])) {
  for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n')) {
    const [tag, op, ns] = line.trim().split(/\s+/);
    if (tag === 'ours') rust[op] = Number(ns);
  }
}

const rows = [];
const checks = [];
/** A contender for `op`, timed later beside the others (`fn` null: not supported). */
function row(op, who, fn, note = '') {
  rows.push({ op, who, fn, note, ns: null });
}

// ---------------------------------------------------------------------------------------
// ecs-ramrole (this package)

const signs = {};
for (const n of [1, 100]) signs[n] = JSON.parse(read(`sign_${n}_ids.json`));
const bodies = {};
for (const name of ['attach_doc_example', 'detach_doc_example', 'attach_100_results']) {
  bodies[name] = { json: read(`${name}.json`), xml: read(`${name}.xml`) };
}
const operationOf = (name) => (name.startsWith('detach') ? 'DetachInstanceRamRole' : 'AttachInstanceRamRole');

for (const [n, s] of Object.entries(signs)) {
  const p = s.params;
  // The request as a caller has it: the IDs as a list, rendered canonically by the codec.
  const params = { RegionId: p.RegionId, RamRoleName: p.RamRoleName, InstanceIds: JSON.parse(p.InstanceIds) };
  const options = {
    accessKeyId: p.AccessKeyId,
    accessKeySecret: s.secret,
    timestamp: p.Timestamp,
    nonce: p.SignatureNonce,
    method: s.method,
    format: p.Format ?? null,
  };
  const sign = () => ecs.signRequest('AttachInstanceRamRole', params, options);
  checks.push(`ecs-ramrole sign_${n}_ids signature_equal=${sign().stages.signature === s.signature}`);
  row(`sign_${n}_ids`, 'ecs-ramrole', sign, 'IDs as a list, rendered by the codec');
  // The IDs as the official SDKs take them: JSON text, validated and sent as given.
  const raw = { ...params, InstanceIds: p.InstanceIds };
  const signRaw = () => ecs.signRequest('AttachInstanceRamRole', raw, options);
  checks.push(`ecs-ramrole sign_${n}_ids/json_text signature_equal=${signRaw().stages.signature === s.signature}`);
  row(`sign_${n}_ids`, 'ecs-ramrole (Node), IDs as JSON text', signRaw, 'InstanceIds as the SDKs take it: JSON text');
}
const CONTENT_TYPE = { json: 'application/json;charset=utf-8', xml: 'text/xml;charset=UTF-8' };
for (const [name, b] of Object.entries(bodies)) {
  for (const format of ['json', 'xml']) {
    const headers = [['Content-Type', CONTENT_TYPE[format]]];
    const decode = () => ecs.decodeResponse(operationOf(name), 200, headers, b[format]);
    const value = decode();
    const wrapper = value.AttachInstanceRamRoleResults || value.DetachInstanceRamRoleResults;
    const results = wrapper.AttachInstanceRamRoleResult || wrapper.DetachInstanceRamRoleResult;
    checks.push(`ecs-ramrole decode_${format}/${name} results=${results.length}`);
    row(`decode_${format}/${name}`, 'ecs-ramrole', decode);
  }
}
// What any decoder of the JSON body pays at least: V8's own parser on the same bytes.
for (const [name, b] of Object.entries(bodies)) {
  const text = b.json.toString('utf8');
  row(`decode_json/${name}`, 'JSON.parse', () => JSON.parse(text), 'baseline: V8 parse only, no checks');
}

// ---------------------------------------------------------------------------------------
// The official SDKs, from their pinned installs (tools/sdk-adapters/*/install.sh).

function requireFrom(dir, name) {
  return require(require.resolve(name, { paths: [dir] }));
}

// RFC 3986 encoding as the signers do it (encodeURIComponent plus ! ' ( ) *).
function encode(s) {
  return encodeURIComponent(s)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

function tea(dir) {
  const who = 'Tea';
  const { OpenApiUtil } = requireFrom(dir, '@alicloud/openapi-core');
  const $dara = requireFrom(dir, '@darabonba/typescript');
  const models = requireFrom(dir, '@alicloud/ecs20140526');
  for (const [n, s] of Object.entries(signs)) {
    // What Tea's V1 path does with the request's parameters: sign, then the wire query.
    const sign = () => {
      const signature = OpenApiUtil.getRPCSignature(s.params, s.method, s.secret);
      const query = { ...s.params, Signature: signature };
      return Object.keys(query)
        .sort()
        .map((k) => `${encode(k)}=${encode(query[k])}`)
        .join('&');
    };
    checks.push(`${who} sign_${n}_ids signature_equal=${OpenApiUtil.getRPCSignature(s.params, s.method, s.secret) === s.signature}`);
    row(`sign_${n}_ids`, who, sign, 'getRPCSignature + query');
  }
  for (const [name, b] of Object.entries(bodies)) {
    const Model = name.startsWith('detach') ? models.DetachInstanceRamRoleResponse : models.AttachInstanceRamRoleResponse;
    const text = b.json.toString('utf8');
    // What callApi's caller does with a 200: JSON.parse, then cast into the model.
    const decode = () => $dara.cast({ headers: {}, statusCode: 200, body: JSON.parse(text) }, new Model({}));
    const body = decode().body;
    const wrapper = body.attachInstanceRamRoleResults || body.detachInstanceRamRoleResults;
    const results = wrapper.attachInstanceRamRoleResult || wrapper.detachInstanceRamRoleResult;
    checks.push(`${who} decode_json/${name} results=${results.length}`);
    row(`decode_json/${name}`, who, decode, 'JSON.parse + $dara.cast');
    // Tea asks for JSON; its XML reader (xml2js, used for XML error bodies) parses only.
    const xml = b.xml.toString('utf8');
    const parseXml = () => $dara.XML.parseXml(xml, null);
    row(`decode_xml/${name}`, who, parseXml, 'XML.parseXml (xml2js), parse only');
  }
}

function popCore(dir) {
  const who = 'pop-core';
  // Its RPC signer is module-private in lib/rpc.js: load the module once more with those
  // helpers exported (as benches/peers/peers.js does).
  const file = require.resolve('@alicloud/pop-core/lib/rpc.js', { paths: [dir] });
  const source = `${fs.readFileSync(file, 'utf8')}\nmodule.exports.__bench = { normalize, canonicalize, encode };\n`;
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(source, file);
  const { normalize, canonicalize, encode: popEncode } = m.exports.__bench;
  const kitx = require(require.resolve('kitx', { paths: [path.dirname(file)] }));
  // The client reads bodies with json-bigint's parse, not V8's.
  const JSONbig = require(require.resolve('json-bigint', { paths: [path.dirname(file)] }));
  for (const [n, s] of Object.entries(signs)) {
    const sign = () => {
      const normalized = normalize(s.params);
      const canonicalized = canonicalize(normalized);
      const stringToSign = `${s.method}&${popEncode('/')}&${popEncode(canonicalized)}`;
      const signature = kitx.sha1(stringToSign, `${s.secret}&`, 'base64');
      normalized.push(['Signature', popEncode(signature)]);
      return [stringToSign, signature, canonicalize(normalized)];
    };
    checks.push(`${who} sign_${n}_ids signature_equal=${sign()[1] === s.signature}`);
    row(`sign_${n}_ids`, who, sign, 'normalize + canonicalize + HMAC + query');
  }
  for (const [name, b] of Object.entries(bodies)) {
    const text = b.json.toString('utf8');
    row(`decode_json/${name}`, who, () => JSONbig.parse(text), 'json-bigint parse (what the client returns)');
    row(`decode_xml/${name}`, who, null, 'no XML support (the client always asks for JSON)');
  }
}

const peers = [
  ['Tea', path.join(repo, 'tools/sdk-adapters/node-tea'), tea],
  ['pop-core', path.join(repo, 'tools/sdk-adapters/node-pop-core'), popCore],
];
const versions = [];
for (const [name, dir, run] of peers) {
  try {
    run(dir);
    const pkg = name === 'Tea' ? '@alicloud/ecs20140526' : '@alicloud/pop-core';
    versions.push(`${pkg} ${requireFrom(dir, `${pkg}/package.json`).version}`);
  } catch (e) {
    console.log(`skip ${name}: ${e && e.message} (install it: bash tools/sdk-adapters/node-${name === 'Tea' ? 'tea' : 'pop-core'}/install.sh)`);
  }
}

// ---------------------------------------------------------------------------------------
// The timing, operation by operation, the contenders interleaved

for (const op of new Set(rows.map((r) => r.op))) {
  const contenders = rows.filter((r) => r.op === op && r.fn);
  race(contenders).forEach((ns, i) => {
    contenders[i].ns = ns;
  });
}

// ---------------------------------------------------------------------------------------
// The table

for (const c of checks) console.log(`check ${c}`);
console.log(`\nNode ${process.version}, ${versions.join(', ')}; median ns per call; ratio = theirs / ecs-ramrole (Node)\n`);
const ours = Object.fromEntries(rows.filter((r) => r.who === 'ecs-ramrole').map((r) => [r.op, r.ns]));
const fmt = (ns) => (ns == null ? 'n/a' : Math.round(ns).toLocaleString('en-US'));
const header = ['operation', 'who', 'ns/call', 'vs Node binding', 'note'];
const lines = [];
const order = ['decode_xml/attach_100_results', 'decode_json/attach_100_results', 'sign_100_ids', 'decode_xml/attach_doc_example',
  'decode_json/attach_doc_example', 'decode_xml/detach_doc_example', 'decode_json/detach_doc_example', 'sign_1_ids'];
for (const op of order) {
  if (rust[op] !== undefined) lines.push([op, 'ecs-ramrole (Rust, in-process)', fmt(rust[op]), `${(rust[op] / ours[op]).toFixed(2)}x`, 'cargo bench --bench ratios -- --ours']);
  for (const r of rows.filter((x) => x.op === op)) {
    const ratio = r.who === 'ecs-ramrole' ? '1.00x' : r.ns == null ? 'n/a' : `${(r.ns / ours[op]).toFixed(2)}x`;
    lines.push([op, r.who === 'ecs-ramrole' ? 'ecs-ramrole (Node)' : r.who, fmt(r.ns), ratio, r.note]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const print = (cells) => console.log(`| ${cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`);
print(header);
console.log(`|${widths.map((w, i) => (i === 2 || i === 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
for (const l of lines) print(l);
