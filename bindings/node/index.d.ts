// Type declarations for ecs-ramrole (Node): the Rust codec for the Alibaba Cloud ECS RPC
// operations AttachInstanceRamRole, DetachInstanceRamRole and DescribeInstanceRamRole.

/** The operations this package speaks. */
export type Operation = 'AttachInstanceRamRole' | 'DetachInstanceRamRole' | 'DescribeInstanceRamRole';
export const OPERATIONS: readonly Operation[];
/** `2014-05-26`, sent as `Version`. */
export const API_VERSION: '2014-05-26';
/** `ecs.aliyuncs.com`, the host the official SDKs call. */
export const DEFAULT_HOST: 'ecs.aliyuncs.com';

export type Method = 'GET' | 'POST';
export type Algorithm = 'HMAC-SHA1' | 'ACS3-HMAC-SHA256';

/**
 * A parameter value in the API's own terms: text; an integer (`OwnerId`,
 * `ResourceOwnerId`, `PageNumber`, `PageSize`) as a safe non-negative integer or a bigint
 * up to 2^63 - 1; `InstanceIds` as an array of strings (rendered canonically) or a string
 * of raw JSON text (validated, sent byte for byte). `null` and `undefined` are absent.
 */
export type ParamValue = string | number | bigint | readonly string[] | null | undefined;

/** Parameters by their API names, e.g. `{ RegionId, RamRoleName, InstanceIds }`. */
export type Params = Readonly<Record<string, ParamValue>> | ReadonlyMap<string, ParamValue>;

/** Name-value pairs: a plain object, a Map, or an array (any iterable) of pairs. */
export type StringPairs =
  | Readonly<Record<string, string>>
  | ReadonlyMap<string, string>
  | Iterable<readonly [string, string]>;

/**
 * HTTP headers as they come: pairs, a Map, a fetch `Headers`, or Node's
 * `IncomingMessage.headers` (array values for repeated headers, numbers as text).
 */
export type HttpHeaders =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | ReadonlyMap<string, string>
  | Iterable<readonly [string, string]>;

/** Body bytes (a Buffer is a Uint8Array); a string is taken as UTF-8. */
export type Body = Uint8Array | ArrayBuffer | ArrayBufferView | string;

export interface EncodeOptions {
  /** Default `POST`. */
  method?: Method;
  /** The `Format` parameter: default `JSON`; `null` sends none. */
  format?: 'JSON' | 'XML' | null;
}

export interface SignOptions extends EncodeOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** `YYYY-MM-DDThh:mm:ssZ`, or a Date (whole seconds, UTC). The package reads no clock. */
  timestamp: string | Date;
  /** Unique per request. The package has no randomness. */
  nonce: string;
  /** Default `HMAC-SHA1` (signature V1); `ACS3-HMAC-SHA256` is V3, what the Tea SDKs send. */
  algorithm?: Algorithm;
  /** An STS token: `SecurityToken` (V1) or `x-acs-security-token` (V3). */
  securityToken?: string | null;
  /** V3: the host signed, default `ecs.aliyuncs.com`. */
  host?: string;
  /** V3: the operation's parameters in the query (default) or a form body (POST only). */
  placement?: 'query' | 'body';
}

/** Signature V1's stages. */
export interface V1Stages {
  canonicalQuery: string;
  stringToSign: string;
  /** Base64. */
  signature: string;
}

/** Signature V3's stages. */
export interface V3Stages {
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  /** `ACS3-HMAC-SHA256\n` and the hashed canonical request. */
  stringToSign: string;
  /** Lowercase hex. */
  signature: string;
  /** The `authorization` header's value. */
  authorization: string;
}

/**
 * A signed request's stages. V1: canonicalQuery, stringToSign, signature. V3: also
 * canonicalRequest, hashedCanonicalRequest and authorization (canonicalQuery is then the
 * canonical request's query line).
 */
export interface SignedStages {
  canonicalQuery: string;
  stringToSign: string;
  signature: string;
  canonicalRequest?: string;
  hashedCanonicalRequest?: string;
  authorization?: string;
}

/** An unsigned request. */
export class EncodedRequest {
  private constructor();
  readonly method: Method;
  /** The canonical query, without `?`. */
  readonly query: string;
  /** `endpoint` (`scheme://host`, a trailing `/` or not) with `/?query`. */
  url(endpoint: string): string;
}

/** A signed request: the method, query, headers and body to send, and every stage. */
export class SignedRequest {
  private constructor();
  readonly method: Method;
  /** The wire query, without `?`. V1: every parameter, then `Signature`. */
  readonly query: string;
  /** V3: `[name, value]`, names lowercase, sorted by name; empty for V1. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** V3 with `placement: 'body'`: the form body; otherwise empty. */
  readonly body: string;
  readonly stages: SignedStages;
  url(endpoint: string): string;
}

/** Builds a request and encodes it unsigned. @throws {RequestError} */
export function encodeRequest(operation: Operation, params: Params, options?: EncodeOptions): EncodedRequest;

/** Builds, encodes and signs a request. @throws {RequestError} */
export function signRequest(operation: Operation, params: Params, options: SignOptions): SignedRequest;

/** The bare V1 signer: signs exactly the parameters given. @throws {RequestError} */
export function signParams(method: Method, params: StringPairs, accessKeySecret: string): V1Stages;

