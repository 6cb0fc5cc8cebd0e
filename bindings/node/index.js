'use strict';
// ecs-ramrole for Node: the Rust codec for the Alibaba Cloud ECS RPC operations
// AttachInstanceRamRole, DetachInstanceRamRole and DescribeInstanceRamRole (request
// encoding, signature V1 and V3, response decoding, server-side verification), through
// napi-rs.
//
// This file checks argument types (TypeError, RangeError), fills in defaults, and turns
// the native module's failures into this package's error classes. Every rule of the
// protocol is the Rust library's: nothing here decides what a valid request or body is.

const path = require('path');
const util = require('util');
const json = require('./lib/json');

const native = loadNative();

function loadNative() {
  const file = process.env.ECS_RAMROLE_NODE_NATIVE || path.join(__dirname, 'ecs-ramrole.node');
  try {
    return require(file);
  } catch (e) {
    const error = new Error(
      `ecs-ramrole: cannot load the native module ${file}: build it with \`npm install\` ` +
        `(or \`npm run build\`) in ${__dirname}, which needs the Rust toolchain`,
    );
    error.cause = e;
    throw error;
  }
}

/** The API version every operation belongs to, sent as `Version`. */
const API_VERSION = '2014-05-26';
/** The endpoint host the official SDKs call. */
const DEFAULT_HOST = 'ecs.aliyuncs.com';
/** The operations this package speaks. */
const OPERATIONS = Object.freeze([
  'AttachInstanceRamRole',
  'DetachInstanceRamRole',
  'DescribeInstanceRamRole',
]);

// ---------------------------------------------------------------------------------------
// Redaction: an STS token never reaches a message or an inspected value.

const REDACTED = '<redacted>';

/** A query or form body with the value of `SecurityToken` redacted. */
function redactQuery(text) {
  if (typeof text !== 'string' || !text.includes('=')) return text;
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // Not decodable: compared as written.
      }
      return name === 'SecurityToken' ? `SecurityToken=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * Signed text with every place an STS token can sit redacted: `SecurityToken=` in a
 * query, `SecurityToken%3D` in a V1 string-to-sign, `x-acs-security-token:` in a V3
 * canonical request.
 */
function redactSigned(text) {
  if (typeof text !== 'string') return text;
  let out = text;
  if (out.includes('SecurityToken%3D')) {
    // V1: pairs joined by `%26`, names and values by `%3D`; the value, encoded twice,
    // holds no `%26` of its own.
    out = out
      .split('%26')
      .map((piece) => piece.replace(/(^|&)SecurityToken%3D.*$/s, `$1SecurityToken%3D${REDACTED}`))
      .join('%26');
  }
  if (out.includes('x-acs-security-token:')) {
    out = out
      .split('\n')
      .map((line) =>
        line.startsWith('x-acs-security-token:') ? `x-acs-security-token:${REDACTED}` : line,
      )
      .join('\n');
  }
  if (out.includes('SecurityToken=')) out = redactQuery(out);
  return out;
}

// ---------------------------------------------------------------------------------------
// Errors

/** Every error this package raises on purpose derives from this class. */
class EcsRamRoleError extends Error {}
Object.defineProperty(EcsRamRoleError.prototype, 'name', {
  value: 'EcsRamRoleError',
  writable: true,
  configurable: true,
});

/**
 * A request parameter or signing input broke a rule. `kind` is the corpus's reject kind:
 * `missing_required`, `constraint_violation` or `type_mismatch`; `parameter` names it.
 */
class RequestError extends EcsRamRoleError {
  constructor(message, { kind, parameter }) {
    super(message);
    this.kind = kind;
    this.parameter = parameter;
  }
}
Object.defineProperty(RequestError.prototype, 'name', {
  value: 'RequestError',
  writable: true,
  configurable: true,
});

/**
 * The service said no: any non-2xx response (whatever its body held), or, from
 * `verifyRequest`, the service's own refusal of a request.
 */
class ServiceError extends EcsRamRoleError {
  constructor(fields) {
    super(serviceErrorMessage(fields));
    this.httpStatus = fields.httpStatus;
    this.code = fields.code ?? null;
    this.serviceMessage = fields.serviceMessage ?? null;
    this.requestId = fields.requestId ?? null;
    this.hostId = fields.hostId ?? null;
    this.recommend = fields.recommend ?? null;
    this.accessDeniedDetail = fields.accessDeniedDetail ?? null;
    this.retryable = Boolean(fields.retryable);
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.serverStringToSign = fields.serverStringToSign ?? null;
  }

  /** The fields, the STS token redacted where the service's text echoes it. */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      httpStatus: this.httpStatus,
      code: this.code,
      serviceMessage: redactSigned(this.serviceMessage),
      requestId: this.requestId,
      hostId: this.hostId,
      recommend: this.recommend,
      accessDeniedDetail: this.accessDeniedDetail,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      serverStringToSign: redactSigned(this.serverStringToSign),
    };
  }

  [util.inspect.custom](depth, options, inspect = util.inspect) {
    const { name, message, ...fields } = this.toJSON();
    const head = this.stack ? redactSigned(this.stack) : `${name}: ${message}`;
    return `${head} ${inspect(fields, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
  }
}
Object.defineProperty(ServiceError.prototype, 'name', {
  value: 'ServiceError',
  writable: true,
  configurable: true,
});

