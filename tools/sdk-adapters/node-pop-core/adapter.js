// Conformance adapter (protocol 1, persistent mode) around the official Alibaba Cloud
// Node.js POP core SDK, @alicloud/pop-core (RPCClient; signature V1, HMAC-SHA1 only).
//
//   node adapter.js
//
// One envelope per line on stdin, one verdict per line on stdout. Every verdict is what the
// SDK itself computed; this file only translates the envelope into an RPCClient call and
// the SDK's result (or exception) into the verdict shape. Hooks, installed once at start-up:
//
// * time: lib/rpc.js stamps Timestamp with its module-private `timestamp()`. The module is
//   loaded once, before anything else requires it, from its own source with one line
//   appended that lets this adapter rebind that function (the same technique
//   benches/peers/peers.js uses to reach the module's private helpers); the SDK's code is
//   otherwise untouched, and `require('@alicloud/pop-core')` returns that instance;
// * nonce: kitx.makeNonce (rpc.js calls it through the kitx module object);
// * stages: kitx.sha1 is wrapped to watch the string rpc.js HMACs and the signature it gets
//   back. The canonical query is the third part of that string to sign, percent-decoded
//   (rpc.js built it as encode(canonicalized), so decoding gives back exactly the string it
//   canonicalized);
// * transport: `request` and `read` of the httpx module rpc.js requires. The stub records
//   the URL, method, headers and form body rpc.js hands to httpx.request and answers with
//   the envelope's status, headers and body (or a bare 200 `{}` for request envelopes).
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');
const { serve, unsupported, errorText, isObject, nodeHeaders, v1Stages } = require('../protocol1');
const { AsyncLocalStorage } = require('async_hooks');

const rpcFile = require.resolve('@alicloud/pop-core/lib/rpc.js');
const popDir = path.dirname(rpcFile);
const HOOK = '__ecsRamroleAdapterHooks';
{
  const source = fs.readFileSync(rpcFile, 'utf8') +
    `\n;Object.defineProperty(module.exports, ${JSON.stringify(HOOK)}, { value: {` +
    ' setTimestamp(fn) { const own = timestamp; timestamp = fn; return own; } } });\n';
  const m = new Module(rpcFile, module);
  m.filename = rpcFile;
  m.paths = Module._nodeModulePaths(popDir);
  m._compile(source, rpcFile);
  m.loaded = true;
  require.cache[rpcFile] = m;
}
const RPCClient = require('@alicloud/pop-core');
if (!RPCClient[HOOK]) throw new Error('pop-core: lib/rpc.js hook not installed');
// The module instances lib/rpc.js itself uses.
const kitx = require(require.resolve('kitx', { paths: [popDir] }));
const httpx = require(require.resolve('httpx', { paths: [popDir] }));
const JSONbig = require(require.resolve('json-bigint', { paths: [popDir] }));

const VERSIONS = { '@alicloud/pop-core': require('@alicloud/pop-core/package.json').version };
const API_VERSION = '2014-05-26';
const OPERATIONS = new Set(['AttachInstanceRamRole', 'DetachInstanceRamRole', 'DescribeInstanceRamRole']);

const store = new AsyncLocalStorage();
const ctx = () => store.getStore() || {};

// ---- hooks ---------------------------------------------------------------------------

// The SDK's own clock stays in use for envelopes without a timestamp.
const sdkTimestamp = RPCClient[HOOK].setTimestamp(function () {
  const c = ctx();
  return c.timestamp !== undefined ? c.timestamp : sdkTimestamp();
});

const origMakeNonce = kitx.makeNonce;
kitx.makeNonce = function () {
  const c = ctx();
  return c.nonce !== undefined ? c.nonce : origMakeNonce.apply(this, arguments);
};

const origSha1 = kitx.sha1;
kitx.sha1 = function (data) {
  const out = origSha1.apply(this, arguments);
  ctx().v1 = {
    string_to_sign: Buffer.isBuffer(data) ? data.toString('utf8') : String(data),
    signature: Buffer.isBuffer(out) ? out.toString('base64') : out,
  };
  return out;
};

httpx.request = async function (url, opts) {
  const c = ctx();
  c.sent = {
    url: String(url),
    method: opts.method,
    headers: { ...(opts.headers || {}) },
    data: opts.data,
  };
  const reply = c.reply || { status: 200, headers: [['Content-Type', 'application/json;charset=utf-8']], body: Buffer.from('{}') };
  return {
    statusCode: reply.status,
    statusMessage: '',
    headers: nodeHeaders(reply.headers || []),
    body: reply.body,
    req: { getHeaders: () => ({ ...(opts.headers || {}) }), method: opts.method, path: '/' },
  };
};
httpx.read = async function (response, encoding) {
  return encoding ? response.body.toString(encoding) : response.body;
};

// ---- envelope kinds ------------------------------------------------------------------

// An exception the SDK raised before anything was sent -> the closest reject kind.
function rejectFrom(err) {
  let kind = 'constraint_violation';
  if (err && err.code === 'ERR_ASSERTION' && /must pass/.test(err.message || '')) kind = 'missing_required';
  else if (err instanceof TypeError) kind = 'type_mismatch';
  return { outcome: 'reject', reject_kind: kind, message: errorText(err) };
}

function newClient(signing, host) {
  const config = { endpoint: `https://${host}`, apiVersion: API_VERSION };
  if (signing) {
    config.accessKeyId = signing.access_key_id;
    config.accessKeySecret = signing.access_key_secret;
    if (signing.security_token !== undefined) config.securityToken = signing.security_token;
  }
  return new RPCClient(config);
}

