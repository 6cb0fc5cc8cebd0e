"""ecs_ramrole: Alibaba Cloud ECS AttachInstanceRamRole, DetachInstanceRamRole and
DescribeInstanceRamRole, as a codec with no IO.

Build and sign requests (signature V1, HMAC-SHA1, and V3, ACS3-HMAC-SHA256), decode
responses (XML and JSON) into the corpus's JSON-response shape, and verify incoming
requests as the service does. The time, the nonce and the transport are the caller's:
nothing here reads a clock, draws a random number or opens a socket.

The functions are the Rust crate ``ecs-ramrole``'s public API (a PyO3 extension, abi3
for CPython 3.9 and newer); the type stubs (``__init__.pyi``) document each one.
"""

from ._errors import DecodeError, Error, RequestError, ServiceError
from ._native import (
    ALGORITHMS,
    API_VERSION,
    DEFAULT_HOST,
    OPERATIONS,
    EncodedRequest,
    SignedRequest,
    __version__,
    decode_response,
    encode_request,
    sign_params,
    sign_request,
    sign_v3,
    verify_request,
)

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