function serviceErrorMessage(f) {
  let text = `the service answered HTTP ${f.httpStatus}`;
  if (f.code != null) text += ` ${f.code}`;
  if (f.serviceMessage != null) text += `: ${redactSigned(f.serviceMessage)}`;
  if (f.requestId != null) text += ` (RequestId ${f.requestId})`;
  return text;
}

/**
 * A 2xx body that could not be read. `kind` is the corpus's reject kind
 * (`malformed_body`, `unexpected_shape`, `type_mismatch`, `forbidden_construct`,
 * `limit_exceeded`); `offset` is the byte offset in the body, `line` and `column` its
 * 1-based position (column in bytes), `field` the innermost field when there is one.
 */
class DecodeError extends EcsRamRoleError {
  constructor(message, { kind, offset, line, column, field }) {
    super(message);
    this.kind = kind;
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.field = field ?? null;
  }
}
Object.defineProperty(DecodeError.prototype, 'name', {
  value: 'DecodeError',
  writable: true,
  configurable: true,
});

const MARK = 'ecs-ramrole:';

/** A native failure as this package's error; anything else unchanged. */
function fromNative(e) {
  if (!(e instanceof Error) || typeof e.message !== 'string' || !e.message.startsWith(MARK)) {
    return e;
  }
  let failure;
  try {
    failure = JSON.parse(e.message.slice(MARK.length));
  } catch {
    return new EcsRamRoleError('ecs-ramrole: an unreadable failure from the native module');
  }
  switch (failure.type) {
    case 'request':
      return new RequestError(failure.message, failure);
    case 'decode':
      return new DecodeError(failure.error.message, failure.error);
    case 'service':
      return serviceError(failure.error);
    case 'type':
      return new TypeError(failure.message);
    case 'panic':
    default:
      return new EcsRamRoleError(
        'ecs-ramrole: internal error (a Rust panic, caught); please report it with the input',
      );
  }
}

