#!/usr/bin/env node
// End to end: the official Tea Node.js SDK (@alicloud/ecs20140526 on @alicloud/openapi-core)
// against a running `ecs-ramrole serve`, over real sockets, as its users drive it.
//
//   node tests/sdk/node_tea.js http://127.0.0.1:PORT v3|v2 [KEY_ID:SECRET]
//
// Mode v3 is the client as configured by default (ACS3-HMAC-SHA256); mode v2 sets
// `Config.signatureAlgorithm = 'v2'` (signature V1, HMAC-SHA1). The only change from a
// production configuration is the endpoint: the server's host:port, over plain http.
//
// The SDK is loaded from tools/sdk-adapters/node-tea/node_modules (installed by that
// folder's install.sh); set NODE_TEA_DIR to load it from another folder.
//
// The server must have been started with the fixture state of tests/sdk/README.md and the
// same credentials (default `e2e-key-id:e2e-Secret-3f9Q7x`). The script resets it (POST
// /_mock/reset) before each step, prints one line per check and exits 1 on the first failed
// check (2 on bad arguments).
'use strict';

const path = require('path');
const { createRequire } = require('module');

const USAGE = 'usage: node tests/sdk/node_tea.js http://127.0.0.1:PORT v3|v2 [KEY_ID:SECRET]';
const args = process.argv.slice(2);
if (args.length < 2 || args.length > 3 || !['v3', 'v2'].includes(args[1]) || !args[0].startsWith('http://')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const BASE = args[0].replace(/\/+$/, '');
const HOST = BASE.slice('http://'.length);
const MODE = args[1];
const KEY = args[2] || 'e2e-key-id:e2e-Secret-3f9Q7x';
const KEY_ID = KEY.slice(0, KEY.indexOf(':'));
const SECRET = KEY.slice(KEY.indexOf(':') + 1);
const WRONG_SECRET = 'e2e-Wrong-Secret-8Kd2pZ';
const REGION = 'cn-hangzhou';
const ROLE = 'EcsRole';
// The fixture: i-1 and i-2 without a role, i-3 with OtherRole (which no call touches).
const FIXTURE = { 'i-1': null, 'i-2': null, 'i-3': 'OtherRole' };

const sdkDir = process.env.NODE_TEA_DIR || path.resolve(__dirname, '..', '..', 'tools', 'sdk-adapters', 'node-tea');
const sdkRequire = createRequire(path.join(sdkDir, 'package.json'));
let Ecs;
let openapi;
let $dara;
try {
  Ecs = sdkRequire('@alicloud/ecs20140526');
  openapi = sdkRequire('@alicloud/openapi-core');
  $dara = sdkRequire('@darabonba/typescript');
} catch (err) {
  process.stdout.write(`FAIL loading the SDK from ${sdkDir}: ${err.message} (run: bash tools/sdk-adapters/node-tea/install.sh)\n`);
  process.exit(1);
}
const EcsClient = Ecs.default;

let checks = 0;

class CheckFailed extends Error {}

function fail(what, detail) {
  throw new CheckFailed(`FAIL ${what}: ${detail}`);
}

function check(what, condition, detail) {
  if (!condition) fail(what, detail || 'condition is false');
  checks += 1;
  process.stdout.write(`ok   ${what}\n`);
}

// Key order does not matter: objects are compared on their sorted-key JSON.
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  }
  return v;
}

function checkEq(what, actual, expected) {
  const a = JSON.stringify(canon(actual));
  const e = JSON.stringify(canon(expected));
  check(what, a === e, `expected ${e}, got ${a}`);
}

// ---------------------------------------------------------------------------------------
// The admin endpoints (plain fetch: not the SDK)
// ---------------------------------------------------------------------------------------

async function admin(method, route, body) {
  const init = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  let response;
  try {
    response = await fetch(`${BASE}/_mock/${route}`, init);
  } catch (err) {
    fail(`${method} /_mock/${route}`, `cannot reach the server at ${BASE}: ${err.cause || err}`);
  }
  const text = await response.text();
  if (response.status >= 300) fail(`${method} /_mock/${route}`, `HTTP ${response.status}: ${text}`);
  return { status: response.status, text };
}

async function reset() {
  const { status } = await admin('POST', 'reset');
  checkEq('POST /_mock/reset answers 204', status, 204);
}

async function setFaults(rules) {
  const { status } = await admin('PUT', 'faults', rules);
  checkEq('PUT /_mock/faults answers 204', status, 204);
}

async function roles() {
  const state = JSON.parse((await admin('GET', 'state')).text);
  const out = {};
  for (const i of state.instances) {
    if (i.id in FIXTURE) out[i.id] = i.ram_role === undefined ? null : i.ram_role;
  }
  return out;
}

