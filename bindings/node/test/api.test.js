'use strict';
// The public functions on the documented vectors (shared/reference/protocol.md §2 and §3,
// reproduced in the corpus's sign cases) and on corpus cases called directly, in the
// API's own shapes (camelCase stages, options objects, bigints).

const test = require('node:test');
const assert = require('node:assert/strict');
const ecs = require('..');
const { corpusCase } = require('./helpers');

// protocol.md §2.2: the documented DescribeRegions example.
const DOC_V1 = {
  params: {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  },
  canonicalQuery:
    'AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26',
  stringToSign:
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
};

test('signParams: the documented V1 example, every stage (protocol.md §2.2)', () => {
  const stages = ecs.signParams('GET', DOC_V1.params, 'testsecret');
  assert.deepEqual(stages, {
    canonicalQuery: DOC_V1.canonicalQuery,
    stringToSign: DOC_V1.stringToSign,
    signature: DOC_V1.signature,
  });
  // The same from a Map and from pairs, in any order.
  const pairs = Object.entries(DOC_V1.params).reverse();
  assert.equal(ecs.signParams('GET', new Map(pairs), 'testsecret').signature, DOC_V1.signature);
  assert.equal(ecs.signParams('GET', pairs, 'testsecret').signature, DOC_V1.signature);
});

test('signParams: the SDK test-suite vectors (protocol.md §2.3)', () => {
  const go = {
    Version: '',
    Action: '',
    Format: 'JSON',
    Timestamp: 'mock date',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureType: '',
    SignatureNonce: 'MOCK_UUID',
    AccessKeyId: 'accessKeyId',
    RegionId: 'regionId',
  };
  assert.equal(ecs.signParams('GET', go, 'accessKeySecret').signature, '7loPmFjvDnzOVnQeQNj85S6nFGY=');
  assert.equal(
    ecs.signParams('GET', { ...go, SecurityToken: 'accessKeyStsToken' }, 'accessKeySecret').signature,
    '5Nxdcler+ihqWqv0Hr2On4PsBf4=',
  );
  assert.equal(ecs.signParams('GET', {}, 'k').stringToSign, 'GET&%2F&');
  assert.equal(ecs.signParams('GET', { key: 'value' }, 'k').stringToSign, 'GET&%2F&key%3Dvalue');
  assert.equal(
    ecs.signParams('GET', { query: 'test', body: 'test' }, 'secret').signature,
    'XlUyV4sXjOuX5FnjUz9IF9tm5rU=',
  );
  const pythonCore = {
    SignatureVersion: '1.0',
    Format: 'JSON',
    Timestamp: '7e1c7d12-7551-4856-8abb-1938ccac6bcc',
    AccessKeyId: 'access_key_id',
    SignatureMethod: 'HMAC-SHA1',
    SignatureType: '',
    SignatureNonce: '2018-12-04T04:03:12Z',
  };
  assert.equal(ecs.signParams('GET', pythonCore, 'access_key_secret').signature, '5AYPtZduFYvj3ETTIQlivGqL7Ic=');
});