function serviceError(native) {
  let detail = null;
  if (native.accessDeniedDetail) {
    detail = {};
    for (const [key, text] of native.accessDeniedDetail) {
      Object.defineProperty(detail, key, {
        value: json.parse(text),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return new ServiceError({ ...native, serviceMessage: native.message, accessDeniedDetail: detail });
}

function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    const error = fromNative(e);
    // The stack starts at the public function, not in this file's plumbing.
    if (error !== e && Error.captureStackTrace) Error.captureStackTrace(error, call);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Argument checks

function typeError(what, expected, value) {
  const error = new TypeError(`${what} must be ${expected}, found ${describe(value)}`);
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

/** A value's type for a message: never the value itself, which may be a secret. */
function describe(value) {
  if (value === null) return 'null';
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'object') {
    let name = '';
    try {
      const c = Object.getPrototypeOf(value)?.constructor;
      if (typeof c === 'function' && typeof c.name === 'string' && c.name) name = ` (${c.name})`;
    } catch {
      // A proxy that refuses: the bare type will do.
    }
    return `an object${name}`;
  }
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function requireString(value, what) {
  if (typeof value !== 'string') throw typeError(what, 'a string', value);
  return value;
}

/** `undefined` (absent) or a string. */
function optionalString(value, what, orNull = false) {
  if (value === undefined || (orNull && value === null)) return undefined;
  return requireString(value, what);
}

/** A required signing input: absent is a RequestError, another type a TypeError. */
function requiredInput(value, what, parameter) {
  if (value === undefined || value === null) {
    throw new RequestError(`${what} is required but missing`, {
      kind: 'missing_required',
      parameter,
    });
  }
  return requireString(value, what);
}

function requireObject(value, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(what, 'an object', value);
  }
  return value;
}

function options(value, what) {
  if (value === undefined || value === null) return {};
  return requireObject(value, what);
}

const wellFormed =
  typeof String.prototype.isWellFormed === 'function'
    ? (text) => text.isWellFormed()
    : (text) => !/[\ud800-\udfff]/.test(text);

/** Whether `value` is an array of well-formed strings, which crosses as one JSON text. */
function isStringList(value) {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item !== 'string' || !wellFormed(item)) return false;
  }
  return true;
}

/** Whether JSON carries `value` as it is (anything else crosses as a JavaScript value). */
function isPlain(value) {
  switch (typeof value) {
    case 'string':
      return wellFormed(value);
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    default:
      return isStringList(value);
  }
}

/**
 * `params` (a plain object or a Map) for the native module: `[plain, names, values]`,
 * `plain` the entries JSON carries as they are (strings, finite numbers, booleans, lists
 * of strings), sent inside the call's JSON text; `names` and `values` the others
 * (bigints, objects, and the like: `undefined` when there are none), sent as JavaScript
 * values. Absent entries (`null`, `undefined`) are left out.
 */
function paramEntries(params, what = 'params') {
  const plain = Object.create(null);
  let names;
  let values;
  const add = (name, value) => {
    if (value === undefined || value === null) return;
    if (isPlain(value)) {
      plain[name] = value;
    } else {
      (names ||= []).push(name);
      (values ||= []).push(value);
    }
  };
  if (params instanceof Map) {
    for (const [name, value] of params) add(requireString(name, `a name in ${what}`), value);
  } else {
    requireObject(params, what);
    for (const name of Object.keys(params)) add(name, params[name]);
  }
  return [plain, names, values];
}

/**
 * Strings the native module packed into one (src/lib.rs, `pack`): `count:length,...;`
 * in decimal, then the texts back to back.
 */
function unpack(packed) {
  let at = packed.indexOf(':');
  const count = Number(packed.slice(0, at));
  const end = packed.indexOf(';', at);
  const lengths = packed.slice(at + 1, end).split(',');
  const out = new Array(count);
  at = end + 1;
  for (let i = 0; i < count; i++) {
    const length = Number(lengths[i]);
    out[i] = packed.slice(at, at + length);
    at += length;
  }
  return out;
}

/**
 * String pairs, flattened `[name, value, name, value, ...]`: from a plain object, a Map,
 * or an iterable of `[name, value]` pairs. `lenient` (HTTP headers as Node holds them)
 * takes an array value as one pair per item and a number as its decimal text. A wrong
 * entry is reported through `wrong(where, value, isPair)`, which throws.
 */
function stringPairs(value, what, wrong, lenient = false) {
  const flat = [];
  const push = (name, v, where) => {
    if (typeof name !== 'string') wrong(where, name, true);
    if (lenient && Array.isArray(v)) {
      for (const item of v) push(name, item, where);
      return;
    }
    if (lenient && typeof v === 'number') v = String(v);
    if (typeof v !== 'string') wrong(name, v, false);
    flat.push(name, v);
  };
  if (value === undefined || value === null) return flat;
  if (typeof value !== 'object') {
    throw typeError(what, 'an object, a Map or an array of [name, value] pairs', value);
  }
  if (typeof value[Symbol.iterator] === 'function') {
    // A Map, an array of pairs, a fetch Headers: anything that yields [name, value].
    let index = 0;
    for (const pair of value) {
      const where = `${what}[${index}]`;
      if (!Array.isArray(pair) || pair.length !== 2) wrong(where, pair, true);
      push(pair[0], pair[1], where);
      index++;
    }
    return flat;
  }
  for (const name of Object.keys(value)) push(name, value[name], what);
  return flat;
}

/** A wrong query or header entry for the generic signers: a RequestError, as the
 * signers' inputs are parameters. */
function wrongSignerInput(noun) {
  return (where, value, isPair) => {
    throw new RequestError(
      isPair
        ? `${where} is not a [name, value] pair of strings (found ${describe(value)})`
        : `${noun} ${where} must be a string, found ${describe(value)}`,
      { kind: 'type_mismatch', parameter: where },
    );
  };
}

/** A wrong header for the decoders: a TypeError. */
function wrongHeader(where, value, isPair) {
  throw isPair
    ? typeError(where, 'a [name, value] pair of strings', value)
    : typeError(`header ${where}`, 'a string', value);
}

/** Bytes from a Buffer, any other Uint8Array, an ArrayBuffer or a string (as UTF-8). */
function bytes(value, what, optional = false) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (optional && (value === undefined || value === null)) return undefined;
  throw typeError(what, 'a Buffer, a Uint8Array or a string', value);
}

/** A timestamp: `YYYY-MM-DDThh:mm:ssZ` text, or a Date (whole seconds, UTC). */
function timestampText(value) {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new RequestError('timestamp is an invalid Date', {
        kind: 'constraint_violation',
        parameter: 'Timestamp',
      });
    }
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return requiredInput(value, 'options.timestamp', 'Timestamp');
}