async function checkRoles(what, expected) {
  checkEq(`server state ${what}: ${JSON.stringify(expected)}`, await roles(), expected);
}

async function log() {
  return JSON.parse((await admin('GET', 'requests')).text);
}

// `expected`: [[operation, status, code or null]], the whole log since the reset.
async function checkLog(what, expected) {
  const actual = (await log()).map((r) => [r.operation, r.status, r.code === undefined ? null : r.code]);
  checkEq(`GET /_mock/requests ${what}`, actual, expected);
}

async function checkNoSecret(secrets) {
  for (const route of ['requests', 'state']) {
    const { text } = await admin('GET', route);
    for (const [label, secret] of Object.entries(secrets)) {
      check(`GET /_mock/${route} does not hold ${label}`, !text.includes(secret), `the secret ${JSON.stringify(secret)} appears in the answer`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The SDK, as its users write it
// ---------------------------------------------------------------------------------------

function client(secret, retryOptions) {
  const config = new openapi.$OpenApiUtil.Config({
    accessKeyId: KEY_ID,
    accessKeySecret: secret,
    endpoint: HOST,
    protocol: 'http',
    retryOptions,
  });
  if (MODE === 'v2') config.signatureAlgorithm = 'v2';
  return new EcsClient(config);
}

function ids(...instanceIds) {
  return JSON.stringify(instanceIds);
}

function attach(c, ...instanceIds) {
  return c.attachInstanceRamRole(new Ecs.AttachInstanceRamRoleRequest({
    regionId: REGION, instanceIds: ids(...instanceIds), ramRoleName: ROLE,
  }));
}

function describe(c, { instanceIds, role } = {}) {
  const request = new Ecs.DescribeInstanceRamRoleRequest({ regionId: REGION });
  if (instanceIds !== undefined) request.instanceIds = ids(...instanceIds);
  if (role !== undefined) request.ramRoleName = role;
  return c.describeInstanceRamRole(request);
}

function detach(c, instanceIds, role) {
  const request = new Ecs.DetachInstanceRamRoleRequest({ regionId: REGION, instanceIds: ids(...instanceIds) });
  if (role !== undefined) request.ramRoleName = role;
  return c.detachInstanceRamRole(request);
}

async function call(what, fn) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CheckFailed) throw err;
    return fail(what, `the SDK raised ${err && err.name}: ${err && err.message}`);
  }
}

async function expectRaise(what, fn) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    if (err instanceof CheckFailed) throw err;
    return err;
  }
  return fail(what, `the SDK returned instead of raising: ${JSON.stringify(result && result.body ? result.body.toMap() : result)}`);
}

function show(err) {
  const text = String(err && err.message).split(/\s+/).join(' ');
  process.stdout.write(`     the SDK raised ${err && err.constructor && err.constructor.name}: ${text.slice(0, 240)}\n`);
}

function checkResults(what, results, instanceIds) {
  const items = results || [];
  checkEq(`${what}: one result per instance`, items.map((r) => r.instanceId).sort(), [...instanceIds].sort());
  for (const r of items) {
    checkEq(`${what}: ${r.instanceId} Code`, r.code, '200');
    checkEq(`${what}: ${r.instanceId} Success`, r.success, true);
  }
}

function roleSets(body) {
  const sets = (body.instanceRamRoleSets && body.instanceRamRoleSets.instanceRamRoleSet) || [];
  return Object.fromEntries(sets.map((s) => [s.instanceId, s.ramRoleName]));
}

// ---------------------------------------------------------------------------------------
// The steps
// ---------------------------------------------------------------------------------------

