'use strict';
// Types: what the functions return at run time (the corpus's value shape: `Code` a
// string, `Success` a boolean, counts numbers, both list levels; integers past 2^53 as
// bigints), and index.d.ts compiled with `tsc --strict` against test/types/usage.ts.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const path = require('path');
const ecs = require('..');
const { corpusCase, packageDir } = require('./helpers');

test('decodeResponse: Code a string, Success a boolean, counts numbers, both list levels (corpus)', () => {
  // The leniency cases: Code given as a number and Success as a string in the body.
  for (const id of [
    'response/AttachInstanceRamRole/json/y_code_number',
    'response/AttachInstanceRamRole/json/y_success_string',
    'response/DetachInstanceRamRole/xml/y_doc_example',
  ]) {
    const c = corpusCase(id);
    const value = ecs.decodeResponse(c.operation, c.http.status, c.http.headers, c.body, c.format);
    assert.deepEqual(value, c.expect.value, id);
    const wrapper = value.AttachInstanceRamRoleResults || value.DetachInstanceRamRoleResults;
    const results = wrapper.AttachInstanceRamRoleResult || wrapper.DetachInstanceRamRoleResult;
    assert.ok(Array.isArray(results), `${id}: the inner level is an array`);
    for (const r of results) {
      if ('Code' in r) assert.equal(typeof r.Code, 'string', id);
      if ('Success' in r) assert.equal(typeof r.Success, 'boolean', id);
    }
    if ('TotalCount' in value) assert.equal(typeof value.TotalCount, 'number', id);
  }
  // A one-item list is still a list; an empty wrapper an empty list.
  const one = ecs.decodeResponse(
    'AttachInstanceRamRole',
    200,
    [['content-type', 'text/xml']],
    '<AttachInstanceRamRoleResponse><AttachInstanceRamRoleResults><AttachInstanceRamRoleResult><Code> 200 </Code><Success>true</Success></AttachInstanceRamRoleResult></AttachInstanceRamRoleResults><TotalCount> 1 </TotalCount></AttachInstanceRamRoleResponse>',
  );
  assert.deepEqual(one, {
    AttachInstanceRamRoleResults: { AttachInstanceRamRoleResult: [{ Code: ' 200 ', Success: true }] },
    TotalCount: 1,
  });
  const empty = ecs.decodeResponse('DetachInstanceRamRole', 200, [], '{"DetachInstanceRamRoleResults":{}}');
  assert.deepEqual(empty, { DetachInstanceRamRoleResults: { DetachInstanceRamRoleResult: [] } });
});

test('signRequest: a SignedRequest of strings; headers lowercase and sorted, none under V1', () => {
  const keys = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };
  const params = { RegionId: 'cn-hangzhou', RamRoleName: 'EcsRole', InstanceIds: ['i-1'] };
  const v1 = ecs.signRequest('AttachInstanceRamRole', params, keys);
  assert.ok(v1 instanceof ecs.SignedRequest);
  assert.deepEqual(v1.headers, []);
  assert.equal(v1.body, '');
  assert.deepEqual(Object.keys(v1.stages), ['canonicalQuery', 'stringToSign', 'signature']);
  const v3 = ecs.signRequest('AttachInstanceRamRole', params, { ...keys, algorithm: 'ACS3-HMAC-SHA256', securityToken: 't' });
  const names = v3.headers.map(([n]) => n);
  assert.deepEqual(names, [...names].sort());
  for (const [n, v] of v3.headers) {
    assert.equal(n, n.toLowerCase());
    assert.equal(typeof v, 'string');
  }
  assert.deepEqual(Object.keys(v3.stages).sort(), [
    'authorization', 'canonicalQuery', 'canonicalRequest', 'hashedCanonicalRequest', 'signature', 'stringToSign',
  ]);
  for (const value of Object.values(v3.stages)) assert.equal(typeof value, 'string');
  assert.equal(typeof v3.url, 'function');
});

test('verifyRequest: strings, integers (bigint past 2^53 - 1), InstanceIds an array', () => {
  const keys = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };
  const params = { RegionId: 'r', RamRoleName: 'x', InstanceIds: ['i-1', 'i-2'], OwnerId: 7, ResourceOwnerId: 2n ** 63n - 1n };
  const signed = ecs.signRequest('AttachInstanceRamRole', params, keys);
  const verified = ecs.verifyRequest('POST', '/', signed.query, null, null, { testid: 'testsecret' });
  assert.equal(typeof verified.params.OwnerId, 'number');
  assert.equal(typeof verified.params.ResourceOwnerId, 'bigint');
  assert.ok(Array.isArray(verified.params.InstanceIds));
  assert.equal(verified.accessKeyId, 'testid');
  assert.equal(verified.format, 'JSON');
});

test('index.d.ts: tsc --strict accepts the documented uses and rejects the wrong ones', (t) => {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [packageDir] });
  } catch {
    return t.skip('typescript is not installed (a devDependency: npm install)');
  }
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});