// ---------------------------------------------------------------------------------------
// Requests

/** A request encoded without a signature. */
class EncodedRequest {
  constructor(method, query) {
    /** `GET` or `POST`. */
    this.method = method;
    /** The canonical query, without `?`. */
    this.query = query;
  }

  /** The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`). */
  url(endpoint) {
    return joinUrl(requireString(endpoint, 'endpoint'), this.query);
  }
}

/** A signed request: what goes on the wire, and every signing stage. */
class SignedRequest {
  constructor(method, query, headers, body, stages) {
    /** `GET` or `POST`. */
    this.method = method;
    /** The wire query, without `?` (V1: every parameter and `Signature`). */
    this.query = query;
    /** V3: `[name, value]` pairs, names lowercase, sorted; empty for V1. */
    this.headers = headers;
    /** V3 with `placement: 'body'`: the form body; else empty. */
    this.body = body;
    /** Every signing stage (V1: canonicalQuery, stringToSign, signature; V3 adds
     * canonicalRequest, hashedCanonicalRequest and authorization). */
    this.stages = stages;
  }

  /** The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`). */
  url(endpoint) {
    return joinUrl(requireString(endpoint, 'endpoint'), this.query);
  }

  [util.inspect.custom](depth, options, inspect = util.inspect) {
    const view = {
      method: this.method,
      query: redactQuery(this.query),
      headers: this.headers.map(([n, v]) => [n, n === 'x-acs-security-token' ? REDACTED : v]),
      body: redactQuery(this.body),
      stages: Object.fromEntries(Object.entries(this.stages).map(([k, v]) => [k, redactSigned(v)])),
    };
    return `SignedRequest ${inspect(view, { ...options, depth: options.depth == null ? null : options.depth - 1 })}`;
  }
}

function joinUrl(endpoint, query) {
  const base = endpoint.replace(/\/+$/, '');
  return query === '' ? `${base}/` : `${base}/?${query}`;
}

/**
 * Builds an AttachInstanceRamRole, DetachInstanceRamRole or DescribeInstanceRamRole
 * request and encodes it unsigned.
 *
 * @param {string} operation
 * @param {object|Map} params the API's own names: strings; `OwnerId` and
 *   `ResourceOwnerId` as non-negative integers (number or bigint); `InstanceIds` an
 *   array of strings or a string of raw JSON text. `null`/`undefined` is absent.
 * @param {{method?: 'GET'|'POST', format?: 'JSON'|'XML'|null}} [opts]
 */
