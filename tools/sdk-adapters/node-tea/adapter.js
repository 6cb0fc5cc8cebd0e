// Conformance adapter (protocol 1, persistent mode) around the official Alibaba Cloud ECS
// Node.js SDK: @alicloud/ecs20140526 on @alicloud/openapi-core and @darabonba/typescript
// (the "Tea" / Darabonba client).
//
//   node adapter.js v3   the SDK's default signer, ACS3-HMAC-SHA256 (Client.doRequest)
//   node adapter.js v2   Config.signatureAlgorithm = 'v2': HMAC-SHA1 (Client.doRPCRequest)
//
// One envelope per line on stdin, one verdict per line on stdout. Every verdict is what the
// SDK itself computed; this file only translates the envelope into SDK calls and the SDK's
// result (or exception) into the verdict shape. Hooks, all installed once at start-up:
//
// * time and nonce: OpenApiUtil.getTimestamp / getNonce (the static helpers the client calls
//   through `utils_1.default`) return the envelope's timestamp / nonce when it gives one;
// * transport: `request` of the httpx module that @darabonba/typescript's doAction calls.
//   doAction itself still runs, so the URL (and with it the wire query, as Node's
//   querystring.stringify renders request.query), the method, the headers and the body are
//   exactly what would go on the wire. The stub records them and answers with the envelope's
//   status, headers and body (or a bare 200 `{}` for request envelopes);
// * stages: OpenApiUtil.getRPCSignature (V1) and getAuthorization (V3) are wrapped to watch
//   the values they compute: the string HMAC'd under V1 (crypto.createHmac's input), and the
//   canonical request, its hash, the string to sign and the signature under V3
//   (OpenApiUtil.hash / signatureMethod, which getAuthorization calls). Nothing is
//   recomputed: V1's canonical query is the third part of the SDK's own string to sign,
//   percent-decoded (the SDK built that part as encode(canonical query), so decoding it
//   gives back exactly the string it canonicalized).
'use strict';

const crypto = require('crypto');
const path = require('path');
const { serve, unsupported, errorText, isObject, nodeHeaders, v1Stages } = require('../protocol1');
const { AsyncLocalStorage } = require('async_hooks');
const { Readable } = require('stream');

const MODE = process.argv[2] || 'v3';
if (MODE !== 'v3' && MODE !== 'v2') {
  process.stderr.write(`usage: node adapter.js [v3|v2] (got ${JSON.stringify(MODE)})\n`);
  process.exit(2);
}

const $dara = require('@darabonba/typescript');
const openapi = require('@alicloud/openapi-core');
const OpenApiUtil = require('@alicloud/openapi-core/dist/utils').default;
const Ecs = require('@alicloud/ecs20140526');
const EcsClient = Ecs.default;
// The very httpx instance @darabonba/typescript's doAction calls.
const httpx = require(require.resolve('httpx', {
  paths: [path.dirname(require.resolve('@darabonba/typescript/package.json'))],
}));

const VERSIONS = {
  '@alicloud/ecs20140526': require('@alicloud/ecs20140526/package.json').version,
  '@alicloud/openapi-core': require('@alicloud/openapi-core/package.json').version,
  '@darabonba/typescript': require('@darabonba/typescript/package.json').version,
};

const OPERATIONS = {
  AttachInstanceRamRole: {
    Request: Ecs.AttachInstanceRamRoleRequest,
    call: (client, req, runtime) => client.attachInstanceRamRoleWithOptions(req, runtime),
  },
  DetachInstanceRamRole: {
    Request: Ecs.DetachInstanceRamRoleRequest,
    call: (client, req, runtime) => client.detachInstanceRamRoleWithOptions(req, runtime),
  },
  DescribeInstanceRamRole: {
    Request: Ecs.DescribeInstanceRamRoleRequest,
    call: (client, req, runtime) => client.describeInstanceRamRoleWithOptions(req, runtime),
  },
};

// Per-envelope state, carried through the SDK's promise chains.
const store = new AsyncLocalStorage();
const ctx = () => store.getStore() || {};

// ---- hooks ---------------------------------------------------------------------------

const origGetTimestamp = OpenApiUtil.getTimestamp;
OpenApiUtil.getTimestamp = function () {
  const c = ctx();
  return c.timestamp !== undefined ? c.timestamp : origGetTimestamp.apply(this, arguments);
};
const origGetNonce = OpenApiUtil.getNonce;
OpenApiUtil.getNonce = function () {
  const c = ctx();
  return c.nonce !== undefined ? c.nonce : origGetNonce.apply(this, arguments);
};

