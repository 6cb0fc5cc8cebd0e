'use strict';
// The error classes, their fields, and bad input: wrong types, missing options and
// oversized bodies get a TypeError or RangeError (naming the argument) or this package's
// RequestError / DecodeError (naming the parameter), never a crash.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const ecs = require('..');
const { corpusCase, packageDir } = require('./helpers');

const KEYS = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };
const ATTACH = { RegionId: 'cn-hangzhou', RamRoleName: 'EcsRole', InstanceIds: ['i-1'] };

function requestError(fn, kind, parameter) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ecs.RequestError, `a RequestError, got ${e && e.name}: ${e && e.message}`);
    assert.equal(e.kind, kind, e.message);
    assert.equal(e.parameter, parameter, e.message);
    return true;
  });
}

function typeError(fn, ...named) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `a TypeError, got ${e && e.name}: ${e && e.message}`);
    assert.ok(!(e instanceof ecs.Error));
    assert.equal(e.code, 'ERR_INVALID_ARG_TYPE');
    for (const name of named) assert.ok(e.message.includes(name), `"${e.message}" names ${name}`);
    return true;
  });
}

test('the four classes derive from one Error, itself an Error', () => {
  assert.equal(ecs.Error, ecs.EcsRamRoleError);
  for (const Class of [ecs.RequestError, ecs.ServiceError, ecs.DecodeError]) {
    assert.ok(Class.prototype instanceof ecs.Error, Class.name);
    assert.ok(Class.prototype instanceof Error, Class.name);
  }
  const e = new ecs.RequestError('m', { kind: 'missing_required', parameter: 'RegionId' });
  assert.equal(e.name, 'RequestError');
  assert.equal(String(e), 'RequestError: m');
  assert.deepEqual(Object.keys(e), ['kind', 'parameter']);
});

test('RequestError: missing_required, with the parameter named', () => {
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { RegionId: 'cn-hangzhou', InstanceIds: ['i-1'] }, KEYS), 'missing_required', 'RamRoleName');
  requestError(() => ecs.encodeRequest('DetachInstanceRamRole', { RegionId: 'cn-hangzhou' }), 'missing_required', 'InstanceIds');
  requestError(() => ecs.encodeRequest('DetachInstanceRamRole', { RegionId: null, InstanceIds: ['i-1'] }), 'missing_required', 'RegionId');
  // A missing signing option is a missing signing input.
  const { accessKeySecret, ...noSecret } = KEYS;
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, noSecret), 'missing_required', 'AccessKeySecret');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, nonce: undefined }), 'missing_required', 'SignatureNonce');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeyId: null }), 'missing_required', 'AccessKeyId');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, timestamp: undefined }), 'missing_required', 'Timestamp');
  requestError(() => ecs.signParams('GET', { A: '1' }), 'missing_required', 'AccessKeySecret');
  requestError(() => ecs.signV3('POST', '/', {}, [['host', 'h']], { accessKeySecret: 's' }), 'missing_required', 'AccessKeyId');
});

test('RequestError: constraint_violation, with the parameter named', () => {
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, RegionId: '' }, KEYS), 'constraint_violation', 'RegionId');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, InstanceIds: [] }, KEYS), 'constraint_violation', 'InstanceIds');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, InstanceIds: 'i-1' }, KEYS), 'constraint_violation', 'InstanceIds');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, InstanceIds: Array(101).fill('i') }, KEYS), 'constraint_violation', 'InstanceIds');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, Policy: 'p'.repeat(1025) }, KEYS), 'constraint_violation', 'Policy');
  requestError(() => ecs.signRequest('DetachInstanceRamRole', { ...ATTACH, Policy: '{}' }, KEYS), 'constraint_violation', 'Policy');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, timestamp: '2016-02-30T12:46:24Z' }), 'constraint_violation', 'Timestamp');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, timestamp: new Date(NaN) }), 'constraint_violation', 'Timestamp');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeySecret: '' }), 'constraint_violation', 'AccessKeySecret');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, securityToken: '' }), 'constraint_violation', 'SecurityToken');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, method: 'PUT' }), 'constraint_violation', 'method');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, format: 'json' }), 'constraint_violation', 'Format');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, algorithm: 'HMAC-SHA256' }), 'constraint_violation', 'algorithm');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, placement: 'body' }), 'constraint_violation', 'placement');
  requestError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, algorithm: 'ACS3-HMAC-SHA256', host: '' }), 'constraint_violation', 'host');
  requestError(() => ecs.encodeRequest('RunInstances', ATTACH), 'constraint_violation', 'Action');
  requestError(() => ecs.signParams('GET', { A: '1', Signature: 'x' }, 'k'), 'constraint_violation', 'Signature');
  requestError(() => ecs.signParams('PUT', { A: '1' }, 'k'), 'constraint_violation', 'method');
  const v3 = { accessKeyId: 'id', accessKeySecret: 's' };
  requestError(() => ecs.signV3('POST', '/', {}, [['Authorization', 'x']], v3), 'constraint_violation', 'authorization');
  requestError(() => ecs.signV3('POST', '/', {}, [], { ...v3, payloadSha256: 'E3B0' }), 'constraint_violation', 'payloadSha256');
  requestError(() => ecs.signV3('POST', '/', {}, [], { ...v3, payloadSha256: 'a'.repeat(64), body: '' }), 'constraint_violation', 'payloadSha256');
  requestError(() => ecs.signV3('POST', '/', {}, [], { ...v3, accessKeyId: '' }), 'constraint_violation', 'AccessKeyId');
});