function encodeRequest(operation, params, opts) {
  requireString(operation, 'operation');
  const [plain, names, values] = paramEntries(params);
  const o = options(opts, 'options');
  const method = optionalString(o.method, 'options.method');
  const format = o.format === undefined ? 'JSON' : optionalString(o.format, 'options.format', true);
  const request = JSON.stringify([operation, plain, method ?? null, format ?? null]);
  const [m, query] = unpack(call(native.encodeRequest, request, names, values));
  return new EncodedRequest(m, query);
}

/**
 * Builds, encodes and signs a request (V1 HMAC-SHA1 or V3 ACS3-HMAC-SHA256).
 *
 * @param {string} operation
 * @param {object|Map} params as for `encodeRequest`
 * @param {object} opts accessKeyId, accessKeySecret, timestamp (text or Date), nonce
 *   (required); algorithm ('HMAC-SHA1'), method ('POST'), format ('JSON'; null for
 *   none), securityToken, host ('ecs.aliyuncs.com'), placement ('query').
 * @returns {SignedRequest}
 */
function signRequest(operation, params, opts) {
  requireString(operation, 'operation');
  const [plain, names, values] = paramEntries(params);
  const o = requireObject(opts, 'options');
  // By position, as the native module takes them (src/lib.rs, O_*).
  const inputs = [
    optionalString(o.algorithm, 'options.algorithm') ?? null,
    optionalString(o.method, 'options.method') ?? null,
    o.format === undefined ? 'JSON' : optionalString(o.format, 'options.format', true) ?? null,
    requiredInput(o.accessKeyId, 'options.accessKeyId', 'AccessKeyId'),
    requiredInput(o.accessKeySecret, 'options.accessKeySecret', 'AccessKeySecret'),
    optionalString(o.securityToken, 'options.securityToken', true) ?? null,
    timestampText(o.timestamp),
    requiredInput(o.nonce, 'options.nonce', 'SignatureNonce'),
    optionalString(o.host, 'options.host') ?? null,
    optionalString(o.placement, 'options.placement') ?? null,
  ];
  const out = unpack(call(native.signRequest, JSON.stringify([operation, plain, inputs]), names, values));
  // [method, query, body, "1" | "3", stages..., header name, value, ...]
  let at;
  let stages;
  if (out[3] === '3') {
    stages = {
      canonicalQuery: out[4],
      canonicalRequest: out[5],
      hashedCanonicalRequest: out[6],
      stringToSign: out[7],
      signature: out[8],
      authorization: out[9],
    };
    at = 10;
  } else {
    stages = { canonicalQuery: out[4], stringToSign: out[5], signature: out[6] };
    at = 7;
  }
  const headers = [];
  for (; at < out.length; at += 2) headers.push([out[at], out[at + 1]]);
  return new SignedRequest(out[0], out[1], headers, out[2], stages);
}

/**
 * The bare V1 signer: signs exactly the parameters given (every one but `Signature`).
 *
 * @param {'GET'|'POST'} method
 * @param {object|Map|Array<[string, string]>} params names to string values
 * @param {string} accessKeySecret
 * @returns {{canonicalQuery: string, stringToSign: string, signature: string}}
 */
function signParams(method, params, accessKeySecret) {
  requireString(method, 'method');
  const flat = stringPairs(params, 'params', wrongSignerInput('parameter'));
  const secret = requiredInput(accessKeySecret, 'accessKeySecret', 'AccessKeySecret');
  const [canonicalQuery, stringToSign, signature] = call(native.signParamsV1, method, flat, secret);
  return { canonicalQuery, stringToSign, signature };
}

/**
 * The generic V3 (ACS3-HMAC-SHA256) signer: every header given is signed.
 *
 * @param {'GET'|'POST'} method
 * @param {string} path `/` when empty
 * @param {object|Map|Array<[string, string]>} query names to unencoded values
 * @param {object|Map|Array<[string, string]>} headers
 * @param {{accessKeyId: string, accessKeySecret: string, payloadSha256?: string,
 *   body?: Buffer|Uint8Array|string}} opts the payload hash, or the body to hash (empty
 *   without either)
 */
