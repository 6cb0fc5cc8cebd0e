// Compiled with `tsc --noEmit --strict` by test/types.test.js: the declarations in
// index.d.ts accept the documented uses and type what comes back.
import {
  decodeResponse,
  DecodeError,
  EcsRamRoleError,
  Error as BaseError,
  encodeRequest,
  RequestError,
  ServiceError,
  signParams,
  signRequest,
  signV3,
  verifyRequest,
  SignedRequest,
  type ResponseValue,
  type VerifiedRequest,
} from '../..';

const signed: SignedRequest = signRequest(
  'AttachInstanceRamRole',
  { RegionId: 'cn-hangzhou', RamRoleName: 'EcsRole', InstanceIds: ['i-1'], OwnerId: 9223372036854775807n },
  {
    accessKeyId: 'testid',
    accessKeySecret: 'testsecret',
    timestamp: new Date(),
    nonce: 'n',
    algorithm: 'ACS3-HMAC-SHA256',
    placement: 'body',
    securityToken: null,
  },
);
const url: string = signed.url('https://ecs.aliyuncs.com');
const headers: ReadonlyArray<readonly [string, string]> = signed.headers;
const signature: string = signed.stages.signature;
const authorization: string | undefined = signed.stages.authorization;

const encoded = encodeRequest('DetachInstanceRamRole', new Map([['RegionId', 'cn-hangzhou']]), { format: null });
const query: string = encoded.query;

const v1 = signParams('GET', [['A', 'b']], 'secret');
const v1Signature: string = v1.signature;
const v3 = signV3('POST', '/', { RegionId: 'cn-shanghai' }, [['host', 'ecs.aliyuncs.com']], {
  accessKeyId: 'id',
  accessKeySecret: 's',
  body: new Uint8Array(0),
});
const hashed: string = v3.hashedCanonicalRequest;

const value: ResponseValue = decodeResponse('AttachInstanceRamRole', 200, { 'content-type': 'application/json' }, '{}', 'json');
const code: string | undefined = value.AttachInstanceRamRoleResults?.AttachInstanceRamRoleResult[0]?.Code;
const success: boolean | undefined = value.AttachInstanceRamRoleResults?.AttachInstanceRamRoleResult[0]?.Success;
const total: number | undefined = value.TotalCount;

const verified: VerifiedRequest = verifyRequest('POST', '/', '', [['host', 'h']], null, (id) => (id === 'a' ? 's' : null));
const version: '1.0' | 'ACS3-HMAC-SHA256' = verified.signatureVersion;

try {
  decodeResponse('DescribeInstanceRamRole', 500, null, new Uint8Array(0));
} catch (e) {
  if (e instanceof ServiceError) {
    const status: number = e.httpStatus;
    const retry: number | null = e.retryAfterMs;
    const message: string | null = e.serviceMessage;
    const base: EcsRamRoleError = e;
    const alias: BaseError = e;
    void [status, retry, message, base, alias];
  } else if (e instanceof DecodeError) {
    const kind: 'malformed_body' | 'unexpected_shape' | 'type_mismatch' | 'forbidden_construct' | 'limit_exceeded' = e.kind;
    const at: number = e.offset + e.line + e.column;
    void [kind, at];
  } else if (e instanceof RequestError) {
    const kind: 'missing_required' | 'constraint_violation' | 'type_mismatch' = e.kind;
    const parameter: string = e.parameter;
    void [kind, parameter];
  }
}

// @ts-expect-error: not an operation of this package
encodeRequest('RunInstances', {});
// @ts-expect-error: signing needs the options
signRequest('AttachInstanceRamRole', {});
// @ts-expect-error: an object is no parameter value
encodeRequest('AttachInstanceRamRole', { InstanceIds: { a: 1 } });

void [url, headers, signature, authorization, query, v1Signature, hashed, code, success, total, version];