test('RequestError: type_mismatch for a parameter value of the wrong type', () => {
  const sign = (params) => () => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, ...params }, KEYS);
  requestError(sign({ RegionId: 1 }), 'type_mismatch', 'RegionId');
  requestError(sign({ RegionId: ['cn-hangzhou'] }), 'type_mismatch', 'RegionId');
  requestError(sign({ InstanceIds: { i: 1 } }), 'type_mismatch', 'InstanceIds');
  requestError(sign({ InstanceIds: 7 }), 'type_mismatch', 'InstanceIds');
  requestError(sign({ InstanceIds: ['i-1', 2] }), 'type_mismatch', 'InstanceIds');
  requestError(sign({ InstanceIds: ['i-1', null] }), 'type_mismatch', 'InstanceIds');
  requestError(sign({ OwnerId: '7' }), 'type_mismatch', 'OwnerId');
  requestError(sign({ OwnerId: -1 }), 'type_mismatch', 'OwnerId');
  requestError(sign({ ResourceOwnerId: 1.5 }), 'type_mismatch', 'ResourceOwnerId');
  requestError(sign({ OwnerId: 2 ** 53 }), 'type_mismatch', 'OwnerId');
  requestError(sign({ OwnerId: 2n ** 63n }), 'type_mismatch', 'OwnerId');
  requestError(sign({ OwnerId: -1n }), 'type_mismatch', 'OwnerId');
  requestError(sign({ OwnerId: Infinity }), 'type_mismatch', 'OwnerId');
  requestError(() => ecs.signParams('GET', { A: 1 }, 'k'), 'type_mismatch', 'A');
  const v3 = { accessKeyId: 'id', accessKeySecret: 's' };
  requestError(() => ecs.signV3('POST', '/', { RegionId: 1 }, [], v3), 'type_mismatch', 'RegionId');
  requestError(() => ecs.signV3('POST', '/', {}, [['host']], v3), 'type_mismatch', 'headers[0]');
  requestError(() => ecs.signV3('POST', '/', {}, [['host', 1]], v3), 'type_mismatch', 'host');
  // In range they are accepted: 0, a safe integer, and 2^63 - 1 as a bigint.
  for (const OwnerId of [0, 1234567890123456, 9223372036854775807n]) {
    assert.ok(ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, OwnerId }, KEYS).query.includes(`OwnerId=${OwnerId}&`));
  }
});