async function lifecycle() {
  process.stdout.write(`# lifecycle: attach, describe, detach (${MODE})\n`);
  await reset();
  await checkRoles('before', FIXTURE);
  const good = client(SECRET);

  let r = await call('attach i-1,i-2', () => attach(good, 'i-1', 'i-2'));
  checkEq('attach: HTTP status', r.statusCode, 200);
  check('attach: a decoded body', r.body !== undefined && r.body !== null, 'response.body is empty');
  checkEq('attach: TotalCount', r.body.totalCount, 2);
  checkEq('attach: FailCount', r.body.failCount, 0);
  checkEq('attach: RamRoleName', r.body.ramRoleName, ROLE);
  check('attach: a RequestId', Boolean(r.body.requestId), JSON.stringify(r.body.requestId));
  let results = r.body.attachInstanceRamRoleResults;
  checkResults('attach', results && results.attachInstanceRamRoleResult, ['i-1', 'i-2']);
  await checkRoles('after attach', { 'i-1': ROLE, 'i-2': ROLE, 'i-3': 'OtherRole' });

  r = await call('describe by InstanceIds', () => describe(good, { instanceIds: ['i-1', 'i-2'] }));
  checkEq('describe by InstanceIds: HTTP status', r.statusCode, 200);
  checkEq('describe by InstanceIds: TotalCount', r.body.totalCount, 2);
  checkEq('describe by InstanceIds: RamRoleName per instance', roleSets(r.body), { 'i-1': ROLE, 'i-2': ROLE });
  r = await call('describe by RamRoleName', () => describe(good, { role: ROLE }));
  checkEq('describe by RamRoleName: TotalCount', r.body.totalCount, 2);
  checkEq('describe by RamRoleName: the instances (not i-3)', roleSets(r.body), { 'i-1': ROLE, 'i-2': ROLE });
  await checkRoles('after describe (unchanged)', { 'i-1': ROLE, 'i-2': ROLE, 'i-3': 'OtherRole' });

  r = await call('detach i-1 naming the role', () => detach(good, ['i-1'], ROLE));
  checkEq('detach i-1: HTTP status', r.statusCode, 200);
  checkEq('detach i-1: TotalCount', r.body.totalCount, 1);
  checkEq('detach i-1: FailCount', r.body.failCount, 0);
  checkEq('detach i-1: RamRoleName', r.body.ramRoleName, ROLE);
  results = r.body.detachInstanceRamRoleResults;
  checkResults('detach i-1', results && results.detachInstanceRamRoleResult, ['i-1']);
  await checkRoles('after detach i-1', { 'i-1': null, 'i-2': ROLE, 'i-3': 'OtherRole' });

  r = await call('detach i-2', () => detach(good, ['i-2']));
  checkEq('detach i-2: TotalCount', r.body.totalCount, 1);
  checkEq('detach i-2: FailCount', r.body.failCount, 0);
  results = r.body.detachInstanceRamRoleResults;
  checkResults('detach i-2', results && results.detachInstanceRamRoleResult, ['i-2']);
  await checkRoles('after detach i-2', FIXTURE);

  r = await call('describe after detach', () => describe(good, { instanceIds: ['i-1', 'i-2'] }));
  checkEq('describe after detach: TotalCount', r.body.totalCount, 0);
  checkEq('describe after detach: no instance', roleSets(r.body), {});

  const ops = ['AttachInstanceRamRole', 'DescribeInstanceRamRole', 'DescribeInstanceRamRole',
    'DetachInstanceRamRole', 'DetachInstanceRamRole', 'DescribeInstanceRamRole'];
  await checkLog("lists the SDK's 6 calls, each 200", ops.map((op) => [op, 200, null]));
  for (const record of await log()) {
    checkEq(`the ${record.operation} request was a POST`, record.method, 'POST');
    const headers = Object.fromEntries(record.headers.map(([n, v]) => [n.toLowerCase(), v]));
    if (MODE === 'v3') {
      const auth = headers.authorization || '';
      check(`the ${record.operation} request was signed with ACS3-HMAC-SHA256 by ${KEY_ID}`,
        auth.startsWith(`ACS3-HMAC-SHA256 Credential=${KEY_ID},`), `authorization header ${JSON.stringify(auth)}`);
    } else {
      const q = record.query;
      check(`the ${record.operation} request was signed with V1 HMAC-SHA1 by ${KEY_ID}`,
        q.includes('SignatureMethod=HMAC-SHA1') && q.includes('SignatureVersion=1.0')
          && q.includes(`AccessKeyId=${KEY_ID}`) && !('authorization' in headers),
        `query ${JSON.stringify(q)}, headers ${Object.keys(headers).sort()}`);
    }
  }
  await checkNoSecret({ 'the secret': SECRET });
}

async function wrongSecret() {
  process.stdout.write(`# wrong secret (${MODE})\n`);
  await reset();
  const bad = client(WRONG_SECRET);
  const err = await expectRaise('attach with a wrong secret', () => attach(bad, 'i-1'));
  show(err);
  check("wrong secret: the SDK's ClientError", err instanceof openapi.ClientError,
    `${err && err.constructor && err.constructor.name}: ${err && err.message}`);
  checkEq('wrong secret: code', err.code, 'SignatureDoesNotMatch');
  checkEq('wrong secret: statusCode', err.statusCode, 400);
  check('wrong secret: a requestId', Boolean(err.requestId), JSON.stringify(err.requestId));
  await checkRoles('after the refused attach (unchanged)', FIXTURE);
  await checkLog('shows one refused attach', [['AttachInstanceRamRole', 400, 'SignatureDoesNotMatch']]);
  await checkNoSecret({ 'the secret': SECRET, 'the wrong secret': WRONG_SECRET });
}

