'use strict';
// No secret and no STS token in any message or inspected value (util.inspect, what
// console.log prints, and an error's toJSON), whatever was signed, refused or decoded.

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('util');
const ecs = require('..');

const SECRET = 'SecretKeyVal9';
const OTHER_SECRET = 'WrongSecretVal7';
const TOKEN = 'StsTokenVal3';
const ATTACH = { RegionId: 'cn-hangzhou', RamRoleName: 'EcsRole', InstanceIds: ['i-1'] };
const KEYS = { accessKeyId: 'testid', accessKeySecret: SECRET, securityToken: TOKEN, timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };

/** Every view of `value` a log could show. */
function views(value) {
  const out = [util.inspect(value, { depth: null }), util.format('%s', value), util.format('%o', value)];
  if (value instanceof Error) {
    out.push(value.message, String(value), value.stack);
    if (typeof value.toJSON === 'function') out.push(JSON.stringify(value));
  }
  return out;
}

function assertClean(value, what, secrets = [SECRET, OTHER_SECRET, TOKEN]) {
  for (const view of views(value)) {
    for (const s of secrets) assert.ok(!view.includes(s), `${what} shows ${s}:\n${view}`);
  }
}

function caught(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

test('a signed request shows neither the secret nor the token', () => {
  for (const shape of [
    {},
    { method: 'GET', format: 'XML' },
    { algorithm: 'ACS3-HMAC-SHA256' },
    { algorithm: 'ACS3-HMAC-SHA256', placement: 'body' },
  ]) {
    const signed = ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, ...shape });
    assertClean(signed, `SignedRequest ${JSON.stringify(shape)}`);
    // The token is on the wire (it must be sent) but shown redacted.
    assert.ok(signed.query.includes(TOKEN) || signed.body.includes(TOKEN) || signed.headers.some(([, v]) => v === TOKEN));
    assert.ok(util.inspect(signed).includes('<redacted>'));
    // The secret is nowhere, not even in the data.
    assert.ok(!JSON.stringify(signed).includes(SECRET));
  }
  const stages = ecs.signParams('GET', { SecurityToken: TOKEN, A: 'b' }, SECRET);
  assert.ok(!JSON.stringify(stages).includes(SECRET));
});

test('errors raised while signing show neither the secret nor the token', () => {
  const errors = [
    caught(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, RegionId: '' }, KEYS)),
    caught(() => ecs.signRequest('AttachInstanceRamRole', { ...ATTACH, InstanceIds: { [SECRET]: TOKEN } }, KEYS)),
    caught(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, timestamp: 'bad' })),
    caught(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeySecret: 123456789 })),
    caught(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, accessKeySecret: [SECRET] })),
    caught(() => ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, securityToken: { TOKEN } })),
    caught(() => ecs.signParams('GET', { SecurityToken: TOKEN, Signature: 'x' }, SECRET)),
    caught(() => ecs.signParams('GET', { SecurityToken: 5 }, SECRET)),
    caught(() => ecs.signV3('POST', '/', {}, [['x-acs-security-token', TOKEN], ['authorization', SECRET]], { accessKeyId: 'a', accessKeySecret: SECRET })),
  ];
  for (const e of errors) assertClean(e, `${e.name}: ${e.message}`, [SECRET, TOKEN, '123456789']);
});

test('verifyRequest\'s refusals show neither secret nor token, the string to sign redacted', () => {
  for (const algorithm of ['HMAC-SHA1', 'ACS3-HMAC-SHA256']) {
    const signed = ecs.signRequest('AttachInstanceRamRole', ATTACH, { ...KEYS, algorithm });
    const headers = signed.headers.length ? signed.headers : [['host', ecs.DEFAULT_HOST]];
    const verify = (credentials) => caught(() => ecs.verifyRequest(signed.method, '/', signed.query, headers, signed.body, credentials));
    const wrong = verify({ testid: OTHER_SECRET });
    assert.ok(wrong instanceof ecs.ServiceError);
    assert.equal(wrong.code, 'SignatureDoesNotMatch');
    assert.ok(wrong.serverStringToSign, 'the field keeps the string to sign');
    assertClean(wrong, `${algorithm} SignatureDoesNotMatch`);
    assertClean(verify({}), `${algorithm} InvalidAccessKeyId.NotFound`);
    assertClean(verify((id) => (id === 'testid' ? OTHER_SECRET : null)), `${algorithm} lookup`);
    // Accepted: the answer holds the operation's parameters, not the signing ones.
    const ok = ecs.verifyRequest(signed.method, '/', signed.query, headers, signed.body, { testid: SECRET });
    assertClean(ok, `${algorithm} accepted`);
  }
});

test('a service error that echoes a token (SignatureDoesNotMatch) is shown redacted', () => {
  const sts = `POST&%2F&AccessKeyId%3Dtestid%26SecurityToken%3D${TOKEN}%26Version%3D2014-05-26`;
  const body = JSON.stringify({
    RequestId: 'R',
    Code: 'SignatureDoesNotMatch',
    Message: `Specified signature is not matched with our calculation. server string to sign is:${sts}`,
  });
  const e = caught(() => ecs.decodeResponse('AttachInstanceRamRole', 400, [['content-type', 'application/json']], body));
  assert.ok(e instanceof ecs.ServiceError);
  assert.equal(e.serverStringToSign, sts, 'the field is the service\'s text');
  assertClean(e, 'the decoded SignatureDoesNotMatch');
  assert.ok(util.inspect(e).includes('SecurityToken%3D<redacted>'));
});
