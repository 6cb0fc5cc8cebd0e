// Times the official Node SDKs' signing and decoding on the inputs `ratios --ours --dump`
// wrote (the same bodies and the same signed parameters this crate times).
//
// No network: no transport is called. Timestamp and nonce are the fixed values in the
// dumped parameters. Prints `peer <sdk> <op> <median ns>` lines and `check ...` lines.
//
// Usage: node peers.js INPUT_DIR  (with NODE_PATH at the SDKs; run.sh sets it up)
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const BATCH_NS = 20_000_000n; // one timed batch: about 20 ms
const SAMPLES = 21;

function medianNs(fn) {
  let iters = 1;
  let elapsed;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    elapsed = process.hrtime.bigint() - start;
    if (elapsed >= BATCH_NS / 4n) break;
    iters *= 2;
  }
  const perCall = Number(elapsed) / iters;
  iters = Math.max(1, Math.floor(Number(BATCH_NS) / Math.max(perCall, 1)));
  const samples = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / iters);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function report(sdk, op, fn) {
  console.log(`peer ${sdk} ${op} ${medianNs(fn).toFixed(0)}`);
}

function load(dir) {
  const read = (name) => fs.readFileSync(path.join(dir, name));
  const signs = {};
  for (const n of [1, 100]) signs[n] = JSON.parse(read(`sign_${n}_ids.json`));
  const bodies = {};
  for (const name of ['attach_doc_example', 'detach_doc_example', 'attach_100_results']) {
    bodies[name] = read(`${name}.json`);
  }
  return { signs, bodies };
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

// @alicloud/ecs20140526 on @alicloud/openapi-core: the Tea (Darabonba) client.
function tea({ signs, bodies }) {
  const sdk = 'node-tea';
  const { OpenApiUtil } = require('@alicloud/openapi-core');
  const $dara = require('@darabonba/typescript');
  const ecs = require('@alicloud/ecs20140526');
  for (const [n, s] of Object.entries(signs)) {
    const got = OpenApiUtil.getRPCSignature(s.params, s.method, s.secret);
    console.log(`check ${sdk} sign_${n}_ids signature_equal=${got === s.signature}`);
    report(sdk, `sign_${n}_ids`, () => {
      const signature = OpenApiUtil.getRPCSignature(s.params, s.method, s.secret);
      // The wire query the transport would send.
      const query = { ...s.params, Signature: signature };
      return Object.keys(query)
        .sort()
        .map((k) => `${encode(k)}=${encode(query[k])}`)
        .join('&');
    });
  }
  const models = {
    attach_doc_example: ecs.AttachInstanceRamRoleResponse,
    detach_doc_example: ecs.DetachInstanceRamRoleResponse,
    attach_100_results: ecs.AttachInstanceRamRoleResponse,
  };
  for (const [name, body] of Object.entries(bodies)) {
    const Model = models[name];
    // What callApi's caller does with a 200: JSON.parse the body, then cast the
    // {headers, statusCode, body} map into the operation's response model.
    const decode = () =>
      $dara.cast({ headers: {}, statusCode: 200, body: JSON.parse(body) }, new Model({}));
    const decoded = decode().body;
    const wrapper = decoded.attachInstanceRamRoleResults || decoded.detachInstanceRamRoleResults;
    const results = wrapper.attachInstanceRamRoleResult || wrapper.detachInstanceRamRoleResult;
    console.log(`check ${sdk} decode_json/${name} results=${results.length}`);
    report(sdk, `decode_json/${name}`, decode);
  }
}

// @alicloud/pop-core: its RPC signer lives in lib/rpc.js as module-private functions, so
// the module is loaded once more with those helpers exported. The client hands the caller
// JSON.parse(body).
function popCore({ signs, bodies }) {
  const sdk = 'node-pop-core';
  const file = require.resolve('@alicloud/pop-core/lib/rpc.js');
  const source =
    fs.readFileSync(file, 'utf8') +
    '\nmodule.exports.__bench = { normalize, canonicalize, encode };\n';
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(source, file);
  const { normalize, canonicalize, encode: popEncode } = m.exports.__bench;
  const kitx = require(require.resolve('kitx', { paths: [path.dirname(file)] }));
  for (const [n, s] of Object.entries(signs)) {
    // Steps 1 to 3 of RPCClient.request: normalize, canonicalize, string-to-sign, HMAC,
    // then the final query with the Signature.
    const sign = () => {
      const normalized = normalize(s.params);
      const canonicalized = canonicalize(normalized);
      const stringToSign = `${s.method}&${popEncode('/')}&${popEncode(canonicalized)}`;
      const signature = kitx.sha1(stringToSign, s.secret + '&', 'base64');
      normalized.push(['Signature', popEncode(signature)]);
      return [stringToSign, signature, canonicalize(normalized)];
    };
    const [stringToSign, signature] = sign();
    console.log(
      `check ${sdk} sign_${n}_ids string_to_sign_equal=${stringToSign === s.string_to_sign}` +
        ` signature_equal=${signature === s.signature}`,
    );
    report(sdk, `sign_${n}_ids`, sign);
  }
  for (const [name, body] of Object.entries(bodies)) {
    report(sdk, `decode_json/${name}`, () => JSON.parse(body));
  }
}

function main() {
  const inputs = load(process.argv[2]);
  for (const [name, peer] of [
    ['tea', tea],
    ['pop-core', popCore],
  ]) {
    try {
      peer(inputs);
    } catch (e) {
      console.log(`skip ${name}: ${e && e.message}`);
    }
  }
}

main();