export interface SignV3Options {
  accessKeyId: string;
  accessKeySecret: string;
  /** The payload's SHA-256, 64 lowercase hex digits (instead of `body`). */
  payloadSha256?: string | null;
  /** The body to hash (instead of `payloadSha256`); empty without either. */
  body?: Body | null;
}

/** The generic V3 signer: every header given is signed. @throws {RequestError} */
export function signV3(
  method: Method,
  path: string | null | undefined,
  query: StringPairs | null | undefined,
  headers: StringPairs | null | undefined,
  options: SignV3Options,
): V3Stages;

/** One `InstanceRamRoleSets.InstanceRamRoleSet` entry. */
export interface InstanceRamRoleSet {
  InstanceId?: string;
  RamRoleName?: string;
}

/** One per-instance result of Attach or Detach. */
export interface InstanceResult {
  InstanceId?: string;
  /** `"200"` on success: always a string. */
  Code?: string;
  Message?: string;
  Success?: boolean;
  InstanceRamRoleSets?: { InstanceRamRoleSet: InstanceRamRoleSet[] };
}

/**
 * A decoded success body in the JSON-response shape, both list levels kept, absent fields
 * absent. Attach and Detach carry the results; Describe the (instance, role) pairs.
 */
export interface ResponseValue {
  RequestId?: string;
  RamRoleName?: string;
  TotalCount?: number;
  FailCount?: number;
  AttachInstanceRamRoleResults?: { AttachInstanceRamRoleResult: InstanceResult[] };
  DetachInstanceRamRoleResults?: { DetachInstanceRamRoleResult: InstanceResult[] };
  RegionId?: string;
  PageNumber?: number;
  PageSize?: number;
  InstanceRamRoleSets?: { InstanceRamRoleSet: InstanceRamRoleSet[] };
}

/**
 * Decodes a response. @throws {ServiceError} for any non-2xx status;
 * {@link DecodeError} for a 2xx body that cannot be read.
 */
export function decodeResponse(
  operation: Operation,
  status: number,
  headers: HttpHeaders | null | undefined,
  body: Body,
  format?: 'json' | 'xml' | 'JSON' | 'XML' | null,
): ResponseValue;

/** Secrets by access key ID: an object, a Map, or a function (`null`/`undefined` for unknown). */
export type Credentials =
  | Readonly<Record<string, string>>
  | ReadonlyMap<string, string>
  | ((accessKeyId: string) => string | null | undefined);

export interface VerifiedRequest {
  operation: Operation;
  signatureVersion: '1.0' | 'ACS3-HMAC-SHA256';
  /** The format the request asked for (`Format`, or V3's `accept`), `null` without one
   * (the service then answers XML). */
  format: 'JSON' | 'XML' | null;
  accessKeyId: string | null;
  /** The operation's own parameters: strings, integers (a bigint past 2^53 - 1),
   * `InstanceIds` as an array. */
  params: Record<string, string | number | bigint | string[]>;
}

/**
 * Decodes and verifies a request as the ECS service does (V1 or V3).
 * @throws {ServiceError} with the service's own code and status
 */
export function verifyRequest(
  method: string,
  path: string,
  query: string | null | undefined,
  headers: HttpHeaders | null | undefined,
  body: Body | null | undefined,
  credentials: Credentials,
): VerifiedRequest;

/** Every error this package raises on purpose. */
export class EcsRamRoleError extends globalThis.Error {}
export { EcsRamRoleError as Error };

/** A request parameter or signing input broke a rule. */
export class RequestError extends EcsRamRoleError {
  readonly kind: 'missing_required' | 'constraint_violation' | 'type_mismatch';
  /** The parameter, by its API name (`RegionId`, `AccessKeySecret`, `Timestamp`, ...). */
  readonly parameter: string;
}

/** The service said no. */
export class ServiceError extends EcsRamRoleError {
  readonly httpStatus: number;
  readonly code: string | null;
  /** The service's `Message` (this error's `message` is its own text). */
  readonly serviceMessage: string | null;
  readonly requestId: string | null;
  readonly hostId: string | null;
  readonly recommend: string | null;
  /** Every subfield with its JSON type (an integer past 2^53 - 1 as a bigint). */
  readonly accessDeniedDetail: Record<string, unknown> | null;
  /** Whether sending again (re-signed, after a pause) can succeed. */
  readonly retryable: boolean;
  /** The `x-acs-retry-after` hint, in milliseconds. */
  readonly retryAfterMs: number | null;
  /** For `SignatureDoesNotMatch`: the string the server signed. */
  readonly serverStringToSign: string | null;
  toJSON(): Record<string, unknown>;
}

/** A 2xx body that could not be read. */
export class DecodeError extends EcsRamRoleError {
  readonly kind:
    | 'malformed_body'
    | 'unexpected_shape'
    | 'type_mismatch'
    | 'forbidden_construct'
    | 'limit_exceeded';
  /** Byte offset in the body. */
  readonly offset: number;
  /** 1-based line of `offset`. */
  readonly line: number;
  /** 1-based column of `offset`, in bytes. */
  readonly column: number;
  /** The innermost field the problem is in, if any. */
  readonly field: string | null;
}
