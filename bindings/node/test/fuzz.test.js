'use strict';
// No crash on hostile input: random bytes (and corpus bodies mutated) to decodeResponse,
// random strings (and corpus requests mutated) to verifyRequest, random values to
// signRequest. Each call returns, or throws this package's error for that function;
// never anything else, and the process never dies.
//
// Deterministic: FUZZ_SEED picks the seed (default fixed), FUZZ_ITERATIONS the count.

const test = require('node:test');
const assert = require('node:assert/strict');
const ecs = require('..');
const { corpusIndex, corpusCase, prng } = require('./helpers');

const SEED = Number(process.env.FUZZ_SEED || 20260601);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS || 20000);

/** Bodies and requests from the corpus, to mutate. */
function seeds() {
  const bodies = [];
  const requests = [];
  for (const entry of corpusIndex()) {
    if (entry.kind === 'response' && bodies.length < 400) {
      const c = corpusCase(entry.id);
      if (c.body) bodies.push({ body: c.body, headers: c.http.headers, operation: c.operation });
    } else if (entry.kind === 'incoming') {
      const c = corpusCase(entry.id);
      requests.push(c.input);
    }
  }
  return { bodies, requests };
}

function randomBytes(rand, max) {
  const out = Buffer.alloc(rand.int(max + 1));
  for (let i = 0; i < out.length; i++) out[i] = rand.int(256);
  return out;
}

const PIECES = ['<', '>', '</', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '&#0;', '&#x110000;',
  '<![CDATA[', ']]>', '{', '}', '[', ']', '"', ':', ',', '\\u', '\\ud800', 'null', 'true', '1e999', '-0', '18446744073709551616',
  'AttachInstanceRamRoleResponse', 'AttachInstanceRamRoleResults', 'AttachInstanceRamRoleResult', 'InstanceId', 'Code',
  'Success', 'TotalCount', 'FailCount', 'RequestId', 'InstanceRamRoleSets', 'Error', 'AccessDeniedDetail', '\uFEFF', '\u0000'];

/** A corpus body changed a little: bytes flipped, cut, spliced, or pieces of syntax added. */
function mutate(rand, body) {
  let b = Buffer.from(body);
  const rounds = 1 + rand.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = rand.int(b.length + 1);
    switch (rand.int(6)) {
      case 0:
        if (b.length) b[Math.min(at, b.length - 1)] ^= 1 << rand.int(8);
        break;
      case 1:
        b = b.subarray(0, at);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), randomBytes(rand, 8), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(rand.pick(PIECES)), b.subarray(at)]);
        break;
      case 4: {
        const end = at + rand.int(64);
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      default:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rand.int(16)))]);
    }
  }
  return b;
}

const CONTENT_TYPES = [null, 'application/json;charset=utf-8', 'text/xml;charset=UTF-8', 'text/html', 'application/octet-stream', 'JSON', ''];
const STATUSES = [200, 201, 204, 299, 0, 100, 301, 400, 403, 404, 429, 500, 503, 599, 65535];
const OPERATIONS = [...ecs.OPERATIONS];

test(`decodeResponse: random and mutated bodies (seed ${SEED}, ${ITERATIONS} calls)`, () => {
  const rand = prng(SEED);
  const { bodies } = seeds();
  const outcomes = { value: 0, service: 0, decode: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    let operation = rand.pick(OPERATIONS);
    let body;
    let headers = [];
    const status = rand.int(3) === 0 ? rand.pick(STATUSES) : 200;
    if (rand.int(3) === 0) {
      body = randomBytes(rand, 512);
    } else {
      const seed = rand.pick(bodies);
      body = mutate(rand, seed.body);
      operation = rand.int(4) === 0 ? operation : seed.operation;
      headers = seed.headers;
    }
    const type = rand.pick(CONTENT_TYPES);
    if (rand.int(2) === 0) headers = type === null ? [] : [['content-type', type]];
    if (rand.int(10) === 0) headers = [...headers, ['x-acs-retry-after', String(rand.int(100000) - 10)]];
    const format = rand.pick([undefined, null, 'json', 'xml']);
    try {
      const value = ecs.decodeResponse(operation, status, headers, body, format);
      assert.ok(status >= 200 && status <= 299, `a value for status ${status}`);
      // The value is the one the library's Response::to_json writes.
      assert.deepEqual(value, ecs._decodeResponseJson(operation, status, headers, body, format));
      outcomes.value++;
    } catch (e) {
      const replay = `seed ${SEED} iteration ${i}: ${operation} ${status} ${JSON.stringify(headers)} ${body.toString('base64')}`;
      if (status >= 200 && status <= 299) {
        assert.ok(e instanceof ecs.DecodeError, `${replay}: ${e && e.stack}`);
        assert.ok(Number.isInteger(e.offset) && e.offset <= body.length, replay);
        outcomes.decode++;
      } else {
        assert.ok(e instanceof ecs.ServiceError, `${replay}: ${e && e.stack}`);
        assert.equal(e.httpStatus, status, replay);
        outcomes.service++;
      }
    }
  }
  assert.ok(outcomes.value > 0 && outcomes.decode > 0 && outcomes.service > 0, JSON.stringify(outcomes));
});

const ALPHABET = 'aA0=&%+?#;:/,.-_~*" \t\r\n\\[]{}\u00e9\u963f\ud83d\ude00\ud800\u0000';
const NAMES = ['Action', 'Version', 'Format', 'RegionId', 'InstanceIds', 'RamRoleName', 'Policy', 'OwnerId', 'AccessKeyId',
  'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken', 'PageSize', 'PageNumber'];