function signV3(method, path_, query, headers, opts) {
  requireString(method, 'method');
  const p = path_ === undefined || path_ === null ? '/' : requireString(path_, 'path');
  const q = stringPairs(query, 'query', wrongSignerInput('query parameter'));
  const h = stringPairs(headers, 'headers', wrongSignerInput('header'));
  const o = requireObject(opts, 'options');
  const id = requiredInput(o.accessKeyId, 'options.accessKeyId', 'AccessKeyId');
  const secret = requiredInput(o.accessKeySecret, 'options.accessKeySecret', 'AccessKeySecret');
  const payload = optionalString(o.payloadSha256, 'options.payloadSha256', true);
  const body = bytes(o.body, 'options.body', true);
  const [canonicalRequest, hashedCanonicalRequest, stringToSign, signature, authorization] = call(
    native.signV3Generic,
    method,
    p,
    q,
    h,
    id,
    secret,
    payload ?? null,
    body ?? null,
  );
  return { canonicalRequest, hashedCanonicalRequest, stringToSign, signature, authorization };
}

// ---------------------------------------------------------------------------------------
// Responses

function status(value) {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw typeError('status', 'an integer', value);
  }
  if (value < 0 || value > 65535) {
    const error = new RangeError(`status must be an HTTP status (0 to 65535), found ${value}`);
    error.code = 'ERR_OUT_OF_RANGE';
    throw error;
  }
  return value;
}

/**
 * Decodes a response of `operation`: the success value in the JSON-response shape (both
 * list levels, `Code` a string, `Success` a boolean), which the official SDKs' models
 * accept as they are.
 *
 * @param {string} operation
 * @param {number} httpStatus
 * @param {object|Map|Array<[string, string]>|null} headers e.g. `res.headers`; the
 *   content type picks the parser, `x-acs-retry-after` is a retry hint
 * @param {Buffer|Uint8Array|string} body
 * @param {'json'|'xml'|'JSON'|'XML'|null} [format] the Format the request asked for
 * @throws {ServiceError} for any non-2xx status
 * @throws {DecodeError} for a 2xx body that cannot be read
 */
function decodeResponse(operation, httpStatus, headers, body, format) {
  requireString(operation, 'operation');
  const s = status(httpStatus);
  const h = stringPairs(headers, 'headers', wrongHeader, true);
  const b = bytes(body, 'body');
  const f = optionalString(format, 'format', true);
  return fromTape(call(native.decodeResponse, JSON.stringify([operation, s, h, f ?? null]), b));
}

// The value's keys by code, from the native module (which writes the tape with them),
// and a setter per key: each its own function, so each property store stays monomorphic
// (a store under a computed key would not).
const KEYS = native.valueKeys();
// eslint-disable-next-line no-new-func
const SETTERS = KEYS.map((key) => new Function('o', 'v', `o[${JSON.stringify(key)}] = v;`));

/**
 * The success value from the native module's one string (src/lib.rs, `Tape`): a count
 * of words, the tape (each word two code units), then the pool of strings. Ops:
 * `[1, key, from, to]` a string sliced from the pool, `[2, key, n]` a number,
 * `[3, key, b]` a boolean, `[4, wrapper, item, count]` a list of `count` objects each
 * ended by `[0]`. One pass, no JSON text in between.
 */
function fromTape(s) {
  const words = s.charCodeAt(0) | (s.charCodeAt(1) << 16);
  const base = 2 + 2 * words;
  const word = (i) => (s.charCodeAt(2 + 2 * i) | (s.charCodeAt(3 + 2 * i) << 16)) >>> 0;
  let at = 0;
  const object = () => {
    const o = {};
    while (at < words) {
      const op = word(at);
      if (op === 0) {
        at++;
        break;
      }
      const set = SETTERS[word(at + 1)];
      if (op === 1) {
        set(o, s.slice(base + word(at + 2), base + word(at + 3)));
        at += 4;
      } else if (op === 2) {
        set(o, word(at + 2));
        at += 3;
      } else if (op === 3) {
        set(o, word(at + 2) === 1);
        at += 3;
      } else {
        const item = SETTERS[word(at + 2)];
        const count = word(at + 3);
        at += 4;
        const list = [];
        for (let i = 0; i < count; i++) list.push(object());
        const wrapper = {};
        item(wrapper, list);
        set(o, wrapper);
      }
    }
    return o;
  };
  return object();
}