async function handleRequest(env) {
  if (!OPERATIONS.has(env.operation)) return unsupported(`unknown operation ${JSON.stringify(env.operation)}`);
  const input = isObject(env.input) ? env.input : {};
  const params = isObject(input.params) ? input.params : {};
  const context = isObject(input.context) ? input.context : {};
  const signing = isObject(context.signing) ? context.signing : null;
  if (signing) {
    const algorithm = signing.algorithm === undefined ? 'HMAC-SHA1' : signing.algorithm;
    if (algorithm === 'ACS3-HMAC-SHA256') {
      return unsupported('pop-core signs with HMAC-SHA1 (signature V1) only; it has no ACS3-HMAC-SHA256 signer');
    }
    if (algorithm !== 'HMAC-SHA1') {
      return unsupported(`signing algorithm ${JSON.stringify(algorithm)} is not one of pop-core's signers`);
    }
  }
  const c = ctx();
  if (signing && signing.timestamp !== undefined) c.timestamp = signing.timestamp;
  if (signing && signing.nonce !== undefined) c.nonce = signing.nonce;

  // The caller's parameters, by the API's names. pop-core has no types: InstanceIds is the
  // JSON text the API takes (a caller with a list writes it with JSON.stringify; a list
  // handed to pop-core would be flattened to InstanceIds.1, InstanceIds.2, ...). Format is
  // one more parameter to pop-core (its default is JSON): the caller passes the one asked for.
  const callParams = {};
  for (const [name, value] of Object.entries(params)) {
    callParams[name] = name === 'InstanceIds' && Array.isArray(value) ? JSON.stringify(value) : value;
  }
  if (context.format !== undefined) callParams.Format = context.format;
  const method = context.method === undefined ? 'POST' : context.method;

  try {
    const client = newClient(signing, context.host === undefined ? 'ecs.aliyuncs.com' : context.host);
    await client.request(env.operation, callParams, { method });
  } catch (err) {
    if (!c.sent) return rejectFrom(err);
    process.stderr.write(`after sending: ${errorText(err)}\n`);
  }
  if (!c.sent) return unsupported('the SDK returned without calling its transport');

  const sent = c.sent;
  const q = sent.url.indexOf('?');
  const verdict = {
    outcome: 'request',
    method: sent.method || 'GET', // httpx's default, as rpc.js passes opts.method through
    query: q < 0 ? '' : sent.url.slice(q + 1),
  };
  // POST: rpc.js sends every parameter, Signature included, as a form body and no query.
  if (sent.data !== undefined) verdict.body = Buffer.isBuffer(sent.data) ? sent.data.toString('utf8') : String(sent.data);
  if (c.v1) verdict.stages = v1Stages(c.v1);
  return verdict;
}

async function handleResponse(env) {
  if (!OPERATIONS.has(env.operation)) return unsupported(`unknown operation ${JSON.stringify(env.operation)}`);
  const http = isObject(env.http) ? env.http : {};
  const c = ctx();
  c.reply = {
    status: http.status,
    headers: Array.isArray(http.headers) ? http.headers : [],
    body: Buffer.from(env.body_base64 || '', 'base64'),
  };
  let result;
  try {
    const client = newClient({ access_key_id: 'testid', access_key_secret: 'testsecret' }, 'ecs.aliyuncs.com');
    const params = {};
    // The Format the client asked for is one more parameter to pop-core.
    if (typeof env.format === 'string') params.Format = env.format.toUpperCase();
    result = await client.request(env.operation, params, { method: 'POST' });
  } catch (err) {
    if (!c.sent) return { ...rejectFrom(err), message: `before sending: ${errorText(err)}` };
    return fromException(err);
  }
  // RPCClient.request hands the caller the parsed body itself (json-bigint), whatever the
  // HTTP status.
  return { outcome: 'output', value: result };
}

function fromException(err) {
  if (err instanceof Error && err.entry && err.entry.response && 'code' in err) {
    // rpc.js: a body whose Code is not one of its success codes. The exception carries the
    // parsed body as `data` and the HTTP exchange as `entry`.
    const data = isObject(err.data) ? err.data : {};
    const error = { http_status: err.entry.response.statusCode };
    if (err.code !== undefined) error.code = err.code;
    if (err.message !== undefined) error.message = err.message;
    if (data.RequestId !== undefined && data.RequestId !== null) error.request_id = data.RequestId;
    if (data.HostId !== undefined && data.HostId !== null) error.host_id = data.HostId;
    if (data.Recommend !== undefined && data.Recommend !== null) error.recommend = data.Recommend;
    if (data.AccessDeniedDetail !== undefined && data.AccessDeniedDetail !== null) {
      error.access_denied_detail = data.AccessDeniedDetail;
    }
    return { outcome: 'service_error', error };
  }
  // json-bigint throws plain objects {name: 'SyntaxError', message, at, text}.
  const kind = err && err.name === 'SyntaxError' ? 'malformed_body' : 'unexpected_shape';
  return { outcome: 'reject', reject_kind: kind, message: errorText(err) };
}

if (process.env.ECS_RAMROLE_ADAPTER_VERSIONS) {
  process.stderr.write(`node-pop-core ${JSON.stringify(VERSIONS)} node ${process.version}\n`);
}
serve({
  handlers: { request: handleRequest, response: handleResponse },
  reasons: {
    sign: 'pop-core exports no signer: normalize, canonicalize and encode are private to lib/rpc.js, and RPCClient.request always adds its own common parameters to what it signs',
  },
  store,
  // json-bigint's stringify writes the BigNumbers its parse produced as JSON numbers.
  stringify: (verdict) => JSONbig.stringify(verdict),
  client: 'pop-core',
});
