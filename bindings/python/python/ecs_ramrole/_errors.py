"""The exceptions of ecs_ramrole. The native module raises these classes.

Every exception derives from :class:`Error`. Their messages (``str(e)``) and reprs never
carry an AccessKey secret or an STS token: the secret is never in any output, and the
value of a ``SecurityToken`` parameter or an ``x-acs-security-token`` header that a
message would quote is replaced by ``<redacted>``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = ["Error", "RequestError", "ServiceError", "DecodeError"]


class Error(Exception):
    """The base of every exception this package raises.

    Raised as itself only for an internal error (a bug: a Rust panic), which never
    reaches Python as anything else.
    """

    __module__ = "ecs_ramrole"


class RequestError(Error, ValueError):
    """Invalid input: a request parameter or signing input that breaks a rule, or a value
    of the wrong type.

    Attributes:
        kind: ``"missing_required"``, ``"constraint_violation"`` or ``"type_mismatch"``
            (the conformance corpus's reject kinds).
        parameter: the parameter's API name (``"InstanceIds"``) or the keyword
            argument's name (``"access_key_id"``, ``"timestamp"``, ``"format"``).
        offset: the byte offset of the problem inside the value, where one applies
            (raw ``InstanceIds`` JSON text, a timestamp), else ``None``.
    """

    __module__ = "ecs_ramrole"

    def __init__(
        self,
        text: str = "",
        *,
        kind: str = "constraint_violation",
        parameter: Optional[str] = None,
        offset: Optional[int] = None,
    ) -> None:
        super().__init__(text)
        self.kind = kind
        self.parameter = parameter
        self.offset = offset


class ServiceError(Error):
    """The service said no: a response with a non-2xx status (from ``decode_response``),
    or the answer the service gives a request that ``verify_request`` refused.

    Attributes (each ``None`` when the body did not carry it):
        http_status: the HTTP status.
        code: ``Code``, e.g. ``"InvalidRamRole.NotFound"``.
        message: ``Message``, exactly as the service sent it.
        request_id, host_id, recommend: ``RequestId``, ``HostId``, ``Recommend``.
        access_denied_detail: ``AccessDeniedDetail`` as a dict, values with their JSON
            types.
        retryable: whether sending the request again (re-signed, after a pause) can
            succeed: a 429, any 5xx, a ``Throttling*`` or ``ServiceUnavailable*`` code,
            ``SignatureNonceUsed``, ``OperationConflict``, or a retry hint.
        retry_after_ms: the ``x-acs-retry-after`` header's positive integer, else ``None``.
        server_string_to_sign: for ``SignatureDoesNotMatch`` (and
            ``IncompleteSignature``), the string-to-sign the server computed, to compare
            with your own.

    ``message`` and ``server_string_to_sign`` are the service's text as it is (a V1
    string-to-sign holds every signed parameter, an STS token among them);
    ``str(e)`` and ``repr(e)`` redact the token.
    """

    __module__ = "ecs_ramrole"

    def __init__(
        self,
        text: str = "",
        *,
        http_status: int = 0,
        code: Optional[str] = None,
        message: Optional[str] = None,
        request_id: Optional[str] = None,
        host_id: Optional[str] = None,
        recommend: Optional[str] = None,
        access_denied_detail: Optional[Dict[str, Any]] = None,
        retryable: bool = False,
        retry_after_ms: Optional[int] = None,
        server_string_to_sign: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.http_status = http_status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.host_id = host_id
        self.recommend = recommend
        self.access_denied_detail = access_denied_detail
        self.retryable = retryable
        self.retry_after_ms = retry_after_ms
        self.server_string_to_sign = server_string_to_sign


class DecodeError(Error, ValueError):
    """A 2xx body that could not be read as the operation's response.

    Attributes:
        kind: ``"malformed_body"``, ``"unexpected_shape"``, ``"type_mismatch"``,
            ``"forbidden_construct"`` or ``"limit_exceeded"`` (the corpus's reject kinds).
        offset: byte offset in the body where the problem was found.
        line, column: 1-based line and column (in bytes) of ``offset``.
        field: the innermost element or key the problem is in, if any.
    """

    __module__ = "ecs_ramrole"

    def __init__(
        self,
        text: str = "",
        *,
        kind: str = "malformed_body",
        offset: int = 0,
        line: int = 1,
        column: int = 1,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.field = field
