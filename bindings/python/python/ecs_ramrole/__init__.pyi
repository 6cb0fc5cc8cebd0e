"""Type stubs for ecs_ramrole: the Rust crate ecs-ramrole's public API.

Names and shapes follow the API and the conformance corpus (corpus/README.md): request
parameters in the API's own names, responses in the JSON-response shape, signing stages
by the adapter protocol's names. String arguments take the documented words (operation:
one of OPERATIONS; algorithm: one of ALGORITHMS; method: "GET" or "POST"; format: "JSON"
or "XML"; placement: "query" or "body"); any other word is a RequestError. Invalid input
raises RequestError; a non-2xx response raises ServiceError; an unreadable 2xx body
raises DecodeError; all derive from Error.
"""

from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union, final

__all__ = [
    "ALGORITHMS",
    "API_VERSION",
    "DEFAULT_HOST",
    "OPERATIONS",
    "DecodeError",
    "EncodedRequest",
    "Error",
    "RequestError",
    "ServiceError",
    "SignedRequest",
    "__version__",
    "decode_response",
    "encode_request",
    "sign_params",
    "sign_request",
    "sign_v3",
    "verify_request",
]

__version__: str
#: ("AttachInstanceRamRole", "DetachInstanceRamRole", "DescribeInstanceRamRole")
OPERATIONS: Tuple[str, ...]
#: ("HMAC-SHA1", "ACS3-HMAC-SHA256")
ALGORITHMS: Tuple[str, ...]
#: "2014-05-26"
API_VERSION: str
#: "ecs.aliyuncs.com"
DEFAULT_HOST: str

#: A parameter value: str for text, int (0 to 2**63 - 1) for OwnerId, ResourceOwnerId,
#: PageNumber, PageSize; for InstanceIds a list of str (rendered as compact JSON) or a
#: str of raw JSON text (validated, sent byte-for-byte). None is an absent parameter.
_ParamValue = Union[str, int, List[str], Tuple[str, ...], None]
#: _Headers: a mapping, or (name, value) pairs (names may repeat).
_Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]], Iterable[List[str]]]
_Body = Union[bytes, bytearray, memoryview, str]

class Error(Exception):
    """The base of every exception of this package; raised as itself only for an internal
    error (a Rust panic, which never reaches Python as anything else)."""

class RequestError(Error, ValueError):
    """Invalid input."""

    #: "missing_required", "constraint_violation" or "type_mismatch".
    kind: str
    #: The API name ("InstanceIds") or the keyword argument's name ("access_key_id").
    parameter: Optional[str]
    #: Byte offset inside the value, where one applies.
    offset: Optional[int]
    def __init__(
        self,
        text: str = ...,
        *,
        kind: str = ...,
        parameter: Optional[str] = ...,
        offset: Optional[int] = ...,
    ) -> None: ...

class ServiceError(Error):
    """The service said no (a non-2xx response), or would (verify_request).

    `message` and `server_string_to_sign` are the service's text as it is; str() and
    repr() redact an STS token."""

    http_status: int
    code: Optional[str]
    message: Optional[str]
    request_id: Optional[str]
    host_id: Optional[str]
    recommend: Optional[str]
    access_denied_detail: Optional[Dict[str, Any]]
    retryable: bool
    retry_after_ms: Optional[int]
    server_string_to_sign: Optional[str]
    def __init__(
        self,
        text: str = ...,
        *,
        http_status: int = ...,
        code: Optional[str] = ...,
        message: Optional[str] = ...,
        request_id: Optional[str] = ...,
        host_id: Optional[str] = ...,
        recommend: Optional[str] = ...,
        access_denied_detail: Optional[Dict[str, Any]] = ...,
        retryable: bool = ...,
        retry_after_ms: Optional[int] = ...,
        server_string_to_sign: Optional[str] = ...,
    ) -> None: ...

class DecodeError(Error, ValueError):
    """A 2xx body that could not be read."""

    #: "malformed_body", "unexpected_shape", "type_mismatch", "forbidden_construct" or
    #: "limit_exceeded".
    kind: str
    offset: int
    line: int
    column: int
    field: Optional[str]
    def __init__(
        self,
        text: str = ...,
        *,
        kind: str = ...,
        offset: int = ...,
        line: int = ...,
        column: int = ...,
        field: Optional[str] = ...,
    ) -> None: ...