// V1: watch what getRPCSignature HMACs.
const origGetRPCSignature = OpenApiUtil.getRPCSignature;
OpenApiUtil.getRPCSignature = function (signedParams, method, secret) {
  const seen = {};
  const origCreateHmac = crypto.createHmac;
  crypto.createHmac = function () {
    const hmac = origCreateHmac.apply(this, arguments);
    const update = hmac.update;
    hmac.update = function (data) {
      seen.string_to_sign = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      return update.apply(this, arguments);
    };
    return hmac;
  };
  let signature;
  try {
    signature = origGetRPCSignature.apply(this, arguments);
  } finally {
    crypto.createHmac = origCreateHmac;
  }
  const c = ctx();
  c.v1 = { string_to_sign: seen.string_to_sign, signature };
  return signature;
};

// V3: watch the canonical request (the buffer getAuthorization hashes), the string to sign
// and the signature (signatureMethod's input and output).
let inAuthorization = null;
const origHash = OpenApiUtil.hash;
OpenApiUtil.hash = function (raw, algorithm) {
  const digest = origHash.apply(this, arguments);
  if (inAuthorization && !inAuthorization.canonical_request) {
    inAuthorization.canonical_request = Buffer.from(raw).toString('utf8');
    inAuthorization.hashed_canonical_request = digest ? digest.toString('hex') : undefined;
  }
  return digest;
};
const origSignatureMethod = OpenApiUtil.signatureMethod;
OpenApiUtil.signatureMethod = function (secret, source) {
  const out = origSignatureMethod.apply(this, arguments);
  if (inAuthorization && inAuthorization.string_to_sign === undefined) {
    inAuthorization.string_to_sign = String(source);
    inAuthorization.signature = out ? out.toString('hex') : undefined;
  }
  return out;
};
const origGetAuthorization = OpenApiUtil.getAuthorization;
OpenApiUtil.getAuthorization = function () {
  const seen = {};
  const outer = inAuthorization;
  inAuthorization = seen;
  try {
    seen.authorization = origGetAuthorization.apply(this, arguments);
  } finally {
    inAuthorization = outer;
  }
  ctx().v3 = seen;
  return seen.authorization;
};

// Transport: record what doAction would send; answer from the envelope.
httpx.request = async function (url, opts) {
  const c = ctx();
  const sent = { url: String(url), method: opts.method, headers: { ...(opts.headers || {}) } };
  sent.body = opts.data ? await readAll(opts.data) : null;
  c.sent = sent;
  const reply = c.reply || { status: 200, headers: [['Content-Type', 'application/json;charset=utf-8']], body: Buffer.from('{}') };
  return fakeIncomingMessage(reply);
};

function readAll(data) {
  if (Buffer.isBuffer(data)) return Promise.resolve(data);
  if (typeof data === 'string') return Promise.resolve(Buffer.from(data, 'utf8'));
  return new Promise((resolve, reject) => {
    const chunks = [];
    data.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
    data.on('end', () => resolve(Buffer.concat(chunks)));
    data.on('error', reject);
  });
}

function fakeIncomingMessage(reply) {
  const body = reply.body;
  const res = new Readable({
    read() {
      if (body.length) this.push(body);
      this.push(null);
    },
  });
  res.statusCode = reply.status;
  res.statusMessage = '';
  res.headers = nodeHeaders(reply.headers || []);
  return res;
}

// ---- envelope kinds ------------------------------------------------------------------

// The API's parameter names -> the request model's field names (the model's own table).
function toModelMap(Request, params) {
  const names = Request.names();
  const byApiName = {};
  for (const [field, apiName] of Object.entries(names)) byApiName[apiName] = field;
  const map = {};
  for (const [apiName, value] of Object.entries(params)) {
    let v = value;
    // The SDK types InstanceIds as a string holding JSON text: a caller with a list writes
    // it with JSON.stringify, as every Node caller would. Raw text is passed through.
    if (apiName === 'InstanceIds' && Array.isArray(v)) v = JSON.stringify(v);
    // A name the model does not have is passed under its own name: the model ignores it,
    // as it does in plain JavaScript.
    map[byApiName[apiName] || apiName] = v;
  }
  return map;
}

function clientConfig({ signing, host, method }) {
  const config = new openapi.$OpenApiUtil.Config({
    endpoint: host,
    // Config.method is the only method knob the SDK has; the ECS client hard-codes POST in
    // its Params, so this is passed to show that it is ignored.
    method,
  });
  if (signing) {
    config.accessKeyId = signing.access_key_id;
    config.accessKeySecret = signing.access_key_secret;
    if (signing.security_token !== undefined) config.securityToken = signing.security_token;
  }
  if (MODE === 'v2') config.signatureAlgorithm = 'v2';
  return config;
}