// protocol.md §3.4: the documented RunInstances walk-through.
const RUN_INSTANCES = {
  headers: [
    ['host', 'ecs.cn-shanghai.aliyuncs.com'],
    ['x-acs-action', 'RunInstances'],
    ['x-acs-version', '2014-05-26'],
    ['x-acs-date', '2023-10-26T10:22:32Z'],
    ['x-acs-signature-nonce', '3156853299f313e23d1673dc12e1703d'],
    ['x-acs-content-sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ],
  query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
  canonicalRequest: [
    'POST',
    '/',
    'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
    'host:ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action:RunInstances',
    'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'x-acs-date:2023-10-26T10:22:32Z',
    'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
    'x-acs-version:2014-05-26',
    '',
    'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ].join('\n'),
  hashed: '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
  signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

test('signV3: the documented RunInstances example, every stage (protocol.md §3.4)', () => {
  const keys = { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' };
  const stages = ecs.signV3('POST', '/', RUN_INSTANCES.query, RUN_INSTANCES.headers, keys);
  assert.deepEqual(stages, {
    canonicalRequest: RUN_INSTANCES.canonicalRequest,
    hashedCanonicalRequest: RUN_INSTANCES.hashed,
    stringToSign: `ACS3-HMAC-SHA256\n${RUN_INSTANCES.hashed}`,
    signature: RUN_INSTANCES.signature,
    authorization:
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
  });
  // The empty body, given as bytes or as its hash, signs the same.
  for (const payload of [{ body: Buffer.alloc(0) }, { body: new Uint8Array(0) }, { body: '' },
    { payloadSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }]) {
    const s = ecs.signV3('POST', '/', RUN_INSTANCES.query, RUN_INSTANCES.headers, { ...keys, ...payload });
    assert.equal(s.signature, RUN_INSTANCES.signature);
  }
});

test('signV3: the openapi-util vectors and the form body (protocol.md §3.5)', () => {
  const auth = ecs.signV3(
    'GET',
    '',
    { test: 'ok', empty: '' },
    [
      ['x-acs-test', 'http'],
      ['x-acs-TEST', 'https'],
    ],
    {
      accessKeyId: 'acesskey',
      accessKeySecret: 'secret',
      payloadSha256: '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23',
    },
  );
  assert.equal(
    auth.authorization,
    'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1',
  );
  assert.ok(auth.canonicalRequest.startsWith('GET\n/\nempty=&test=ok\nx-acs-test:http,https\n'));

  const body = 'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai';
  const headers = RUN_INSTANCES.headers
    .filter(([n]) => n !== 'x-acs-content-sha256')
    .concat([
      ['content-type', 'application/x-www-form-urlencoded'],
      ['x-acs-content-sha256', '9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd'],
    ]);
  const form = ecs.signV3('POST', '/', null, headers, {
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret',
    body: Buffer.from(body),
  });
  assert.equal(
    form.authorization,
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8',
  );
});

/** A corpus request case's input as signRequest's options. */
function signOptions(context) {
  const s = context.signing;
  return {
    algorithm: s.algorithm,
    accessKeyId: s.access_key_id,
    accessKeySecret: s.access_key_secret,
    securityToken: s.security_token,
    timestamp: s.timestamp,
    nonce: s.nonce,
    method: context.method,
    format: context.format === undefined ? null : context.format,
    host: context.host,
    placement: context.placement,
  };
}

test('signRequest: corpus V1 and V3 requests, every part and stage', () => {
  for (const id of [
    'request/AttachInstanceRamRole/y_doc_example',
    'request/AttachInstanceRamRole/y_security_token',
    'request/AttachInstanceRamRole/y_ids_100',
    'request/DetachInstanceRamRole/y_doc_example',
    'request/AttachInstanceRamRole/y_v3_security_token_body',
    'request/AttachInstanceRamRole/y_v3_host_regional',
    'request/AttachInstanceRamRole/y_v3_get_query_xml',
  ]) {
    const c = corpusCase(id);
    const signed = ecs.signRequest(c.operation, c.input.params, signOptions(c.input.context));
    assert.ok(signed instanceof ecs.SignedRequest, id);
    assert.equal(signed.method, c.expect.method, id);
    assert.equal(signed.query, c.expect.query, id);
    if (c.expect.headers) assert.deepEqual(signed.headers, c.expect.headers, id);
    else assert.deepEqual(signed.headers, [], `${id}: no headers under V1`);
    assert.equal(signed.body, c.expect.body ?? '', id);
    const e = c.expect.stages || {};
    const camel = {
      canonical_query: 'canonicalQuery',
      canonical_request: 'canonicalRequest',
      hashed_canonical_request: 'hashedCanonicalRequest',
      string_to_sign: 'stringToSign',
      signature: 'signature',
      authorization: 'authorization',
    };
    for (const [stage, value] of Object.entries(e)) assert.equal(signed.stages[camel[stage]], value, `${id} ${stage}`);
    assert.equal(signed.url('https://ecs.aliyuncs.com/'), `https://ecs.aliyuncs.com/${c.expect.query ? `?${c.expect.query}` : ''}`);
  }
});

test('signRequest: an OwnerId of 2^63 - 1 as a bigint (corpus y_owner_id_max_long)', () => {
  const c = corpusCase('request/AttachInstanceRamRole/y_owner_id_max_long');
  // JSON.parse cannot hold the case's integer; the test reads its digits from the query.
  const digits = /OwnerId=(\d+)/.exec(c.expect.query)[1];
  const params = { ...c.input.params, OwnerId: BigInt(digits) };
  const signed = ecs.signRequest(c.operation, params, signOptions(c.input.context));
  assert.equal(signed.query, c.expect.query);
});

test('encodeRequest: unsigned, with and without Format (corpus)', () => {
  for (const id of ['request/AttachInstanceRamRole/y_doc_example_unsigned', 'request/AttachInstanceRamRole/y_unsigned_no_format']) {
    const c = corpusCase(id);
    const context = c.input.context || {};
    const encoded = ecs.encodeRequest(c.operation, c.input.params, {
      method: context.method,
      format: context.format === undefined ? null : context.format,
    });
    assert.ok(encoded instanceof ecs.EncodedRequest);
    assert.deepEqual({ method: encoded.method, query: encoded.query }, { method: c.expect.method, query: c.expect.query }, id);
  }
  // The defaults: POST and Format=JSON.
  const encoded = ecs.encodeRequest('DetachInstanceRamRole', { RegionId: 'cn-hangzhou', InstanceIds: ['i-1'] });
  assert.equal(encoded.method, 'POST');
  assert.ok(encoded.query.includes('&Format=JSON&'));
  assert.equal(encoded.url('https://ecs.aliyuncs.com'), `https://ecs.aliyuncs.com/?${encoded.query}`);
});

test('InstanceIds as raw JSON text is sent byte for byte (corpus y_ids_raw_spaced)', () => {
  const c = corpusCase('request/AttachInstanceRamRole/y_ids_raw_spaced');
  assert.equal(typeof c.input.params.InstanceIds, 'string');
  const signed = ecs.signRequest(c.operation, c.input.params, signOptions(c.input.context));
  assert.equal(signed.query, c.expect.query);
});

test('decodeResponse: the documented examples, XML and JSON twins give one value (corpus)', () => {
  for (const op of ['AttachInstanceRamRole', 'DetachInstanceRamRole']) {
    for (const format of ['xml', 'json']) {
      const dir = `response/${op}/${format}`;
      const id = op === 'DetachInstanceRamRole' && format === 'json' ? `${dir}/y_doc_example_repaired` : `${dir}/y_doc_example`;
      const c = corpusCase(id);
      const value = ecs.decodeResponse(c.operation, c.http.status, c.http.headers, c.body, c.format);
      assert.deepEqual(value, c.expect.value, id);
      // Headers as Node keeps them, and the body as a plain Uint8Array, decode the same.
      const nodeHeaders = Object.fromEntries(c.http.headers.map(([n, v]) => [n.toLowerCase(), v]));
      assert.deepEqual(ecs.decodeResponse(c.operation, c.http.status, nodeHeaders, new Uint8Array(c.body)), c.expect.value);
    }
  }
});

test('decodeResponse: DescribeInstanceRamRole (corpus)', (t) => {
  const fs = require('fs');
  const path = require('path');
  const { corpusDir } = require('./helpers');
  const dir = path.join(corpusDir, 'response', 'DescribeInstanceRamRole');
  if (!fs.existsSync(dir)) return t.skip('this corpus has no DescribeInstanceRamRole responses');
  let checked = 0;
  for (const format of fs.readdirSync(dir)) {
    for (const file of fs.readdirSync(path.join(dir, format))) {
      if (!/^y_.*\.json$/.test(file) || file.includes('.body.')) continue;
      const c = corpusCase(`response/DescribeInstanceRamRole/${format}/${file.slice(0, -5)}`);
      if (c.expect.outcome !== 'output') continue;
      assert.deepEqual(ecs.decodeResponse(c.operation, c.http.status, c.http.headers, c.body, c.format), c.expect.value, c.id);
      checked++;
    }
  }
  assert.ok(checked > 0);
});

test('verifyRequest: corpus incoming cases, credentials as an object, a Map or a function', () => {
  for (const id of [
    'incoming/v1/y_attach_post_query',
    'incoming/v1/y_owner_params_typed',
    'incoming/v1/y_sts_security_token',
    'incoming/v3/y_attach_post_query',
    'incoming/v3/y_attach_post_body',
    'incoming/v3/y_repeated_header_merged',
  ]) {
    const c = corpusCase(id);
    const i = c.input;
    const body = Buffer.from(i.body_base64 || '', 'base64');
    for (const credentials of [i.credentials, new Map(Object.entries(i.credentials)), (id_) => i.credentials[id_]]) {
      const verified = ecs.verifyRequest(i.method, i.path, i.query, i.headers, body, credentials);
      assert.equal(verified.operation, c.expect.operation, id);
      assert.equal(verified.signatureVersion, c.expect.signature_version, id);
      assert.deepEqual(verified.params, c.expect.params, id);
    }
  }
});

test('verifyRequest answers with the service codes (corpus incoming n_ cases)', () => {
  for (const id of ['incoming/v1/n_wrong_secret', 'incoming/v1/n_unknown_access_key_id', 'incoming/v1/n_region_missing', 'incoming/v1/n_action_unknown']) {
    const c = corpusCase(id);
    const i = c.input;
    assert.throws(
      () => ecs.verifyRequest(i.method, i.path, i.query, i.headers, Buffer.from(i.body_base64 || '', 'base64'), i.credentials),
      (e) => {
        assert.ok(e instanceof ecs.ServiceError, id);
        assert.equal(e.httpStatus, c.expect.error.http_status, id);
        assert.equal(e.code, c.expect.error.code, id);
        assert.equal(e.serverStringToSign, c.expect.error.server_string_to_sign ?? null, id);
        return true;
      },
    );
  }
});

test('signRequest then verifyRequest: every shape round-trips to the same parameters', () => {
  const params = {
    RegionId: 'cn-hangzhou',
    RamRoleName: 'Role ünïcode & *~',
    InstanceIds: ['i-1', 'i-"2"'],
    OwnerId: 9223372036854775807n,
    ResourceOwnerId: 42,
  };
  const base = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n-1' };
  const shapes = [
    {},
    { method: 'GET', format: 'XML' },
    { securityToken: 'sts token/+=' },
    { algorithm: 'ACS3-HMAC-SHA256' },
    { algorithm: 'ACS3-HMAC-SHA256', placement: 'body', securityToken: 'sts' },
    { algorithm: 'ACS3-HMAC-SHA256', method: 'GET', format: null, host: 'ecs.cn-shanghai.aliyuncs.com' },
  ];
  for (const shape of shapes) {
    const signed = ecs.signRequest('AttachInstanceRamRole', params, { ...base, ...shape });
    const host = shape.host || ecs.DEFAULT_HOST;
    const headers = signed.headers.length ? signed.headers : [['host', host]];
    const verified = ecs.verifyRequest(signed.method, '/', signed.query, headers, signed.body, { testid: 'testsecret' });
    assert.deepEqual(verified, {
      operation: 'AttachInstanceRamRole',
      signatureVersion: shape.algorithm ? 'ACS3-HMAC-SHA256' : '1.0',
      format: shape.format === undefined ? 'JSON' : shape.format,
      accessKeyId: 'testid',
      params,
    }, JSON.stringify(shape));
  }
});

test('decodeResponse builds the value the library\'s own Response::to_json writes, on every corpus body', () => {
  const { corpusIndex } = require('./helpers');
  let compared = 0;
  for (const entry of corpusIndex()) {
    if (entry.kind !== 'response') continue;
    const c = corpusCase(entry.id);
    let value;
    try {
      value = ecs.decodeResponse(c.operation, c.http.status, c.http.headers, c.body, c.format);
    } catch (e) {
      assert.ok(e instanceof ecs.ServiceError || e instanceof ecs.DecodeError, `${c.id}: ${e}`);
      continue;
    }
    const oracle = ecs._decodeResponseJson(c.operation, c.http.status, c.http.headers, c.body, c.format);
    assert.deepEqual(value, oracle, c.id);
    // Key order too: the documented order, as to_json writes it.
    assert.equal(JSON.stringify(value), JSON.stringify(oracle), c.id);
    compared++;
  }
  assert.ok(compared >= 80, `compared ${compared} values`);
});

test('non-ASCII text crosses both ways intact (parameters, an STS token in V3 headers)', () => {
  const params = {
    RegionId: 'cn-hangzhou',
    RamRoleName: '角色-🙂',
    InstanceIds: ['i-ü', 'i-2'],
    ResourceOwnerAccount: 'ä\u0000\u2028',
  };
  const keys = { accessKeyId: 'testid', accessKeySecret: 'testsecret', timestamp: '2016-02-23T12:46:24Z', nonce: 'n' };
  const token = 'tök€n-🙂';
  for (const shape of [{}, { algorithm: 'ACS3-HMAC-SHA256', securityToken: token }, { algorithm: 'ACS3-HMAC-SHA256', placement: 'body' }]) {
    const signed = ecs.signRequest('AttachInstanceRamRole', params, { ...keys, ...shape });
    if (shape.securityToken) {
      assert.deepEqual(signed.headers.find(([n]) => n === 'x-acs-security-token'), ['x-acs-security-token', token]);
      assert.ok(signed.stages.canonicalRequest.includes(`x-acs-security-token:${token}\n`));
    }
    const verified = ecs.verifyRequest(signed.method, '/', signed.query, signed.headers.length ? signed.headers : [['host', 'h']], signed.body, { testid: 'testsecret' });
    assert.deepEqual(verified.params, params, JSON.stringify(shape));
  }
  // A lone surrogate cannot be UTF-8: it crosses as U+FFFD, as any string into Rust does.
  const lone = ecs.encodeRequest('DetachInstanceRamRole', { RegionId: 'r\ud800', InstanceIds: ['i-\udc00'] });
  assert.ok(lone.query.includes('RegionId=r%EF%BF%BD'));
  assert.ok(lone.query.includes(encodeURIComponent(JSON.stringify(['i-\ufffd']))));
});