test('TypeError for an argument of the wrong type, naming it (never its value)', () => {
  typeError(() => ecs.signRequest(1, ATTACH, KEYS), 'operation');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', null, KEYS), 'params');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', 'RegionId=x', KEYS), 'params');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', [['RegionId', 'x']], KEYS), 'params');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH), 'options');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeyId: 5 }), 'options.accessKeyId');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeySecret: Buffer.from('s') }), 'options.accessKeySecret');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, timestamp: 1456231584 }), 'options.timestamp');
  typeError(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, method: 1 }), 'options.method');
  typeError(() => ecs.encodeRequest('AttachInstanceRamRole', ATTACH, 'POST'), 'options');
  typeError(() => ecs.signParams(undefined, {}, 'k'), 'method');
  typeError(() => ecs.signParams('GET', 'A=1', 'k'), 'params');
  typeError(() => ecs.signParams('GET', {}, 42), 'accessKeySecret');
  typeError(() => ecs.signV3('POST', 7, {}, [], { accessKeyId: 'a', accessKeySecret: 's' }), 'path');
  typeError(() => ecs.signV3('POST', '/', {}, [], { accessKeyId: 'a', accessKeySecret: 's', body: 5 }), 'options.body');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', '200', [], Buffer.from('{}')), 'status');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, [], 123), 'body');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, [], { length: 2 }), 'body');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, 'content-type: x', Buffer.from('{}')), 'headers');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, [['content-type']], Buffer.from('{}')), 'headers[0]');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, { 'content-type': {} }, Buffer.from('{}')), 'content-type');
  typeError(() => ecs.decodeResponse('AttachInstanceRamRole', 200, [], '{}', 7), 'format');
  typeError(() => ecs.verifyRequest('POST', '/', '', [], '', 'testid:testsecret'), 'credentials');
  typeError(() => ecs.verifyRequest(null, '/', '', [], '', {}), 'method');
  assert.throws(() => ecs.decodeResponse('AttachInstanceRamRole', 70000, [], '{}'), (e) => e instanceof RangeError && /status/.test(e.message));
  assert.throws(() => ecs.decodeResponse('AttachInstanceRamRole', 200.5, [], '{}'), TypeError);
});

test('verifyRequest: a credentials lookup that throws or answers a non-string is the caller\'s error', () => {
  const c = corpusCase('incoming/v1/y_attach_post_query');
  const i = c.input;
  const verify = (credentials) => () => ecs.verifyRequest(i.method, i.path, i.query, i.headers, '', credentials);
  const thrown = new Error('vault unreachable');
  assert.throws(verify(() => { throw thrown; }), (e) => e === thrown);
  typeError(verify(() => 42), 'secret of access key');
  typeError(verify({ testid: '' }), 'secret of access key');
  // Unknown keys and inherited properties are unknown access keys, as the service says.
  for (const credentials of [{}, new Map(), () => undefined, Object.create({ testid: 'testsecret' })]) {
    assert.throws(verify(credentials), (e) => e instanceof ecs.ServiceError && e.code === 'InvalidAccessKeyId.NotFound');
  }
});

test('ServiceError: every field, from corpus error bodies', () => {
  const detail = corpusCase('response/error/json/y_access_denied_detail');
  assert.throws(
    () => ecs.decodeResponse(detail.operation, detail.http.status, detail.http.headers, detail.body, detail.format),
    (e) => {
      assert.ok(e instanceof ecs.ServiceError && e instanceof ecs.Error);
      const x = detail.expect.error;
      assert.equal(e.httpStatus, x.http_status);
      assert.equal(e.code, x.code);
      assert.equal(e.serviceMessage, x.message);
      assert.equal(e.requestId, x.request_id);
      assert.equal(e.hostId, x.host_id ?? null);
      assert.equal(e.recommend, x.recommend ?? null);
      assert.deepEqual(e.accessDeniedDetail, x.access_denied_detail);
      assert.equal(e.retryable, false);
      assert.equal(e.retryAfterMs, null);
      assert.equal(e.serverStringToSign, null);
      assert.ok(e.message.includes(`HTTP ${x.http_status}`) && e.message.includes(x.code));
      return true;
    },
  );
  const retry = corpusCase('response/error/json/y_retry_throttling_user_with_after');
  assert.throws(
    () => ecs.decodeResponse(retry.operation, retry.http.status, retry.http.headers, retry.body, retry.format),
    (e) => e.retryable === retry.expect.retry.retryable && e.retryAfterMs === retry.expect.retry.after_ms && e.code === 'Throttling.User',
  );
  const sts = corpusCase('response/error/json/y_signature_does_not_match');
  assert.throws(
    () => ecs.decodeResponse(sts.operation, sts.http.status, sts.http.headers, sts.body, sts.format),
    (e) => e.serverStringToSign === sts.expect.error.message.split('server string to sign is:')[1],
  );
  // An integer past 2^53 in AccessDeniedDetail keeps every digit, as a bigint.
  assert.throws(
    () => ecs.decodeResponse('AttachInstanceRamRole', 403, [], '{"Code":"Forbidden.RAM","AccessDeniedDetail":{"UserId":12345678901234567890,"Small":7}}'),
    (e) => e.accessDeniedDetail.UserId === 12345678901234567890n && e.accessDeniedDetail.Small === 7,
  );
  // A body that is not an error body still gives the status.
  assert.throws(
    () => ecs.decodeResponse('AttachInstanceRamRole', 502, [['content-type', 'text/html']], '<html>Bad Gateway</html>'),
    (e) => e instanceof ecs.ServiceError && e.httpStatus === 502 && e.code === null && e.retryable === true,
  );
});