// An exception the SDK raised before anything was sent -> the closest reject kind.
function rejectFrom(err) {
  const message = errorText(err);
  let kind = 'constraint_violation';
  if (err && err.code === 'InvalidCredentials') kind = 'missing_required';
  else if (err && err.code === 'SDK.ValidateError' && /is required/.test(message)) kind = 'missing_required';
  else if (err instanceof TypeError) kind = 'type_mismatch';
  return { outcome: 'reject', reject_kind: kind, message };
}

async function handleRequest(env) {
  const op = OPERATIONS[env.operation];
  if (!op) return unsupported(`unknown operation ${JSON.stringify(env.operation)}`);
  const input = isObject(env.input) ? env.input : {};
  const params = isObject(input.params) ? input.params : {};
  const context = isObject(input.context) ? input.context : {};
  const signing = isObject(context.signing) ? context.signing : null;
  if (signing) {
    const algorithm = signing.algorithm === undefined ? 'HMAC-SHA1' : signing.algorithm;
    if (algorithm !== 'HMAC-SHA1' && algorithm !== 'ACS3-HMAC-SHA256') {
      return unsupported(`signing algorithm ${JSON.stringify(algorithm)} is not one of the SDK's RPC signers`);
    }
    if (MODE === 'v3' && algorithm !== 'ACS3-HMAC-SHA256') {
      return unsupported('mode v3 drives the SDK\'s default ACS3-HMAC-SHA256 signer; HMAC-SHA1 requests run under mode v2');
    }
    if (MODE === 'v2' && algorithm !== 'HMAC-SHA1') {
      return unsupported('mode v2 drives signatureAlgorithm = \'v2\' (HMAC-SHA1); ACS3-HMAC-SHA256 requests run under mode v3');
    }
  }
  const c = ctx();
  if (signing && signing.timestamp !== undefined) c.timestamp = signing.timestamp;
  if (signing && signing.nonce !== undefined) c.nonce = signing.nonce;

  let client;
  let request;
  try {
    client = new EcsClient(clientConfig({
      signing,
      host: context.host === undefined ? 'ecs.aliyuncs.com' : context.host,
      method: context.method,
    }));
    request = new op.Request(toModelMap(op.Request, params));
    await op.call(client, request, new $dara.RuntimeOptions({}));
  } catch (err) {
    if (!c.sent) return rejectFrom(err);
    process.stderr.write(`after sending: ${errorText(err)}\n`);
  }
  if (!c.sent) return unsupported('the SDK returned without calling its transport');

  const sent = c.sent;
  const q = sent.url.indexOf('?');
  const verdict = {
    outcome: 'request',
    method: sent.method,
    query: q < 0 ? '' : sent.url.slice(q + 1),
  };
  if (MODE === 'v3') {
    verdict.headers = Object.entries(sent.headers)
      .map(([name, value]) => [name.toLowerCase(), String(value)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    verdict.body = sent.body ? sent.body.toString('utf8') : '';
    if (c.v3) {
      verdict.stages = {};
      for (const k of ['canonical_request', 'hashed_canonical_request', 'string_to_sign', 'signature', 'authorization']) {
        if (c.v3[k] !== undefined) verdict.stages[k] = c.v3[k];
      }
    }
  } else if (c.v1) {
    verdict.stages = v1Stages(c.v1);
  }
  return verdict;
}

async function handleSign(env) {
  const input = isObject(env.input) ? env.input : {};
  const algorithm = input.algorithm === undefined ? 'HMAC-SHA1' : input.algorithm;
  if (algorithm === 'HMAC-SHA1') {
    const c = ctx();
    try {
      OpenApiUtil.getRPCSignature(input.params, input.method, input.access_key_secret);
    } catch (err) {
      return rejectFrom(err);
    }
    return { outcome: 'signature', ...v1Stages(c.v1) };
  }
  if (algorithm === 'ACS3-HMAC-SHA256') {
    if (input.payload_sha256 !== undefined && input.body_base64 !== undefined) {
      return unsupported('OpenApiUtil.getAuthorization takes one payload hash; the envelope gives both payload_sha256 and body_base64');
    }
    const headers = {};
    if (Array.isArray(input.headers)) {
      for (const pair of input.headers) {
        const name = Array.isArray(pair) ? pair[0] : undefined;
        if (Object.prototype.hasOwnProperty.call(headers, name)) {
          return unsupported(`OpenApiUtil.getAuthorization takes headers as a map; ${JSON.stringify(name)} is given twice with the same spelling`);
        }
        headers[name] = Array.isArray(pair) ? pair[1] : undefined;
      }
    }
    const c = ctx();
    try {
      let payload = input.payload_sha256;
      if (payload === undefined) {
        const body = input.body_base64 === undefined ? Buffer.alloc(0) : Buffer.from(String(input.body_base64), 'base64');
        payload = OpenApiUtil.hash(body, 'ACS3-HMAC-SHA256').toString('hex');
      }
      const request = {
        pathname: input.path === undefined ? '/' : input.path,
        method: input.method === undefined ? 'POST' : input.method,
        query: input.query,
        headers,
      };
      OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', payload, input.access_key_id, input.access_key_secret);
    } catch (err) {
      return rejectFrom(err);
    }
    return { outcome: 'signature', ...c.v3 };
  }
  return unsupported(`signing algorithm ${JSON.stringify(algorithm)} is not one of the SDK's RPC signers`);
}

async function handleResponse(env) {
  const op = OPERATIONS[env.operation];
  if (!op) return unsupported(`unknown operation ${JSON.stringify(env.operation)}`);
  const http = isObject(env.http) ? env.http : {};
  const c = ctx();
  c.reply = {
    status: http.status,
    headers: Array.isArray(http.headers) ? http.headers : [],
    body: Buffer.from(env.body_base64 || '', 'base64'),
  };
  let response;
  try {
    const client = new EcsClient(clientConfig({
      signing: { access_key_id: 'testid', access_key_secret: 'testsecret' },
      host: 'ecs.aliyuncs.com',
    }));
    response = await op.call(client, new op.Request({}), new $dara.RuntimeOptions({}));
  } catch (err) {
    if (!c.sent) return { ...rejectFrom(err), message: `before sending: ${errorText(err)}` };
    return fromException(err);
  }
  // The operation's typed response; its body model serializes back to the API's names.
  const body = response && response.body;
  const value = body && typeof body.toMap === 'function' ? body.toMap() : body;
  return { outcome: 'output', value: value === undefined ? null : value };
}

const { ClientError, ServerError, ThrottlingError } = openapi;

function fromException(err) {
  if (err instanceof ClientError || err instanceof ServerError || err instanceof ThrottlingError) {
    // The exception's own fields; HostId and Recommend exist only in its `data` (the parsed
    // error body it carries).
    const error = { http_status: err.statusCode };
    if (err.code !== undefined) error.code = err.code;
    if (err.message !== undefined) error.message = err.message;
    if (err.requestId !== undefined) error.request_id = err.requestId;
    const data = isObject(err.data) ? err.data : {};
    if (data.HostId !== undefined && data.HostId !== null) error.host_id = data.HostId;
    if (data.Recommend !== undefined && data.Recommend !== null) error.recommend = data.Recommend;
    if (err.accessDeniedDetail !== undefined && err.accessDeniedDetail !== null) {
      error.access_denied_detail = err.accessDeniedDetail;
    }
    // The SDK retries nothing by default (no RetryOptions); its one retry signal is the
    // ThrottlingError class with retryAfter parsed from x-acs-retry-after.
    const throttled = err instanceof ThrottlingError;
    return {
      outcome: 'service_error',
      error,
      retry: {
        retryable: throttled,
        after_ms: throttled && err.retryAfter !== undefined ? err.retryAfter : null,
      },
    };
  }
  // Anything else the SDK threw while reading the response.
  const message = errorText(err);
  let kind = 'unexpected_shape';
  if (err instanceof SyntaxError) kind = 'malformed_body'; // JSON.parse
  else if (err && /type of .* is mismatch|can not cast to Map/.test(err.message || '')) kind = 'type_mismatch'; // $dara.cast
  else if (err && /^(Unexpected|Unclosed|Unmatched|Invalid|Non-whitespace|Text data outside|Unencoded|Attribute without value|Forgot|Unquoted)/i.test(err.message || '')) {
    kind = 'malformed_body'; // sax, under xml2js
  }
  return { outcome: 'reject', reject_kind: kind, message };
}

if (process.env.ECS_RAMROLE_ADAPTER_VERSIONS) {
  process.stderr.write(`node-tea ${MODE} ${JSON.stringify(VERSIONS)} node ${process.version}\n`);
}
serve({
  handlers: { request: handleRequest, sign: handleSign, response: handleResponse },
  store,
  client: 'the SDK',
});
