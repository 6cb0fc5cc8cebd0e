#!/usr/bin/env node
'use strict';
// A conformance adapter (protocol 1, corpus/README.md) written on this package's public
// functions: each envelope becomes a call of signRequest, encodeRequest, signParams,
// signV3, decodeResponse or verifyRequest, and what the call returns or throws becomes
// the verdict. It translates between the protocol's JSON and the JavaScript API, and
// decides nothing about requests, signatures or bodies itself.
//
//   node test/adapter.js            persistent mode: one envelope per line in, one
//                                    verdict per line out, until stdin closes
//   node test/adapter.js --once     one envelope on stdin (any layout), one verdict
//
// Envelopes are read with integers of any size (an OwnerId of 2^63 - 1 arrives as a
// bigint) and verdicts written the same way.

const fs = require('fs');
const readline = require('readline');
const ecs = require('..');
const json = require('../lib/json');

function unsupported(reason) {
  return { outcome: 'unsupported', reason };
}

/** The verdict for an error a call raised: a reject, or (a bug) a crash. */
function rejectOf(e) {
  if (e instanceof ecs.RequestError || e instanceof ecs.DecodeError) {
    return { outcome: 'reject', reject_kind: e.kind, message: e.message };
  }
  // The API's own answer to a value of the wrong type.
  if (e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE') {
    return { outcome: 'reject', reject_kind: 'type_mismatch', message: e.message };
  }
  throw e;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function request(envelope) {
  const operation = envelope.operation;
  if (!ecs.OPERATIONS.includes(operation)) return unsupported('unknown operation');
  const input = isObject(envelope.input) ? envelope.input : {};
  const params = input.params === undefined ? {} : input.params;
  const context = isObject(input.context) ? input.context : {};
  // Absent in the envelope is no Format parameter; the API's default is JSON.
  const format = context.format === undefined ? null : context.format;
  const signing = context.signing;
  try {
    if (signing === undefined || signing === null) {
      // Placement is a V3 signing option: an unsigned request has only the query.
      if (context.placement !== undefined && context.placement !== null && context.placement !== 'query') {
        return {
          outcome: 'reject',
          reject_kind: typeof context.placement === 'string' ? 'constraint_violation' : 'type_mismatch',
          message: 'an unsigned request carries its parameters in the query',
        };
      }
      const encoded = ecs.encodeRequest(operation, params, { method: context.method, format });
      return {
        outcome: 'request',
        method: encoded.method,
        query: encoded.query,
        stages: { canonical_query: encoded.query },
      };
    }
    const signed = ecs.signRequest(operation, params, {
      algorithm: signing.algorithm,
      accessKeyId: signing.access_key_id,
      accessKeySecret: signing.access_key_secret,
      securityToken: signing.security_token,
      timestamp: signing.timestamp,
      nonce: signing.nonce,
      method: context.method,
      format,
      host: context.host,
      placement: context.placement,
    });
    const s = signed.stages;
    if (s.canonicalRequest === undefined) {
      return {
        outcome: 'request',
        method: signed.method,
        query: signed.query,
        stages: { canonical_query: s.canonicalQuery, string_to_sign: s.stringToSign, signature: s.signature },
      };
    }
    return {
      outcome: 'request',
      method: signed.method,
      query: signed.query,
      headers: signed.headers,
      body: signed.body,
      stages: {
        canonical_request: s.canonicalRequest,
        hashed_canonical_request: s.hashedCanonicalRequest,
        string_to_sign: s.stringToSign,
        signature: s.signature,
        authorization: s.authorization,
      },
    };
  } catch (e) {
    if (e instanceof ecs.RequestError && e.parameter === 'algorithm') {
      return unsupported('only the HMAC-SHA1 and ACS3-HMAC-SHA256 algorithms are implemented');
    }
    return rejectOf(e);
  }
}

function sign(envelope) {
  const input = isObject(envelope.input) ? envelope.input : {};
  const algorithm = input.algorithm === undefined || input.algorithm === null ? 'HMAC-SHA1' : input.algorithm;
  const method = input.method === undefined || input.method === null ? 'POST' : input.method;
  try {
    if (algorithm === 'HMAC-SHA1') {
      const stages = ecs.signParams(method, input.params === undefined ? {} : input.params, input.access_key_secret);
      return {
        outcome: 'signature',
        canonical_query: stages.canonicalQuery,
        string_to_sign: stages.stringToSign,
        signature: stages.signature,
      };
    }
    if (algorithm === 'ACS3-HMAC-SHA256') {
      const body =
        typeof input.body_base64 === 'string' ? Buffer.from(input.body_base64, 'base64') : input.body_base64;
      const stages = ecs.signV3(method, input.path, input.query, input.headers, {
        accessKeyId: input.access_key_id,
        accessKeySecret: input.access_key_secret,
        payloadSha256: input.payload_sha256,
        body,
      });
      return {
        outcome: 'signature',
        canonical_request: stages.canonicalRequest,
        hashed_canonical_request: stages.hashedCanonicalRequest,
        string_to_sign: stages.stringToSign,
        signature: stages.signature,
        authorization: stages.authorization,
      };
    }
    if (typeof algorithm !== 'string') {
      return { outcome: 'reject', reject_kind: 'type_mismatch', message: 'algorithm is not a string' };
    }
    return unsupported(`algorithm ${JSON.stringify(algorithm)}`);
  } catch (e) {
    return rejectOf(e);
  }
}

/** A ServiceError as the protocol's `error`: absent keys left out. */
function serviceErrorOf(e, keys) {
  const error = {};
  for (const [key, field] of keys) {
    if (e[field] !== null && e[field] !== undefined) error[key] = e[field];
  }
  return error;
}

const RESPONSE_ERROR_KEYS = [
  ['http_status', 'httpStatus'],
  ['code', 'code'],
  ['message', 'serviceMessage'],
  ['request_id', 'requestId'],
  ['host_id', 'hostId'],
  ['recommend', 'recommend'],
  ['access_denied_detail', 'accessDeniedDetail'],
];

function response(envelope) {
  if (!ecs.OPERATIONS.includes(envelope.operation)) return unsupported('unknown operation');
  const http = envelope.http || {};
  const body = Buffer.from(envelope.body_base64 || '', 'base64');
  const format = envelope.format === undefined ? envelope.requested_format : envelope.format;
  try {
    const value = ecs.decodeResponse(envelope.operation, http.status, http.headers || [], body, format);
    return { outcome: 'output', value };
  } catch (e) {
    if (e instanceof ecs.ServiceError) {
      return {
        outcome: 'service_error',
        error: serviceErrorOf(e, RESPONSE_ERROR_KEYS),
        retry: { retryable: e.retryable, after_ms: e.retryAfterMs },
      };
    }
    return rejectOf(e);
  }
}

function incoming(envelope) {
  const input = isObject(envelope.input) ? envelope.input : {};
  const text = (v, otherwise) => (v === undefined || v === null ? otherwise : v);
  try {
    const verified = ecs.verifyRequest(
      text(input.method, 'POST'),
      text(input.path, '/'),
      text(input.query, ''),
      input.headers || [],
      Buffer.from(text(input.body_base64, ''), 'base64'),
      isObject(input.credentials) ? input.credentials : {},
    );
    return {
      outcome: 'accepted',
      operation: verified.operation,
      signature_version: verified.signatureVersion,
      params: verified.params,
    };
  } catch (e) {
    if (e instanceof ecs.ServiceError) {
      return {
        outcome: 'service_error',
        error: serviceErrorOf(e, [
          ['http_status', 'httpStatus'],
          ['code', 'code'],
          ['server_string_to_sign', 'serverStringToSign'],
        ]),
      };
    }
    throw e;
  }
}

const KINDS = { request, sign, response, incoming };

/** The verdict for one envelope's text; `null` when the envelope is unusable. */
function verdictOf(text) {
  let envelope;
  try {
    envelope = json.parse(text);
  } catch {
    return null;
  }
  if (!isObject(envelope) || envelope.protocol !== 1) return null;
  const handler = KINDS[envelope.kind];
  if (handler === undefined) return unsupported(`kind ${JSON.stringify(envelope.kind)} is not implemented`);
  return handler(envelope);
}

function write(verdict) {
  fs.writeSync(1, `${json.stringify(verdict)}\n`);
}

if (process.argv.includes('--once')) {
  const verdict = verdictOf(fs.readFileSync(0, 'utf8'));
  if (verdict === null) process.exit(2);
  write(verdict);
} else {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const verdict = verdictOf(line);
    write(verdict === null ? unsupported('not a protocol 1 envelope') : verdict);
  });
}