async function throttle() {
  process.stdout.write(`# throttle fault (${MODE})\n`);
  await reset();
  await setFaults([
    { operation: 'AttachInstanceRamRole', nth: 1, fault: { kind: 'throttle', retry_after_ms: 1000 } },
  ]);
  const good = client(SECRET);
  const err = await expectRaise('attach under a throttle fault', () => attach(good, 'i-1'));
  show(err);
  check("throttle: the SDK's ThrottlingError", err instanceof openapi.ThrottlingError,
    `${err && err.constructor && err.constructor.name}: ${err && err.message}`);
  checkEq('throttle: code', err.code, 'Throttling.User');
  checkEq('throttle: statusCode', err.statusCode, 400);
  checkEq('throttle: retryAfter (from x-acs-retry-after)', err.retryAfter, 1000);
  await checkRoles('after the throttled attach (unchanged)', FIXTURE);
  await checkLog('shows exactly one attempt (the default client does not retry)',
    [['AttachInstanceRamRole', 400, 'Throttling.User']]);
  const r = await call('attach again (the fault fired once)', () => attach(good, 'i-1'));
  checkEq('attach again: FailCount', r.body.failCount, 0);
  await checkRoles('after the second attach', { 'i-1': ROLE, 'i-2': null, 'i-3': 'OtherRole' });
  await checkLog('shows the throttled attempt, then the success',
    [['AttachInstanceRamRole', 400, 'Throttling.User'], ['AttachInstanceRamRole', 200, null]]);

  // The same code without x-acs-retry-after (a plain status fault): this SDK picks
  // ThrottlingError by the code (it contains "Throttling"), with no retryAfter.
  process.stdout.write(`# Throttling.User without x-acs-retry-after (${MODE})\n`);
  await reset();
  await setFaults([
    { operation: 'AttachInstanceRamRole', nth: 1, fault: { kind: 'status', status: 400, code: 'Throttling.User' } },
  ]);
  const plain = await expectRaise('attach under a Throttling.User status fault', () => attach(good, 'i-1'));
  show(plain);
  check('no header: still a ThrottlingError (classified by its code)', plain instanceof openapi.ThrottlingError,
    `${plain && plain.constructor && plain.constructor.name}: ${plain && plain.message}`);
  checkEq('no header: code', plain.code, 'Throttling.User');
  checkEq('no header: statusCode', plain.statusCode, 400);
  check('no header: no retryAfter', plain.retryAfter === undefined || plain.retryAfter === null,
    `retryAfter ${JSON.stringify(plain.retryAfter)}`);
  await checkLog('shows exactly one attempt', [['AttachInstanceRamRole', 400, 'Throttling.User']]);

  // Retrying is opt-in: Config.retryOptions with a condition on ThrottlingError. The SDK
  // then waits the error's retryAfter (x-acs-retry-after, here 300 ms; its own minimum
  // without one is 100 ms) and sends the call again, newly signed.
  process.stdout.write(`# throttle fault, retry enabled in Config.retryOptions (${MODE})\n`);
  await reset();
  await setFaults([
    { operation: 'AttachInstanceRamRole', nth: 1, fault: { kind: 'throttle', retry_after_ms: 300 } },
  ]);
  const retrying = client(SECRET, new $dara.RetryOptions({
    retryable: true,
    retryCondition: [{ maxAttempts: 3, exception: ['ThrottlingError'], errorCode: [] }],
  }));
  const started = process.hrtime.bigint();
  const again = await call('attach with retry enabled', () => attach(retrying, 'i-1'));
  const waited = Number(process.hrtime.bigint() - started) / 1e9;
  checkEq('retried attach: FailCount', again.body.failCount, 0);
  await checkRoles('after the retried attach', { 'i-1': ROLE, 'i-2': null, 'i-3': 'OtherRole' });
  await checkLog("shows the SDK's retry: a 400 Throttling.User, then a 200",
    [['AttachInstanceRamRole', 400, 'Throttling.User'], ['AttachInstanceRamRole', 200, null]]);
  check(`the SDK waited x-acs-retry-after (300 ms) before retrying: ${waited.toFixed(2)} s`, waited >= 0.29,
    `only ${waited.toFixed(3)} s (its default delay is 100 ms)`);
  await checkNoSecret({ 'the secret': SECRET });
}

(async () => {
  try {
    await lifecycle();
    await wrongSecret();
    await throttle();
  } catch (err) {
    process.stdout.write(err instanceof CheckFailed ? `${err.message}\n` : `FAIL unexpected error: ${err && err.stack}\n`);
    process.exit(1);
  }
  process.stdout.write(`node-tea ${MODE}: all ${checks} checks passed\n`);
})();
