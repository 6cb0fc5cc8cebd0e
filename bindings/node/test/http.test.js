'use strict';
// The README's two halves over a real socket (loopback only): a client that signs with
// signRequest and sends with fetch, a server that answers with verifyRequest, and the
// answer read back with decodeResponse.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const ecs = require('..');

function mockServer() {
  return http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const [path, query = ''] = req.url.split('?', 2);
    try {
      const { operation, params } = ecs.verifyRequest(req.method, path, query, req.headers, Buffer.concat(chunks), {
        testid: 'testsecret',
      });
      const ids = params.InstanceIds;
      const resultKey = `${operation}Result`;
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(
        JSON.stringify({
          RequestId: 'E6352369-5C2B-41CD-AB50-471550C8F674',
          [`${operation}Results`]: { [resultKey]: ids.map((id) => ({ InstanceId: id, Code: '200', Message: 'success', Success: true })) },
          TotalCount: ids.length,
          FailCount: 0,
          RamRoleName: params.RamRoleName,
        }),
      );
    } catch (e) {
      if (!(e instanceof ecs.ServiceError)) throw e;
      res.writeHead(e.httpStatus, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify({ RequestId: 'R', Code: e.code, Message: e.serviceMessage }));
    }
  });
}

test('sign, send over HTTP, verify, answer, decode', async () => {
  const server = mockServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  try {
    const params = { RegionId: 'cn-hangzhou', RamRoleName: 'EcsRole', InstanceIds: ['i-1', 'i-2'] };
    for (const shape of [{}, { method: 'GET' }, { algorithm: 'ACS3-HMAC-SHA256' }, { algorithm: 'ACS3-HMAC-SHA256', placement: 'body' }]) {
      const signed = ecs.signRequest('AttachInstanceRamRole', params, {
        accessKeyId: 'testid',
        accessKeySecret: 'testsecret',
        timestamp: new Date(),
        nonce: `n-${Math.random()}`,
        ...shape,
      });
      const res = await fetch(signed.url(endpoint), {
        method: signed.method,
        headers: signed.headers.filter(([n]) => n !== 'host'), // fetch sets host itself
        // An empty string would make fetch send `content-type: text/plain`, which V3
        // did not sign (the service answers IncompleteSignature): no body at all.
        body: signed.body || undefined,
      });
      const body = Buffer.from(await res.arrayBuffer());
      // The client signed host ecs.aliyuncs.com and fetch sent 127.0.0.1: V3 must refuse.
      if (shape.algorithm) {
        assert.throws(
          () => ecs.decodeResponse('AttachInstanceRamRole', res.status, res.headers, body),
          (e) => e instanceof ecs.ServiceError && e.code === 'SignatureDoesNotMatch' && e.httpStatus === 400,
          JSON.stringify(shape),
        );
        continue;
      }
      const value = ecs.decodeResponse('AttachInstanceRamRole', res.status, res.headers, body);
      assert.deepEqual(
        value.AttachInstanceRamRoleResults.AttachInstanceRamRoleResult.map((r) => r.InstanceId),
        ['i-1', 'i-2'],
      );
      assert.equal(value.TotalCount, 2);
    }
    // V3 signed for the host it is sent to.
    const host = `127.0.0.1:${server.address().port}`;
    const signed = ecs.signRequest('AttachInstanceRamRole', params, {
      accessKeyId: 'testid',
      accessKeySecret: 'testsecret',
      timestamp: new Date(),
      nonce: 'n-v3',
      algorithm: 'ACS3-HMAC-SHA256',
      placement: 'body',
      host,
    });
    const res = await fetch(signed.url(endpoint), {
      method: 'POST',
      headers: signed.headers.filter(([n]) => n !== 'host'),
      body: signed.body,
    });
    const value = ecs.decodeResponse('AttachInstanceRamRole', res.status, res.headers, Buffer.from(await res.arrayBuffer()));
    assert.equal(value.RamRoleName, 'EcsRole');
    // A wrong secret: the service's refusal, decoded as a ServiceError.
    const wrong = ecs.signRequest('AttachInstanceRamRole', params, {
      accessKeyId: 'testid',
      accessKeySecret: 'not-the-secret',
      timestamp: new Date(),
      nonce: 'n-wrong',
    });
    const refused = await fetch(wrong.url(endpoint), { method: 'POST' });
    assert.throws(
      () => ecs.decodeResponse('AttachInstanceRamRole', refused.status, refused.headers, ''),
      (e) => e instanceof ecs.ServiceError && e.httpStatus === 400,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