/** The 1-based line and column (in bytes) of `offset` in `body`, by their definition. */
function position(body, offset) {
  const before = body.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  return { line: before.filter((b) => b === 0x0a).length + 1, column: offset - lineStart + 1 };
}

test('DecodeError: the kind, and a position that is the offset\'s line and column', () => {
  for (const [id, body] of [
    ['response/AttachInstanceRamRole/xml/n_doctype_billion_laughs', null],
    [null, Buffer.from('{"RequestId":"R",\n  "TotalCount":"three"}')],
    [null, Buffer.from('<?xml version="1.0"?>\n<AttachInstanceRamRoleResponse>\n  <RequestId>R</Request')],
    [null, Buffer.from('[]')],
  ]) {
    const c = id ? corpusCase(id) : null;
    const bytes = c ? c.body : body;
    assert.throws(
      () => ecs.decodeResponse('AttachInstanceRamRole', 200, c ? c.http.headers : [], bytes),
      (e) => {
        assert.ok(e instanceof ecs.DecodeError && e instanceof ecs.Error, `${e.name}: ${e.message}`);
        if (c) {
          const kinds = c.expect.alternatives ? c.expect.alternatives.flatMap((a) => a.reject_kind) : c.expect.reject_kind;
          assert.ok(kinds.includes(e.kind), `${e.kind} in ${kinds}`);
        } else {
          assert.ok(['malformed_body', 'unexpected_shape', 'type_mismatch'].includes(e.kind), e.kind);
        }
        assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length);
        assert.deepEqual({ line: e.line, column: e.column }, position(bytes, e.offset));
        assert.ok(e.message.startsWith(`${e.kind}:`));
        return true;
      },
    );
  }
});

test('oversized bodies: a 2xx body over the limit is limit_exceeded, an error body the status', () => {
  const big = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
  assert.throws(
    () => ecs.decodeResponse('AttachInstanceRamRole', 200, [['content-type', 'application/json']], big),
    (e) => e instanceof ecs.DecodeError && e.kind === 'limit_exceeded',
  );
  assert.throws(
    () => ecs.decodeResponse('AttachInstanceRamRole', 500, [['content-type', 'application/json']], big),
    (e) => e instanceof ecs.ServiceError && e.httpStatus === 500 && e.code === null,
  );
  // A huge query or body on the server side is the service's refusal, not a crash.
  assert.throws(
    () => ecs.verifyRequest('POST', '/', `Action=AttachInstanceRamRole&X=${'a'.repeat(4 * 1024 * 1024)}`, [], big, {}),
    (e) => e instanceof ecs.ServiceError,
  );
});

test('a Rust panic reaches JavaScript as this package\'s Error, and the process goes on', () => {
  const script = `
    const ecs = require(${JSON.stringify(packageDir)});
    try { ecs._panicForTests(); console.log('no error'); }
    catch (e) {
      console.log(JSON.stringify({
        base: e instanceof ecs.Error,
        specific: e instanceof ecs.RequestError || e instanceof ecs.ServiceError || e instanceof ecs.DecodeError,
        name: e.name, message: e.message,
      }));
    }
    // Still usable afterwards.
    console.log(ecs.signParams('GET', {}, 'k').stringToSign);`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, RUST_BACKTRACE: '0' } });
  assert.equal(run.status, 0, run.stderr);
  const [first, second] = run.stdout.trim().split('\n');
  const got = JSON.parse(first);
  assert.equal(got.base, true);
  assert.equal(got.specific, false);
  assert.equal(got.name, 'EcsRamRoleError');
  assert.match(got.message, /panic/);
  assert.equal(second, 'GET&%2F&');
});