const HEADER_NAMES = ['host', 'authorization', 'Authorization', 'content-type', 'x-acs-action', 'x-acs-version', 'x-acs-date',
  'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token', 'accept', 'x-acs-other'];

function randomString(rand, max) {
  let s = '';
  const n = rand.int(max + 1);
  for (let i = 0; i < n; i++) s += rand.int(4) === 0 ? rand.pick(NAMES) : ALPHABET[rand.int(ALPHABET.length)];
  return s;
}

function mutateString(rand, text) {
  let s = text;
  for (let r = 1 + rand.int(3); r > 0; r--) {
    const at = rand.int(s.length + 1);
    switch (rand.int(4)) {
      case 0:
        s = s.slice(0, at) + randomString(rand, 6) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + rand.int(8));
        break;
      case 2:
        s = s.slice(0, at);
        break;
      default:
        s = `${s.slice(0, at)}&${rand.pick(NAMES)}=${randomString(rand, 8)}${s.slice(at)}`;
    }
  }
  return s;
}

test(`verifyRequest: random and mutated requests (seed ${SEED}, ${ITERATIONS} calls)`, () => {
  const rand = prng(SEED + 1);
  const { requests } = seeds();
  const outcomes = { accepted: 0, refused: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    let method;
    let p;
    let query;
    let headers;
    let body;
    if (rand.int(3) === 0) {
      method = rand.pick(['GET', 'POST', 'PUT', 'post', randomString(rand, 5)]);
      p = rand.pick(['/', '', '/x', randomString(rand, 8)]);
      query = randomString(rand, 200);
      headers = [];
      for (let h = rand.int(8); h > 0; h--) headers.push([rand.pick(HEADER_NAMES), randomString(rand, 60)]);
      body = rand.int(2) ? randomString(rand, 100) : randomBytes(rand, 100);
    } else {
      const seed = rand.pick(requests);
      method = rand.int(8) === 0 ? rand.pick(['GET', 'POST', 'PUT']) : seed.method || 'POST';
      p = seed.path || '/';
      query = rand.int(2) ? mutateString(rand, seed.query || '') : seed.query || '';
      headers = (seed.headers || []).map(([n, v]) => [n, rand.int(6) === 0 ? mutateString(rand, v) : v]);
      if (rand.int(5) === 0) headers.push([rand.pick(HEADER_NAMES), randomString(rand, 40)]);
      body = Buffer.from(seed.body_base64 || '', 'base64');
      if (rand.int(4) === 0) body = mutate(rand, body);
    }
    const replay = () => `seed ${SEED + 1} iteration ${i}: ${JSON.stringify({ method, p, query, headers, body: Buffer.from(body).toString('base64') })}`;
    try {
      const verified = ecs.verifyRequest(method, p, query, headers, body, { testid: 'testsecret' });
      assert.ok(ecs.OPERATIONS.includes(verified.operation), replay());
      outcomes.accepted++;
    } catch (e) {
      assert.ok(e instanceof ecs.ServiceError, `${replay()}: ${e && e.stack}`);
      assert.ok(e.httpStatus >= 400 && typeof e.code === 'string', replay());
      outcomes.refused++;
    }
  }
  assert.ok(outcomes.accepted > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
});

function randomValue(rand, depth = 0) {
  switch (rand.int(depth > 1 ? 8 : 10)) {
    case 0:
      return randomString(rand, 20);
    case 1:
      return rand.pick([0, -1, 1.5, 2 ** 53, NaN, Infinity, 7, 1234567890123456]);
    case 2:
      return rand.pick([0n, -1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n]);
    case 3:
      return rand.pick([null, undefined, true, false]);
    case 4:
      return rand.pick([Symbol('s'), () => 1, new Date(0), Buffer.from('ab')]);
    case 5:
      return '["i-1","i-2"]';
    case 6:
      return ['i-1', 'i-2'];
    case 7:
      return '';
    case 8:
      return Array.from({ length: rand.int(5) }, () => randomValue(rand, depth + 1));
    default:
      return { a: randomValue(rand, depth + 1) };
  }
}

test(`signRequest: random parameter values and options (seed ${SEED})`, () => {
  const rand = prng(SEED + 2);
  const names = [...NAMES, 'ResourceOwnerAccount', 'ResourceOwnerId', 'Bogus'];
  const optionNames = ['accessKeyId', 'accessKeySecret', 'timestamp', 'nonce', 'algorithm', 'method', 'format', 'securityToken', 'host', 'placement'];
  const good = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };
  let signed = 0;
  for (let i = 0; i < ITERATIONS / 4; i++) {
    const params = { RegionId: 'cn-hangzhou', RamRoleName: 'R', InstanceIds: ['i-1'] };
    for (let k = rand.int(4); k > 0; k--) params[rand.pick(names)] = randomValue(rand);
    const options = { ...good };
    if (rand.int(3) === 0) options[rand.pick(optionNames)] = randomValue(rand);
    try {
      ecs.signRequest(rand.pick([...OPERATIONS, 'Bogus']), params, options);
      signed++;
    } catch (e) {
      assert.ok(e instanceof ecs.RequestError || e instanceof TypeError, `iteration ${i}: ${e && e.stack}`);
    }
  }
  assert.ok(signed > 0);
});