// ---------------------------------------------------------------------------------------
// The server side

/** A lookup of secrets by access key ID that never throws into the native module. */
function secretLookup(credentials, state) {
  let get;
  if (typeof credentials === 'function') get = credentials;
  else if (credentials instanceof Map) get = (id) => credentials.get(id);
  else {
    requireObject(credentials, 'credentials');
    get = (id) => (Object.prototype.hasOwnProperty.call(credentials, id) ? credentials[id] : undefined);
  }
  return (id) => {
    if (state.error) return null;
    try {
      const secret = get(id);
      if (secret === undefined || secret === null) return null;
      if (typeof secret !== 'string' || secret === '') {
        state.error = typeError(
          `the secret of access key ${JSON.stringify(id)}`,
          'a non-empty string',
          secret,
        );
        return null;
      }
      return secret;
    } catch (e) {
      state.error = e;
      return null;
    }
  };
}

/**
 * Decodes and verifies a request as the ECS service does (V1 or V3), the secret looked
 * up by access key ID; timestamps are checked for their form only.
 *
 * @param {string} method
 * @param {string} path
 * @param {string} query the raw query (a leading `?` is dropped)
 * @param {object|Map|Array<[string, string]>|null} headers
 * @param {Buffer|Uint8Array|string|null} body
 * @param {object|Map|((accessKeyId: string) => string|null|undefined)} credentials
 * @returns {{operation: string, signatureVersion: '1.0'|'ACS3-HMAC-SHA256',
 *   format: 'JSON'|'XML'|null, accessKeyId: string|null, params: object}}
 * @throws {ServiceError} with the service's code and status
 */
function verifyRequest(method, path_, query, headers, body, credentials) {
  requireString(method, 'method');
  requireString(path_, 'path');
  let q = query === undefined || query === null ? '' : requireString(query, 'query');
  if (q.startsWith('?')) q = q.slice(1);
  const h = stringPairs(headers, 'headers', wrongHeader, true);
  const b = bytes(body, 'body', true) ?? Buffer.alloc(0);
  const state = { error: null };
  const lookup = secretLookup(credentials, state);
  let verified;
  try {
    verified = call(native.verifyRequest, method, path_, q, h, b, lookup);
  } catch (e) {
    if (state.error) throw state.error;
    throw e;
  }
  if (state.error) throw state.error;
  const params = {};
  const flat = verified.params;
  for (let i = 0; i < flat.length; i += 3) {
    const [name, type, text] = [flat[i], flat[i + 1], flat[i + 2]];
    let value = text;
    if (type === 'i') {
      const n = Number(text);
      value = Number.isSafeInteger(n) ? n : BigInt(text);
    } else if (type === 'l') {
      value = JSON.parse(text);
    }
    params[name] = value;
  }
  return {
    operation: verified.operation,
    signatureVersion: verified.signatureVersion,
    format: verified.format ?? null,
    accessKeyId: verified.accessKeyId ?? null,
    params,
  };
}

// For the test suite only: a Rust panic raised inside the native module's guard, and
// the success value as the library's own Response::to_json writes it (the oracle for
// the tape).
Object.defineProperty(module.exports, '_panicForTests', {
  value: () => call(native._panicForTests),
  enumerable: false,
});
Object.defineProperty(module.exports, '_decodeResponseJson', {
  value: (operation, httpStatus, headers, body, format) => {
    const h = stringPairs(headers, 'headers', wrongHeader, true);
    const request = JSON.stringify([operation, status(httpStatus), h, format ?? null]);
    return JSON.parse(call(native._decodeResponseJson, request, bytes(body, 'body')));
  },
  enumerable: false,
});

Object.assign(module.exports, {
  signRequest,
  encodeRequest,
  signParams,
  signV3,
  decodeResponse,
  verifyRequest,
  Error: EcsRamRoleError,
  EcsRamRoleError,
  RequestError,
  ServiceError,
  DecodeError,
  SignedRequest,
  EncodedRequest,
  API_VERSION,
  DEFAULT_HOST,
  OPERATIONS,
});