@final
class SignedRequest:
    """A signed request. Its repr redacts an STS token."""

    @property
    def method(self) -> str:
        """"GET" or "POST"."""
    @property
    def query(self) -> str:
        """The wire query, without "?" (V1: every parameter, then Signature; V3: the
        operation's parameters, or "" when they are in the body)."""
    @property
    def headers(self) -> List[Tuple[str, str]]:
        """The headers a V3 request needs, names lowercase, sorted by name; [] for V1."""
    @property
    def body(self) -> str:
        """The form-encoded body of a V3 request with placement="body", else ""."""
    @property
    def stages(self) -> Dict[str, str]:
        """V1: canonical_query, string_to_sign, signature. V3: canonical_request,
        hashed_canonical_request, string_to_sign, signature, authorization."""
    @property
    def algorithm(self) -> str:
        """"HMAC-SHA1" or "ACS3-HMAC-SHA256"."""
    def url(self, endpoint: str) -> str:
        """The full URL at endpoint ("https://ecs.aliyuncs.com", with or without "/")."""

@final
class EncodedRequest:
    """An unsigned request."""

    @property
    def method(self) -> str: ...
    @property
    def query(self) -> str:
        """The query (also the canonical query), without "?"."""
    def url(self, endpoint: str) -> str: ...

def sign_request(
    operation: str,
    params: Mapping[str, _ParamValue],
    *,
    access_key_id: str,
    access_key_secret: str,
    timestamp: str,
    nonce: str,
    algorithm: str = "HMAC-SHA1",
    method: str = "POST",
    format: Optional[str] = "JSON",
    security_token: Optional[str] = None,
    host: str = "ecs.aliyuncs.com",
    placement: str = "query",
) -> SignedRequest:
    """Builds, checks, encodes and signs a request.

    timestamp is "YYYY-MM-DDThh:mm:ssZ" (UTC) and nonce unique per request: the caller's
    clock and randomness. format=None sends no Format (V3: no accept header). host and
    placement are V3's ("body": the parameters in a form body, POST only).

    Raises RequestError (kind, parameter) for a missing, empty, malformed or wrongly
    typed input; None for a required signing input is missing_required."""

def encode_request(
    operation: str,
    params: Mapping[str, _ParamValue],
    *,
    method: str = "POST",
    format: Optional[str] = "JSON",
) -> EncodedRequest:
    """Builds, checks and encodes an unsigned request (Action, Version, Format and the
    operation's parameters, canonically encoded). Raises RequestError."""

def sign_params(
    method: str,
    params: Union[Mapping[str, str], Iterable[Tuple[str, str]]],
    access_key_secret: str,
) -> Dict[str, str]:
    """The bare V1 signer (HMAC-SHA1) over any parameters but Signature, signed as given:
    {"canonical_query", "string_to_sign", "signature"}. Raises RequestError."""

def sign_v3(
    method: str,
    path: Optional[str],
    query: Union[Mapping[str, str], Iterable[Tuple[str, str]], None],
    headers: Optional[_Headers],
    *,
    access_key_id: str,
    access_key_secret: str,
    payload_sha256: Optional[str] = None,
    body: Optional[_Body] = b"",
) -> Dict[str, str]:
    """The generic V3 signer (ACS3-HMAC-SHA256): every header given is signed (names
    lowercased, values trimmed, repeated names merged). The payload hash is
    payload_sha256 (64 lowercase hex digits) or the SHA-256 of body; giving both is an
    error. Returns {"canonical_request", "hashed_canonical_request", "string_to_sign",
    "signature", "authorization"}. Raises RequestError."""

def decode_response(
    operation: str,
    status: int,
    headers: Optional[_Headers],
    body: _Body,
    format: Optional[str] = None,
) -> Dict[str, Any]:
    """Decodes a response into the corpus's JSON-response shape: both list levels kept
    ({"AttachInstanceRamRoleResults": {"AttachInstanceRamRoleResult": [...]}}), Code a
    str, Success a bool, TotalCount and FailCount ints, absent fields absent. The body's
    format comes from the content-type header, else format (what the request asked
    for), else the body's first byte.

    Raises ServiceError for any non-2xx status (with the x-acs-retry-after hint),
    DecodeError for a 2xx body it cannot read, RequestError for unusable arguments."""

def verify_request(
    method: str,
    path: str,
    query: str,
    headers: Optional[_Headers],
    body: Optional[_Body],
    credentials: Union[Mapping[str, str], Callable[[str], Optional[str]]],
) -> Dict[str, Any]:
    """Decodes and verifies an incoming request as the service does (V1 or V3, the
    signature compared in constant time; timestamps checked for form only). credentials
    maps AccessKey IDs to secrets, or is a callable from ID to secret (or None).

    Returns {"operation", "signature_version" ("1.0" or "ACS3-HMAC-SHA256"), "params"
    (the operation's own, InstanceIds a list, integers as int), "access_key_id",
    "timestamp", "nonce", "format"}. Raises ServiceError with the service's own status
    and code (SignatureDoesNotMatch with server_string_to_sign, MissingParameter.*,
    InvalidAccessKeyId.NotFound, ...), RequestError for unusable arguments."""
