#!/usr/bin/env python3
"""Reference adapter (adapter protocol 1) for the ecs-ramrole conformance corpus.

An independent, Python-standard-library-only implementation of the contract in
corpus/README.md: it reads ONE JSON envelope on stdin and prints ONE JSON verdict on
stdout, exit status 0 whenever a verdict was printed (rejects included).

    python3 adapter.py < envelope.json
    python3 adapter.py --mutant plus_for_space < envelope.json
    python3 adapter.py --list-mutants

It exists so that every `must` case of the corpus is checked by two independent
implementations (this one and the Rust crate), and, through `--mutant NAME`, so CI can
prove that the corpus catches each deliberately broken behaviour.

With a stream of one-line envelopes on stdin (the harness's `--persistent` mode) it answers
each with one line, flushed, until stdin closes.

An envelope that is not JSON, or lacks `"protocol": 1`, or is structurally unusable
(for example `input` not an object) is a harness bug, not SDK input: the adapter
prints a message on stderr and exits 2 without a verdict.
"""

import argparse
import base64
import hashlib
import hmac
import json
import re
import sys
import time
from xml.parsers import expat

API_VERSION = "2014-05-26"
SIGNATURE_METHOD = "HMAC-SHA1"
SIGNATURE_VERSION = "1.0"

# Deliberately broken behaviours, selected with --mutant NAME (one at a time).
MUTANTS = (
    "plus_for_space",               # percent-encoding: space -> "+"
    "star_unencoded",               # percent-encoding: "*" left literal
    "tilde_encoded",                # percent-encoding: "~" -> "%7E"
    "lowercase_hex",                # percent-encoding: "%c3" instead of "%C3"
    "sort_case_insensitive",        # canonical query sorted case-insensitively
    "no_amp_on_key",                # HMAC key = secret (no trailing "&")
    "double_encode_missing",        # string to sign uses the canonical query as-is
    "signature_not_urlencoded",     # "&Signature=" + raw Base64
    "json_spaces_in_instance_ids",  # InstanceIds rendered with ", " separators
    "drop_single_item_list",        # a one-item list decodes as empty
    "empty_list_as_absent",         # a present but empty wrapper is omitted
    "trim_string_text",             # XML string fields are stripped
    "expand_dtd_entities",          # DOCTYPE accepted, internal entities expanded
    "ignore_unknown_fails",         # unknown fields/elements -> unexpected_shape
    "code_as_int",                  # numeric Code output as a JSON number
    "error_message_lowercase_key",  # JSON error message read from "message"
    "ignore_body",                  # every response -> output {}
    "sign_get_always",              # string to sign always starts with GET
    "accept_101_ids",               # no upper bound on the number of InstanceIds
    "status_ignored",               # non-2xx bodies decoded as success bodies
    # Signature V3 (since corpus 1.1.0)
    "v3_key_amp",                   # HMAC-SHA256 keyed with secret + "&" (the V1 habit)
    "v3_double_encode_query",       # canonical query line encoded twice (%25 everywhere)
    "v3_content_type_unsigned",     # a form body's content-type sent but not signed
    "v3_uppercase_hex",             # hashed canonical request and signature in uppercase hex
    "v3_accept_signed",             # the accept header signed
    "v3_format_in_query",           # Format sent as a query parameter (the V1 habit) instead of accept
    "v3_headers_not_merged",        # signer: names differing in case kept as separate lines
    # The server side, kind "incoming" (since corpus 1.1.0)
    "incoming_accept_any_signature",     # the signature is never compared
    "incoming_plus_literal",             # "+" in a query or form body is kept, not a space
    "incoming_duplicate_last_wins",      # a repeated parameter is accepted, the last value kept
    "incoming_form_body_ignored",        # a POSTed form body is not read as parameters
    "incoming_signed_headers_unchecked", # host, content-type and x-acs-* need not be signed
    "incoming_body_hash_unchecked",      # x-acs-content-sha256 trusted as the payload hash
    "incoming_v3_raw_query",             # V3 canonical query = the wire query as sent
    "incoming_empty_values_unsigned",    # V1: empty parameters left out of the string to sign
    # The retry hint (since corpus 1.1.0)
    "retry_after_ignored",          # x-acs-retry-after never read: status and code only
    "retry_after_zero_is_hint",     # x-acs-retry-after: 0 taken as a hint (retry at once)
    # DescribeInstanceRamRole (since corpus 1.1.0)
    "describe_filters_unchecked",   # neither InstanceIds nor RamRoleName accepted (no AllEmpty)
    "describe_paging_dropped",      # PageNumber/PageSize left out of the value (as the SDK models lack them)
    # The persistent mode: an adapter that breaks mid-stream (the harness must report the
    # case it broke on as a crash, start a fresh adapter and finish the run)
    "stream_exit_on_5",             # exits without a verdict on its 5th envelope
    "stream_garbage_on_5",          # prints a line that is not a verdict for its 5th envelope
    "stream_hang_on_5",             # never answers its 5th envelope
)

# The envelope a stream_* mutant breaks on, counted from 1 per adapter process.
STREAM_BREAK_AT = 5

MUTANT = None  # the active mutant name, or None for the correct behaviour


def mutant(name):
    """True when the named mutant is active (guards against typos in the names)."""
    assert name in MUTANTS, name
    return MUTANT == name


# Nesting deeper than this (JSON containers or XML elements, the root counting as 1) is
# answered with limit_exceeded. Real bodies nest about 6 levels deep.
MAX_DEPTH = 256

U32_MAX = 2**32 - 1
I64_MAX = 2**63 - 1
MAX_INSTANCE_IDS = 100
MAX_POLICY_CHARS = 1024


class Reject(Exception):
    """A reject verdict: reject_kind from the README's closed vocabulary."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Unsupported(Exception):
    """An `unsupported` verdict (unknown kind or operation, other signing algorithm)."""


class EnvelopeError(Exception):
    """The envelope itself is unusable: no verdict, exit status 2."""


# --------------------------------------------------------------------------------------
# Strict JSON
# --------------------------------------------------------------------------------------

class JNum:
    """A JSON number kept as its literal text.

    Keeping the text (instead of int/float) lets us tell `1` from `1.0`, check ranges
    without Python's int-conversion digit limit, and echo numbers inside
    AccessDeniedDetail exactly as the server wrote them.
    """

    __slots__ = ("text", "is_int")

    def __init__(self, text, is_int):
        self.text = text
        self.is_int = is_int

    def int_value(self, max_digits=40):
        """The integer value, or None when the literal has too many digits to matter."""
        if not self.is_int or len(self.text.lstrip("-")) > max_digits:
            return None
        return int(self.text)


class JObj(dict):
    """A JSON object that remembers which keys occurred more than once.

    Python's json keeps the last duplicate silently; the decoders need to know, because
    a duplicated known field is unexpected_shape.
    """

    __slots__ = ("dups",)


def _object_pairs(pairs):
    obj = JObj()
    obj.dups = set()
    for key, value in pairs:
        if key in obj:
            obj.dups.add(key)
        obj[key] = value
    return obj


def _reject_constant(name):
    # NaN, Infinity and -Infinity are Python extensions, not JSON.
    raise ValueError("non-JSON constant " + name)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _walk_strings_and_depth(value):
    """Iteratively yields (string, depth) for every key and string value.

    Iterative on purpose: the depth of bodies is only bounded by MAX_DEPTH afterwards.
    """
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str):
            yield v, depth
        elif isinstance(v, dict):
            yield None, depth
            for k, child in v.items():
                yield k, depth
                stack.append((child, depth + 1))
        elif isinstance(v, list):
            yield None, depth
            for child in v:
                stack.append((child, depth + 1))


def strict_json_loads(text):
    """json.loads, but strict RFC 8259: no NaN/Infinity, numbers as JNum, JObj objects.

    Raises ValueError for anything that is not valid JSON (including strings holding
    lone surrogates, which no UTF-8 consumer can represent) and RecursionError when the
    C scanner's recursion limit is hit.
    """
    value = json.loads(
        text,
        object_pairs_hook=_object_pairs,
        parse_int=lambda s: JNum(s, True),
        parse_float=lambda s: JNum(s, False),
        parse_constant=_reject_constant,
    )
    return value


def check_json_tree(value):
    """Rejects lone surrogates (malformed_body) and excessive nesting (limit_exceeded)."""
    for s, depth in _walk_strings_and_depth(value):
        if depth > MAX_DEPTH:
            raise Reject("limit_exceeded", "JSON nesting deeper than %d" % MAX_DEPTH)
        if s is not None and _LONE_SURROGATE.search(s):
            raise Reject("malformed_body", "JSON string holds a lone surrogate")


def dump_json(value):
    """Serializes a verdict; JNum values are written back as their literal text."""
    if isinstance(value, JNum):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(dump_json(str(k)) + ":" + dump_json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dump_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------------------
# Signature V1 (HMAC-SHA1)
# --------------------------------------------------------------------------------------

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def percent_encode(text):
    """RFC 3986 encoding of the UTF-8 bytes: only A-Z a-z 0-9 - _ . ~ stay literal."""
    unreserved = set(_UNRESERVED)
    if mutant("star_unencoded"):
        unreserved.add(ord("*"))
    if mutant("tilde_encoded"):
        unreserved.discard(ord("~"))
    hex_format = "%%%02x" if mutant("lowercase_hex") else "%%%02X"
    out = []
    for byte in text.encode("utf-8"):
        if byte in unreserved:
            out.append(chr(byte))
        elif byte == 0x20 and mutant("plus_for_space"):
            out.append("+")
        else:
            out.append(hex_format % byte)
    return "".join(out)


def canonical_query(params):
    """`enc(k)=enc(v)&...`, sorted by the raw names' UTF-8 bytes (= code point order)."""
    if mutant("sort_case_insensitive"):
        key = lambda item: (item[0].lower(), item[0])  # noqa: E731
    else:
        key = lambda item: item[0].encode("utf-8")  # noqa: E731
    return "&".join(percent_encode(k) + "=" + percent_encode(v) for k, v in sorted(params.items(), key=key))


def sign(method, secret, params):
    """Returns (canonical_query, string_to_sign, signature) for Signature V1."""
    query = canonical_query(params)
    sts_method = "GET" if mutant("sign_get_always") else method
    if mutant("double_encode_missing"):
        string_to_sign = sts_method + "&%2F&" + query
    else:
        string_to_sign = sts_method + "&" + percent_encode("/") + "&" + percent_encode(query)
    key = secret.encode("utf-8")
    if not mutant("no_amp_on_key"):
        key += b"&"
    digest = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return query, string_to_sign, base64.b64encode(digest).decode("ascii")


# --------------------------------------------------------------------------------------
# Signature V3 (ACS3-HMAC-SHA256)
# --------------------------------------------------------------------------------------

V3_ALGORITHM = "ACS3-HMAC-SHA256"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
_HEADER_WS = " \t"


def hex_digest(digest):
    """Lowercase hex, as V3 requires (the mutant writes uppercase)."""
    text = digest.hex()
    return text.upper() if mutant("v3_uppercase_hex") else text


def v3_canonical_query(params):
    """The V3 canonical query line: the V1 canonical query (each name and value encoded once)."""
    if mutant("v3_double_encode_query"):
        params = {percent_encode(k): percent_encode(v) for k, v in params.items()}
    return canonical_query(params)


def v3_canonical_headers(pairs):
    """(canonical header lines, signed names) for (name, value) pairs.

    Names are lowercased; values trimmed of spaces and tabs; names that differ only in case
    are merged into one line whose values are sorted (by their UTF-8 bytes) and ','-joined;
    lines are sorted by name.
    """
    if mutant("v3_headers_not_merged"):
        lines = sorted((name.lower(), value.strip(_HEADER_WS)) for name, value in pairs)
        return "".join("%s:%s\n" % line for line in lines), ";".join(name for name, _ in lines)
    merged = {}
    for name, value in pairs:
        merged.setdefault(name.lower(), []).append(value.strip(_HEADER_WS))
    names = sorted(merged, key=lambda n: n.encode("utf-8"))
    lines = "".join("%s:%s\n" % (n, ",".join(sorted(merged[n], key=lambda v: v.encode("utf-8")))) for n in names)
    return lines, ";".join(names)


def v3_sign(method, path, query, pairs, payload_sha256, access_key_id, secret, query_line=None):
    """Every V3 stage; every pair given is signed. `query_line` replaces the canonical query
    line (for a mutant of the server side only)."""
    lines, signed = v3_canonical_headers(pairs)
    if query_line is None:
        query_line = v3_canonical_query(query)
    canonical_request = "\n".join((method, path or "/", query_line, lines, signed, payload_sha256))
    hashed = hex_digest(hashlib.sha256(canonical_request.encode("utf-8")).digest())
    string_to_sign = V3_ALGORITHM + "\n" + hashed
    key = secret.encode("utf-8") + (b"&" if mutant("v3_key_amp") else b"")
    signature = hex_digest(hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).digest())
    authorization = "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (V3_ALGORITHM, access_key_id, signed, signature)
    return {
        "canonical_request": canonical_request,
        "hashed_canonical_request": hashed,
        "string_to_sign": string_to_sign,
        "signature": signature,
        "authorization": authorization,
    }


_LOWER_HEX_64 = re.compile(r"[0-9a-f]{64}")


def handle_sign_v3(inp):
    """The V3 signer: signs every header given."""
    method = inp.get("method")
    if method is None:
        method = "POST"
    path = inp.get("path")
    query = inp.get("query")
    query = {} if query is None else query
    headers = inp.get("headers")
    headers = [] if headers is None else headers
    payload = inp.get("payload_sha256")
    body_b64 = inp.get("body_base64")
    access_key_id = inp.get("access_key_id")
    secret = inp.get("access_key_secret")

    # Types.
    if path is not None and not isinstance(path, str):
        raise Reject("type_mismatch", "path is not a string")
    if not isinstance(query, dict):
        raise Reject("type_mismatch", "query is not an object of strings")
    for name in sorted(query):
        if not isinstance(query[name], str):
            raise Reject("type_mismatch", "query value %s is not a string" % name)
    if not isinstance(headers, list) or not all(
        isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers
    ):
        raise Reject("type_mismatch", "headers must be [name, value] pairs of strings")
    for field, value in (("payload_sha256", payload), ("body_base64", body_b64),
                         ("access_key_id", access_key_id), ("access_key_secret", secret)):
        if value is not None and not isinstance(value, str):
            raise Reject("type_mismatch", "%s is not a string" % field)
    # Missing.
    for field, value in (("access_key_id", access_key_id), ("access_key_secret", secret)):
        if value is None:
            raise Reject("missing_required", "%s is required" % field)
    # Constraints.
    if method not in ("GET", "POST"):
        raise Reject("constraint_violation", "method must be GET or POST")
    if access_key_id == "" or secret == "":
        raise Reject("constraint_violation", "access_key_id and access_key_secret must not be empty")
    if any(name.lower() == "authorization" for name, _ in headers):
        raise Reject("constraint_violation", "authorization is the signer's output, not an input")
    if payload is not None and body_b64 is not None:
        raise Reject("constraint_violation", "payload_sha256 and body_base64 are alternatives")
    if payload is not None:
        if not _LOWER_HEX_64.fullmatch(payload):
            raise Reject("constraint_violation", "payload_sha256 must be 64 lowercase hex digits")
    else:
        try:
            body = base64.b64decode(body_b64 or "", validate=True)
        except ValueError:
            raise Reject("constraint_violation", "body_base64 is not Base64") from None
        payload = hashlib.sha256(body).hexdigest()

    stages = v3_sign(method, path, query, [tuple(h) for h in headers], payload, access_key_id, secret)
    return dict({"outcome": "signature"}, **stages)


# --------------------------------------------------------------------------------------
# kind: "sign"
# --------------------------------------------------------------------------------------

def handle_sign(env):
    inp = env.get("input")
    if not isinstance(inp, dict):
        raise EnvelopeError("sign envelope: input must be an object")
    algorithm = inp.get("algorithm")
    if algorithm == V3_ALGORITHM:
        return handle_sign_v3(inp)
    if algorithm not in (None, SIGNATURE_METHOD):
        raise Unsupported("signing algorithm %r is not implemented" % (algorithm,))
    params = inp.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise EnvelopeError("sign envelope: input.params must be an object")
    method = inp.get("method")
    if method is None:  # absent (or null) means POST, as for kind "request"
        method = "POST"
    secret = inp.get("access_key_secret")

    # Type checks first: the signer signs strings only.
    for name in sorted(params):
        if not isinstance(params[name], str):
            raise Reject("type_mismatch", "parameter %s is not a string" % name)
    if secret is not None and not isinstance(secret, str):
        raise Reject("type_mismatch", "access_key_secret is not a string")
    # Then constraints.
    if "Signature" in params:
        raise Reject("constraint_violation", "Signature is never part of the signed parameters")
    if not secret:
        raise Reject("constraint_violation", "access_key_secret is absent or empty")
    if method not in ("GET", "POST"):
        raise Reject("constraint_violation", "method must be GET or POST")

    query, sts, signature = sign(method, secret, params)
    return {"outcome": "signature", "canonical_query": query, "string_to_sign": sts, "signature": signature}


# --------------------------------------------------------------------------------------
# kind: "request"
# --------------------------------------------------------------------------------------

# Parameter name -> kind. "string" = JSON string, "long" = non-negative JSON integer,
# "ids" = InstanceIds (JSON array of strings, or raw JSON text in a string).
ATTACH_PARAMS = {
    "RegionId": "string",
    "InstanceIds": "ids",
    "RamRoleName": "string",
    "Policy": "string",
    "OwnerId": "long",
    "ResourceOwnerId": "long",
    "ResourceOwnerAccount": "string",
}
DETACH_PARAMS = {k: v for k, v in ATTACH_PARAMS.items() if k != "Policy"}
# "page_number" and "page_size" are typed like "long" (non-negative JSON integers) and then
# held to their range, PAGE_RANGES, as a constraint.
DESCRIBE_PARAMS = {
    "RegionId": "string",
    "InstanceIds": "ids",
    "RamRoleName": "string",
    "PageNumber": "page_number",
    "PageSize": "page_size",
    "OwnerId": "long",
    "ResourceOwnerId": "long",
    "ResourceOwnerAccount": "string",
}
INTEGER_KINDS = ("long", "page_number", "page_size")
# PageNumber: from 1 (the page gives no maximum; the SDK models are 32-bit Integers).
# PageSize: 1 to 50 ("Valid values: 1 to 50").
PAGE_RANGES = {"page_number": (1, 2**31 - 1), "page_size": (1, 50)}

OPERATIONS = {
    "AttachInstanceRamRole": {"params": ATTACH_PARAMS, "required": ("RegionId", "InstanceIds", "RamRoleName")},
    "DetachInstanceRamRole": {"params": DETACH_PARAMS, "required": ("RegionId", "InstanceIds")},
    # At least one of `one_of` must be given (the service's 403 InvalidParameter.AllEmpty).
    "DescribeInstanceRamRole": {"params": DESCRIBE_PARAMS, "required": ("RegionId",), "one_of": ("InstanceIds", "RamRoleName")},
}


def all_empty(spec, params):
    """True when the operation needs one of several parameters and none is present."""
    one_of = spec.get("one_of")
    if not one_of or mutant("describe_filters_unchecked"):
        return False
    return not any(name in params for name in one_of)

# Parameters that must not be empty strings when present.
NON_EMPTY_PARAMS = ("RegionId", "RamRoleName", "ResourceOwnerAccount")

SIGNING_FIELDS = ("access_key_id", "access_key_secret", "timestamp", "nonce")

_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")


def valid_timestamp(text):
    """`YYYY-MM-DDThh:mm:ssZ` with real calendar ranges (no leap second 60)."""
    m = _TIMESTAMP.fullmatch(text)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days and hour <= 23 and minute <= 59 and second <= 59


def max_ids():
    return None if mutant("accept_101_ids") else MAX_INSTANCE_IDS


def check_id_count(count):
    limit = max_ids()
    if count < 1 or (limit is not None and count > limit):
        raise Reject("constraint_violation", "InstanceIds must hold 1 to 100 IDs, got %d" % count)


def render_instance_ids(value):
    """The InstanceIds wire value. `value` already passed the type checks."""
    if isinstance(value, list):
        check_id_count(len(value))
        if any(item == "" for item in value):
            raise Reject("constraint_violation", "InstanceIds holds an empty ID")
        separators = (", ", ":") if mutant("json_spaces_in_instance_ids") else (",", ":")
        # Compact, non-ASCII raw; json escapes only `"`, `\` and control characters.
        return json.dumps(value, separators=separators, ensure_ascii=False)
    # Raw JSON text: validated, then sent byte-for-byte.
    try:
        parsed = strict_json_loads(value)
    except (ValueError, RecursionError):
        raise Reject("constraint_violation", "InstanceIds text is not JSON") from None
    if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
        raise Reject("constraint_violation", "InstanceIds text is not a JSON array of strings")
    if any(_LONE_SURROGATE.search(item) for item in parsed):
        raise Reject("constraint_violation", "InstanceIds text holds a lone surrogate escape")
    check_id_count(len(parsed))
    if any(item == "" for item in parsed):
        raise Reject("constraint_violation", "InstanceIds holds an empty ID")
    return value


def check_param_type(name, kind, value):
    if kind == "string":
        if not isinstance(value, str):
            raise Reject("type_mismatch", "%s must be a JSON string" % name)
    elif kind in INTEGER_KINDS:
        # bool is a subclass of int in Python but not a JSON integer.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= I64_MAX:
            raise Reject("type_mismatch", "%s must be a non-negative JSON integer (Long)" % name)
    elif kind == "ids":
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                raise Reject("type_mismatch", "InstanceIds array holds a non-string element")
        elif not isinstance(value, str):
            raise Reject("type_mismatch", "InstanceIds must be an array of strings or a JSON text string")


def handle_request(env):
    operation = env.get("operation")
    if operation not in OPERATIONS:
        raise Unsupported("unknown operation %r" % (operation,))
    spec = OPERATIONS[operation]
    inp = env.get("input")
    if not isinstance(inp, dict):
        raise EnvelopeError("request envelope: input must be an object")
    params = inp.get("params", {})
    context = inp.get("context", {})
    params = {} if params is None else params
    context = {} if context is None else context
    if not isinstance(params, dict) or not isinstance(context, dict):
        raise EnvelopeError("request envelope: input.params and input.context must be objects")
    signing = context.get("signing")
    if signing is not None and not isinstance(signing, dict):
        raise EnvelopeError("request envelope: context.signing must be an object")

    # A JSON null counts as absent everywhere in the input (as in responses).
    params = {k: v for k, v in params.items() if v is not None}
    if signing is not None:
        signing = {k: v for k, v in signing.items() if v is not None}
        algorithm = signing.get("algorithm", SIGNATURE_METHOD)
        if algorithm not in (SIGNATURE_METHOD, V3_ALGORITHM):
            raise Unsupported("signing algorithm %r is not implemented" % (algorithm,))
    v3 = signing is not None and signing.get("algorithm") == V3_ALGORITHM

    known = spec["params"]
    # 1. Type checks (known parameters and signing fields).
    for name in sorted(params):
        if name in known:
            check_param_type(name, known[name], params[name])
    if signing is not None:
        for field in SIGNING_FIELDS + ("security_token",):
            if field in signing and not isinstance(signing[field], str):
                raise Reject("type_mismatch", "signing.%s must be a string" % field)

    # 2. Missing required.
    for name in spec["required"]:
        if name not in params:
            raise Reject("missing_required", "%s is required" % name)
    if signing is not None:
        for field in SIGNING_FIELDS:
            if field not in signing:
                raise Reject("missing_required", "signing.%s is required" % field)

    # 3. Constraints.
    for name in sorted(params):
        if name not in known:
            raise Reject("constraint_violation", "%s is not a parameter of %s" % (name, operation))
    for name in NON_EMPTY_PARAMS:
        if params.get(name) == "":
            raise Reject("constraint_violation", "%s must not be empty" % name)
    ids_wire = render_instance_ids(params["InstanceIds"]) if "InstanceIds" in params else None
    if "Policy" in params and not 1 <= len(params["Policy"]) <= MAX_POLICY_CHARS:
        # len() counts code points = Unicode scalar values (lone surrogates were refused).
        raise Reject("constraint_violation", "Policy must hold 1 to 1024 characters")
    for name in sorted(params):
        if known[name] in PAGE_RANGES:
            low, high = PAGE_RANGES[known[name]]
            if not low <= params[name] <= high:
                raise Reject("constraint_violation", "%s must be %d to %d" % (name, low, high))
    if all_empty(spec, params):
        raise Reject("constraint_violation", "give at least one of %s" % ", ".join(spec["one_of"]))
    method = context.get("method", "POST")
    if method is None:
        method = "POST"
    if method not in ("GET", "POST"):
        raise Reject("constraint_violation", "method must be GET or POST")
    fmt = context.get("format")
    if fmt is not None and fmt not in ("JSON", "XML"):
        raise Reject("constraint_violation", "format must be JSON or XML")
    placement = context.get("placement")
    placement = "query" if placement is None else placement
    if placement not in ("query", "body"):
        raise Reject("constraint_violation", "placement must be \"query\" or \"body\"")
    if placement == "body" and not v3:
        raise Reject("constraint_violation", "body placement needs ACS3-HMAC-SHA256 signing")
    if placement == "body" and method != "POST":
        raise Reject("constraint_violation", "body placement needs POST")
    host = context.get("host")
    host = DEFAULT_HOST if host is None else host
    if not isinstance(host, str) or host == "":
        raise Reject("constraint_violation", "host must be a non-empty string")
    if signing is not None:
        for field in ("access_key_id", "access_key_secret", "nonce", "security_token"):
            if signing.get(field) == "":
                raise Reject("constraint_violation", "signing.%s must not be empty" % field)
        if not valid_timestamp(signing["timestamp"]):
            raise Reject("constraint_violation", "signing.timestamp must be YYYY-MM-DDThh:mm:ssZ")

    # The operation's parameters as wire strings.
    operation_params = {}
    for name, value in params.items():
        if name == "InstanceIds":
            operation_params[name] = ids_wire
        elif known[name] in INTEGER_KINDS:
            operation_params[name] = str(value)
        else:
            operation_params[name] = value
    if v3:
        return build_v3_request(operation, operation_params, method, fmt, host, placement, signing)

    # Signature V1 (or unsigned): everything in the query.
    wire = {"Action": operation, "Version": API_VERSION}
    if fmt is not None:
        wire["Format"] = fmt
    wire.update(operation_params)
    if signing is None:
        query = canonical_query(wire)
        return {"outcome": "request", "method": method, "query": query, "stages": {"canonical_query": query}}

    # SignatureType is deliberately not sent (Tea V1 style); it would change the signature.
    wire.update({
        "AccessKeyId": signing["access_key_id"],
        "SignatureMethod": SIGNATURE_METHOD,
        "SignatureVersion": SIGNATURE_VERSION,
        "SignatureNonce": signing["nonce"],
        "Timestamp": signing["timestamp"],
    })
    if "security_token" in signing:
        wire["SecurityToken"] = signing["security_token"]
    query, sts, signature = sign(method, signing["access_key_secret"], wire)
    encoded_signature = signature if mutant("signature_not_urlencoded") else percent_encode(signature)
    return {
        "outcome": "request",
        "method": method,
        "query": query + "&Signature=" + encoded_signature,
        "stages": {"canonical_query": query, "string_to_sign": sts, "signature": signature},
    }


DEFAULT_HOST = "ecs.aliyuncs.com"
ACCEPT = {"JSON": "application/json", "XML": "application/xml"}


def build_v3_request(operation, operation_params, method, fmt, host, placement, signing):
    """A V3 request as the Tea SDKs send it: the operation's parameters alone, in the query or
    in a form body; Action and Version in headers; the format as an unsigned accept header."""
    query_params = dict(operation_params)
    if fmt is not None and mutant("v3_format_in_query"):
        query_params["Format"] = fmt
    encoded = canonical_query(query_params)
    if placement == "body":
        query, body, signed_query = "", encoded, {}
    else:
        query, body, signed_query = encoded, "", query_params
    payload = hashlib.sha256(body.encode("utf-8")).hexdigest()
    signed = [
        ("host", host),
        ("x-acs-action", operation),
        ("x-acs-content-sha256", payload),
        ("x-acs-date", signing["timestamp"]),
        ("x-acs-signature-nonce", signing["nonce"]),
        ("x-acs-version", API_VERSION),
    ]
    unsigned = []
    if "security_token" in signing:
        signed.append(("x-acs-security-token", signing["security_token"]))
    if body:
        (unsigned if mutant("v3_content_type_unsigned") else signed).append(("content-type", FORM_CONTENT_TYPE))
    if fmt is not None and not mutant("v3_format_in_query"):
        (signed if mutant("v3_accept_signed") else unsigned).append(("accept", ACCEPT[fmt]))
    stages = v3_sign(method, "/", signed_query, signed, payload, signing["access_key_id"], signing["access_key_secret"])
    headers = sorted(signed + unsigned + [("authorization", stages["authorization"])], key=lambda h: h[0].encode("utf-8"))
    return {
        "outcome": "request",
        "method": method,
        "query": query,
        "headers": [list(h) for h in headers],
        "body": body,
        "stages": stages,
    }


# --------------------------------------------------------------------------------------
# kind: "incoming" (the server side)
# --------------------------------------------------------------------------------------

class Refusal(Exception):
    """The service's answer to a request it refuses: HTTP status, code, and for
    SignatureDoesNotMatch the server's string to sign."""

    def __init__(self, status, code, string_to_sign=None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.string_to_sign = string_to_sign


# Parameters that belong to a V1 signature: under a V3 authorization they are refused.
V1_SIGNING_PARAMS = ("AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureType",
                     "SignatureVersion", "SecurityToken", "Timestamp")
# The headers a V3 request must carry (x-acs-action and x-acs-version are checked first).
V3_REQUIRED_HEADERS = ("host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")
_V3_AUTHORIZATION = re.compile(r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9A-Fa-f]+)")
_HEX = frozenset(b"0123456789ABCDEFabcdef")


def form_decode(raw):
    """One name or value of a query or form body: '+' is a space, %XY a byte, the result
    UTF-8. Anything else is InvalidParameter."""
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == 0x25:  # %
            pair = raw[i + 1:i + 3]
            if len(pair) != 2 or not all(b in _HEX for b in pair):
                raise Refusal(400, "InvalidParameter")
            out.append(int(pair, 16))
            i += 3
            continue
        if byte == 0x2B and not mutant("incoming_plus_literal"):  # +
            out.append(0x20)
        else:
            out.append(byte)
        i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "InvalidParameter") from None


def form_pairs(raw):
    """`a=1&b=2` (bytes) -> [(name, value)], decoded. Empty pieces are skipped; a piece
    without '=' is a name with an empty value."""
    pairs = []
    for piece in raw.split(b"&"):
        if piece:
            name, _, value = piece.partition(b"=")
            pairs.append((form_decode(name), form_decode(value)))
    return pairs


def merge_headers(pairs):
    """Header name (lowercase) -> value, merged as the V3 signer merges them: values trimmed,
    names that differ only in case joined into one value, values sorted and ','-joined."""
    merged = {}
    for name, value in pairs:
        merged.setdefault(name.lower(), []).append(value.strip(_HEADER_WS))
    return {name: ",".join(sorted(values, key=lambda v: v.encode("utf-8"))) for name, values in merged.items()}


def is_form(content_type):
    if content_type is None:
        return False
    return content_type.split(";", 1)[0].strip(_HEADER_WS).lower() == FORM_CONTENT_TYPE


def add_params(into, pairs):
    for name, value in pairs:
        if name in into and not mutant("incoming_duplicate_last_wins"):
            raise Refusal(400, "InvalidParameter")  # which value was meant, and signed?
        into[name] = value


def operation_of(action):
    """Action -> operation, or 403 InvalidAction."""
    if action not in OPERATIONS:
        raise Refusal(403, "InvalidAction")
    return action


def check_version(version, missing_code):
    if version is None:
        raise Refusal(400, missing_code)
    if version != API_VERSION:
        raise Refusal(400, "InvalidParameter")


def serve_v1(method, params, credentials):
    """Step 3 of the README's procedure: a V1 (HMAC-SHA1) request."""
    action = params.get("Action")
    if action is None:
        raise Refusal(400, "MissingParameter.Action")
    operation = operation_of(action)
    check_version(params.get("Version"), "MissingParameter.Version")
    if "Signature" not in params:
        raise Refusal(400, "IncompleteSignature")
    for name, want in (("SignatureMethod", SIGNATURE_METHOD), ("SignatureVersion", SIGNATURE_VERSION)):
        if name not in params:
            raise Refusal(400, "MissingParameter." + name)
        if params[name] != want:
            raise Refusal(400, "IncompleteSignature")
    if "AccessKeyId" not in params:
        raise Refusal(400, "MissingParameter.AccessKeyId")
    secret = credentials.get(params["AccessKeyId"])
    if secret is None:
        raise Refusal(400, "InvalidAccessKeyId.NotFound")
    if "SignatureNonce" not in params:
        raise Refusal(400, "MissingParameter.SignatureNonce")
    if "Timestamp" not in params:
        raise Refusal(400, "MissingParameter.Timestamp")
    if not valid_timestamp(params["Timestamp"]):
        raise Refusal(400, "IllegalTimestamp")
    signed = {k: v for k, v in params.items() if k != "Signature"}
    if mutant("incoming_empty_values_unsigned"):
        signed = {k: v for k, v in signed.items() if v != ""}
    _, string_to_sign, signature = sign(method, secret, signed)
    if signature != params["Signature"] and not mutant("incoming_accept_any_signature"):
        raise Refusal(400, "SignatureDoesNotMatch", string_to_sign)
    return accept_operation(operation, SIGNATURE_VERSION, params)


def serve_v3(method, path, raw_query, query_params, params, headers, body, credentials):
    """Step 4 of the README's procedure: a V3 (ACS3-HMAC-SHA256) request."""
    m = _V3_AUTHORIZATION.fullmatch(headers["authorization"])
    if not m:
        raise Refusal(400, "IncompleteSignature")
    credential, signed_list, signature = m.groups()
    action = headers.get("x-acs-action")
    if action is None:
        raise Refusal(400, "MissingParameter.Action")
    operation = operation_of(action)
    check_version(headers.get("x-acs-version"), "MissingParameter.Version")
    if any(name in params for name in V1_SIGNING_PARAMS):
        raise Refusal(400, "InvalidParameter")  # which of the two signatures would count?
    if any(name not in headers for name in V3_REQUIRED_HEADERS):
        raise Refusal(400, "IncompleteSignature")
    names = signed_list.split(";")
    ordered = all(a.encode("utf-8") < b.encode("utf-8") for a, b in zip(names, names[1:]))
    if not ordered or any(n != n.lower() for n in names) or any(n not in headers for n in names):
        raise Refusal(400, "IncompleteSignature")
    must_sign = {n for n in headers if n in ("host", "content-type") or n.startswith("x-acs-")}
    if not must_sign <= set(names) and not mutant("incoming_signed_headers_unchecked"):
        raise Refusal(400, "IncompleteSignature")
    secret = credentials.get(credential)
    if secret is None:
        raise Refusal(400, "InvalidAccessKeyId.NotFound")
    if not valid_timestamp(headers["x-acs-date"]):
        raise Refusal(400, "IllegalTimestamp")
    body_sha256 = hashlib.sha256(body).hexdigest()
    claimed = headers["x-acs-content-sha256"]
    payload = claimed if mutant("incoming_body_hash_unchecked") else body_sha256
    stages = v3_sign(method, path, query_params, [(n, headers[n]) for n in names], payload, credential, secret,
                     query_line=raw_query if mutant("incoming_v3_raw_query") else None)
    if claimed != payload:
        raise Refusal(400, "SignatureDoesNotMatch", stages["string_to_sign"])
    if stages["signature"] != signature and not mutant("incoming_accept_any_signature"):
        raise Refusal(400, "SignatureDoesNotMatch", stages["string_to_sign"])
    return accept_operation(operation, V3_ALGORITHM, params)


def accept_operation(operation, signature_version, params):
    """Step 5: the operation's parameters by the request rules, with the service's codes.
    Parameters the operation does not have are ignored."""
    spec = OPERATIONS[operation]
    known = spec["params"]
    for name in spec["required"]:
        if name not in params:
            raise Refusal(400, "MissingParameter." + name)
    ids = None
    if "InstanceIds" in params:
        try:
            ids = strict_json_loads(params["InstanceIds"])
        except (ValueError, RecursionError):
            raise Refusal(400, "InvalidInstanceIds.Malformed") from None
        limit = max_ids()
        if (not isinstance(ids, list) or not all(isinstance(i, str) and i != "" and not _LONE_SURROGATE.search(i) for i in ids)
                or not ids or (limit is not None and len(ids) > limit)):
            raise Refusal(400, "InvalidInstanceIds.Malformed")
    out = {}
    for name in sorted(known):
        if name not in params:
            continue
        value = params[name]
        if name == "InstanceIds":
            out[name] = ids
        elif known[name] in INTEGER_KINDS:
            if not re.fullmatch(r"[0-9]+", value) or int(value) > I64_MAX:
                raise Refusal(400, "InvalidParameter")
            low, high = PAGE_RANGES.get(known[name], (0, I64_MAX))
            if not low <= int(value) <= high:
                raise Refusal(400, "InvalidParameter")
            out[name] = int(value)
        else:
            if name in NON_EMPTY_PARAMS and value == "":
                raise Refusal(400, "InvalidParameter")
            if name == "Policy" and not 1 <= len(value) <= MAX_POLICY_CHARS:
                raise Refusal(400, "InvalidParameter")
            out[name] = value
    if all_empty(spec, params):
        raise Refusal(403, "InvalidParameter.AllEmpty")  # after every parameter's own rule
    return {"outcome": "accepted", "operation": operation, "signature_version": signature_version, "params": out}


def handle_incoming(env):
    inp = env.get("input")
    if not isinstance(inp, dict):
        raise EnvelopeError("incoming envelope: input must be an object")
    method = inp.get("method")
    path = inp.get("path")
    query = inp.get("query")
    query = "" if query is None else query
    headers = inp.get("headers")
    headers = [] if headers is None else headers
    body_b64 = inp.get("body_base64")
    credentials = inp.get("credentials")
    credentials = {} if credentials is None else credentials
    if not isinstance(method, str) or not isinstance(query, str) or (path is not None and not isinstance(path, str)):
        raise EnvelopeError("incoming envelope: method, path and query must be strings")
    if not isinstance(headers, list) or not all(
        isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers
    ):
        raise EnvelopeError("incoming envelope: headers must be [name, value] string pairs")
    if not isinstance(credentials, dict) or not all(isinstance(v, str) for v in credentials.values()):
        raise EnvelopeError("incoming envelope: credentials must map key ids to secrets")
    try:
        body = base64.b64decode(body_b64 or "", validate=True)
    except (ValueError, TypeError):
        raise EnvelopeError("incoming envelope: body_base64 is not Base64") from None

    try:
        merged = merge_headers(headers)
        # 1. Query and body.
        query_params = {}
        add_params(query_params, form_pairs(query.encode("utf-8")))
        params = dict(query_params)
        if method == "POST" and is_form(merged.get("content-type")) and not mutant("incoming_form_body_ignored"):
            add_params(params, form_pairs(body))
        # 2. Which signature.
        if "authorization" in merged:
            return serve_v3(method, path or "/", query, query_params, params, merged, body, credentials)
        return serve_v1(method, params, credentials)
    except Refusal as r:
        error = {"http_status": r.status, "code": r.code}
        if r.code == "SignatureDoesNotMatch":
            error["server_string_to_sign"] = r.string_to_sign
        return {"outcome": "service_error", "error": error}


# --------------------------------------------------------------------------------------
# Response bodies: format choice and parsing
# --------------------------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"
_XML_WS = " \t\r\n"


def choose_format(headers, requested, body):
    """Content-Type naming JSON/XML, else the requested format, else sniffing; None if unknown."""
    for name, value in headers:
        if name.lower() == "content-type":
            ct = value.lower()
            if "json" in ct:
                return "json"
            if "xml" in ct:
                return "xml"
            break  # only the first Content-Type counts
    if isinstance(requested, str) and requested.lower() in ("json", "xml"):
        return requested.lower()
    rest = body[3:] if body.startswith(BOM) else body
    rest = rest.lstrip(b" \t\r\n")
    if rest[:1] == b"<":
        return "xml"
    if rest[:1] in (b"{", b"["):
        return "json"
    return None


def parse_json_body(body):
    """Bytes -> JSON value (JObj/list/str/JNum/bool/None) or Reject."""
    if body.startswith(BOM):
        body = body[3:]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject("malformed_body", "body is not valid UTF-8") from None
    try:
        value = strict_json_loads(text)
    except RecursionError:
        raise Reject("limit_exceeded", "JSON nesting too deep") from None
    except ValueError as e:
        raise Reject("malformed_body", "not valid JSON: %s" % e) from None
    check_json_tree(value)
    return value


class Node:
    """An XML element: name, child elements in order, and its own text pieces."""

    __slots__ = ("name", "children", "text")

    def __init__(self, name):
        self.name = name
        self.children = []
        self.text = []

    def own_text(self):
        return "".join(self.text)


class _Doctype(Exception):
    pass


class _TooDeep(Exception):
    pass


def parse_xml_body(body):
    """Bytes -> root Node, or Reject.

    The body is always read as UTF-8 (the declared encoding is not consulted). Any
    DOCTYPE is refused before its internal subset is read, so no entity is ever declared,
    expanded or fetched; expat itself resolves only the five predefined entities and
    character references, and reports undefined ones as errors.
    """
    try:
        body.decode("utf-8")  # expat would accept some invalid sequences; be strict
    except UnicodeDecodeError:
        raise Reject("malformed_body", "body is not valid UTF-8") from None

    parser = expat.ParserCreate("UTF-8")
    parser.buffer_text = True
    stack = []
    result = []

    def start(name, _attrs):  # attributes are ignored everywhere
        node = Node(name)
        if stack:
            stack[-1].children.append(node)
        else:
            result.append(node)
        stack.append(node)
        if len(stack) > MAX_DEPTH:
            raise _TooDeep()

    def end(_name):
        stack.pop()

    def chars(data):
        if stack:
            stack[-1].text.append(data)

    def doctype(*_args):
        raise _Doctype()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars  # CDATA content arrives here too
    if not mutant("expand_dtd_entities"):
        parser.StartDoctypeDeclHandler = doctype
    # Never read external entities or the external DTD subset (no handler is installed
    # for them either, so expat skips external references).
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(body, True)
    except _Doctype:
        raise Reject("forbidden_construct", "DOCTYPE declarations are not accepted") from None
    except _TooDeep:
        raise Reject("limit_exceeded", "XML nesting deeper than %d" % MAX_DEPTH) from None
    except expat.ExpatError as e:
        raise Reject("malformed_body", "not well-formed XML: %s" % e) from None
    return result[0]


# --------------------------------------------------------------------------------------
# Success bodies: schema-driven decoders (one for JSON, one for XML)
# --------------------------------------------------------------------------------------

# Field kinds: "str", "code", "bool", "u32", or ("list", item_name, item_schema).
SET_SCHEMA = (("InstanceId", "str"), ("RamRoleName", "str"))


def response_schema(operation):
    if operation == "DescribeInstanceRamRole":
        fields = [("RequestId", "str"), ("RegionId", "str"), ("TotalCount", "u32")]
        if not mutant("describe_paging_dropped"):
            fields += [("PageNumber", "u32"), ("PageSize", "u32")]
        fields.append(("InstanceRamRoleSets", ("list", "InstanceRamRoleSet", SET_SCHEMA)))
        return tuple(fields)
    item = [("InstanceId", "str"), ("Code", "code"), ("Message", "str"), ("Success", "bool")]
    if operation == "DetachInstanceRamRole":
        item.append(("InstanceRamRoleSets", ("list", "InstanceRamRoleSet", SET_SCHEMA)))
    return (
        ("RequestId", "str"),
        ("RamRoleName", "str"),
        ("TotalCount", "u32"),
        ("FailCount", "u32"),
        (operation + "Results", ("list", operation + "Result", tuple(item))),
    )


def finish_list(item_name, items):
    """The normalized `{"X": [...]}` for a present wrapper, or None (omit) under a mutant."""
    if mutant("drop_single_item_list") and len(items) == 1:
        items = []
    if mutant("empty_list_as_absent") and not items:
        return None
    return {item_name: items}


def finish_code(text):
    if mutant("code_as_int") and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return text


def decode_json_struct(obj, schema):
    """A JObj -> normalized dict with only the known fields."""
    names = dict(schema)
    if mutant("ignore_unknown_fails"):
        unknown = sorted(k for k in obj if k not in names)
        if unknown:
            raise Reject("unexpected_shape", "unknown field %s" % unknown[0])
    out = {}
    for name, kind in schema:
        if name in obj.dups:
            raise Reject("unexpected_shape", "field %s appears more than once" % name)
        value = obj.get(name)
        if value is None:  # absent or JSON null
            continue
        decoded = decode_json_field(name, kind, value)
        if decoded is not None:
            out[name] = decoded
    return out


def decode_json_field(name, kind, value):
    if isinstance(kind, tuple):
        _, item_name, item_schema = kind
        if not isinstance(value, JObj):
            raise Reject("type_mismatch", "%s must be an object wrapping %s" % (name, item_name))
        if item_name in value.dups:
            raise Reject("unexpected_shape", "%s appears more than once in %s" % (item_name, name))
        if mutant("ignore_unknown_fails"):
            unknown = sorted(k for k in value if k != item_name)
            if unknown:
                raise Reject("unexpected_shape", "unknown field %s" % unknown[0])
        items = value.get(item_name)
        if items is None:  # `{}` or `"X": null`: the wrapper is present, the list empty
            items = []
        if not isinstance(items, list):
            raise Reject("type_mismatch", "%s.%s must be an array" % (name, item_name))
        decoded = []
        for item in items:
            if not isinstance(item, JObj):
                raise Reject("type_mismatch", "%s items must be objects" % item_name)
            decoded.append(decode_json_struct(item, item_schema))
        return finish_list(item_name, decoded)
    if kind == "str":
        if not isinstance(value, str):
            raise Reject("type_mismatch", "%s must be a string" % name)
        return value
    if kind == "code":
        if isinstance(value, str):
            return finish_code(value)
        if isinstance(value, JNum) and value.is_int:
            # Canonical decimal text of the integer (a JSON integer literal already is,
            # except "-0").
            return finish_code("0" if value.text == "-0" else value.text)
        raise Reject("type_mismatch", "Code must be a string or an integer")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise Reject("type_mismatch", "%s must be a boolean" % name)
    if kind == "u32":
        n = value.int_value() if isinstance(value, JNum) else None
        if n is None or not 0 <= n <= U32_MAX:
            raise Reject("type_mismatch", "%s must be an integer in 0..%d" % (name, U32_MAX))
        return n
    raise AssertionError(kind)


def check_no_mixed_content(node):
    if node.own_text().strip(_XML_WS):
        raise Reject("unexpected_shape", "text directly inside <%s>" % node.name)


def decode_xml_struct(node, schema):
    """An element -> normalized dict with only the known child elements."""
    check_no_mixed_content(node)
    names = dict(schema)
    seen = set()
    out = {}
    for child in node.children:
        kind = names.get(child.name)
        if kind is None:
            if mutant("ignore_unknown_fails"):
                raise Reject("unexpected_shape", "unknown element <%s>" % child.name)
            continue  # unknown subtree, skipped whole
        if child.name in seen:
            raise Reject("unexpected_shape", "<%s> appears more than once" % child.name)
        seen.add(child.name)
        decoded = decode_xml_field(child, kind)
        if decoded is not None:
            out[child.name] = decoded
    return out


def xml_scalar_text(node):
    if node.children:
        raise Reject("type_mismatch", "<%s> must hold text, not elements" % node.name)
    return node.own_text()


def decode_xml_field(node, kind):
    if isinstance(kind, tuple):
        _, item_name, item_schema = kind
        check_no_mixed_content(node)
        items = []
        for child in node.children:
            if child.name == item_name:
                items.append(decode_xml_struct(child, item_schema))
            elif mutant("ignore_unknown_fails"):
                raise Reject("unexpected_shape", "unknown element <%s>" % child.name)
        return finish_list(item_name, items)
    text = xml_scalar_text(node)
    if kind == "str":
        return text.strip() if mutant("trim_string_text") else text
    if kind == "code":
        return finish_code(text.strip() if mutant("trim_string_text") else text)
    # Numbers and booleans may be surrounded by XML whitespace; strings are kept as-is.
    core = text.strip(_XML_WS)
    if kind == "bool":
        if core in ("true", "false"):
            return core == "true"
        raise Reject("type_mismatch", "<%s> must be true or false" % node.name)
    if kind == "u32":
        digits = core.lstrip("0") or "0"
        if not re.fullmatch(r"[0-9]+", core) or len(digits) > 10 or int(digits) > U32_MAX:
            raise Reject("type_mismatch", "<%s> must be an integer in 0..%d" % (node.name, U32_MAX))
        return int(digits)
    raise AssertionError(kind)


def decode_success(operation, fmt, body):
    schema = response_schema(operation)
    if fmt == "json":
        value = parse_json_body(body)
        if not isinstance(value, JObj):
            raise Reject("unexpected_shape", "top-level JSON value must be an object")
        return decode_json_struct(value, schema)
    root = parse_xml_body(body)
    if root.name != operation + "Response":
        raise Reject("unexpected_shape", "root element <%s> is not <%sResponse>" % (root.name, operation))
    return decode_xml_struct(root, schema)


# --------------------------------------------------------------------------------------
# Error bodies (non-2xx)
# --------------------------------------------------------------------------------------

ERROR_KEYS = (("RequestId", "request_id"), ("HostId", "host_id"), ("Code", "code"),
              ("Message", "message"), ("Recommend", "recommend"))


def error_keys():
    if mutant("error_message_lowercase_key"):
        return tuple(("message", out) if out == "message" else (k, out) for k, out in ERROR_KEYS)
    return ERROR_KEYS


class _Unparseable(Exception):
    """The error body cannot be read: service_error with http_status only."""


def decode_json_error(body):
    try:
        obj = parse_json_body(body)
    except Reject:
        raise _Unparseable() from None
    if not isinstance(obj, JObj):
        raise _Unparseable()
    out = {}
    for key, out_key in error_keys():
        if key in obj.dups:
            raise _Unparseable()
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Unparseable()
        out[out_key] = value
    # The PascalCase spelling wins; some gateways use camelCase.
    for key in ("AccessDeniedDetail", "accessDeniedDetail"):
        if key in obj.dups:
            raise _Unparseable()
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, JObj):
            raise _Unparseable()
        out["access_denied_detail"] = value  # kept as-is, any value types
        break
    return out


def decode_xml_error(body):
    try:
        root = parse_xml_body(body)
    except Reject:
        raise _Unparseable() from None
    if root.name != "Error" or root.own_text().strip(_XML_WS):
        raise _Unparseable()
    names = dict(ERROR_KEYS)  # the lowercase-key mutant concerns JSON only
    seen = set()
    out = {}
    for child in root.children:
        if child.name in seen and (child.name in names or child.name == "AccessDeniedDetail"):
            raise _Unparseable()
        seen.add(child.name)
        if child.name in names:
            if child.children:
                raise _Unparseable()
            text = child.own_text()
            out[names[child.name]] = text.strip() if mutant("trim_string_text") else text
        elif child.name == "AccessDeniedDetail":
            # Its child elements become a map name -> text.
            if child.own_text().strip(_XML_WS):
                raise _Unparseable()
            detail = {}
            for entry in child.children:
                if entry.children or entry.name in detail:
                    raise _Unparseable()
                detail[entry.name] = entry.own_text()
            out["access_denied_detail"] = detail
    return out


RETRYABLE_CODES = ("SignatureNonceUsed", "OperationConflict")
RETRYABLE_PREFIXES = ("Throttling", "ServiceUnavailable")
U64_MAX = 2**64 - 1


def retry_after_ms(headers):
    """The first x-acs-retry-after header (any case) as milliseconds: ASCII digits, trimmed
    of spaces and tabs, positive and at most 2^64-1; anything else is no hint (None)."""
    if mutant("retry_after_ignored"):
        return None
    for name, value in headers:
        if name.lower() == "x-acs-retry-after":
            value = value.strip(_HEADER_WS)
            if not re.fullmatch(r"[0-9]+", value) or len(value) > 20:
                return None
            ms = int(value)
            if ms == 0 and mutant("retry_after_zero_is_hint"):
                return 0
            return ms if 0 < ms <= U64_MAX else None
    return None


def retry_hint(status, code, headers):
    """Whether to retry a service error, and after how long (corpus/README.md)."""
    after = retry_after_ms(headers)
    retryable = (
        status == 429
        or 500 <= status <= 599
        or (code is not None and (code.startswith(RETRYABLE_PREFIXES) or code in RETRYABLE_CODES))
        or after is not None
    )
    return {"retryable": retryable, "after_ms": after}


def decode_error(status, fmt, body):
    error = {"http_status": status}
    try:
        if fmt == "json":
            error.update(decode_json_error(body))
        elif fmt == "xml":
            error.update(decode_xml_error(body))
    except _Unparseable:
        pass
    return error


# --------------------------------------------------------------------------------------
# kind: "response"
# --------------------------------------------------------------------------------------

def handle_response(env):
    operation = env.get("operation")
    if operation not in OPERATIONS:
        raise Unsupported("unknown operation %r" % (operation,))
    http = env.get("http")
    if not isinstance(http, dict):
        raise EnvelopeError("response envelope: http must be an object")
    status = http.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise EnvelopeError("response envelope: http.status must be an integer")
    headers = http.get("headers") or []
    if isinstance(headers, dict):
        headers = list(headers.items())
    if not isinstance(headers, list) or not all(
        isinstance(h, (list, tuple)) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers
    ):
        raise EnvelopeError("response envelope: http.headers must be [name, value] string pairs")
    body_b64 = env.get("body_base64", "")
    if not isinstance(body_b64, str):
        raise EnvelopeError("response envelope: body_base64 must be a string")
    try:
        body = base64.b64decode(body_b64, validate=True)
    except ValueError:
        raise EnvelopeError("response envelope: body_base64 is not valid Base64") from None
    requested = env.get("format", env.get("requested_format"))

    if mutant("ignore_body"):
        return {"outcome": "output", "value": {}}
    fmt = choose_format(headers, requested, body)
    if not 200 <= status <= 299 and not mutant("status_ignored"):
        error = decode_error(status, fmt, body)
        return {"outcome": "service_error", "error": error, "retry": retry_hint(status, error.get("code"), headers)}
    if fmt is None:
        raise Reject("malformed_body", "body is neither JSON nor XML")
    return {"outcome": "output", "value": decode_success(operation, fmt, body)}


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

def read_envelope(raw):
    try:
        env = json.loads(
            raw.decode("utf-8"),
            parse_constant=_reject_constant,
            # Huge integers are kept out of int() (digit limit); they fail type checks.
            parse_int=lambda s: int(s) if len(s) <= 40 else JNum(s, True),
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise EnvelopeError("envelope is not UTF-8 JSON: %s" % e) from None
    if not isinstance(env, dict):
        raise EnvelopeError("envelope must be a JSON object")
    protocol = env.get("protocol")
    if isinstance(protocol, bool) or protocol != 1:
        raise EnvelopeError("envelope lacks \"protocol\": 1")
    for s, _depth in _walk_strings_and_depth(env):
        if s is not None and _LONE_SURROGATE.search(s):
            raise EnvelopeError("envelope holds a lone surrogate escape")
    return env


def run(env):
    kind = env.get("kind")
    try:
        if kind == "request":
            return handle_request(env)
        if kind == "sign":
            return handle_sign(env)
        if kind == "response":
            return handle_response(env)
        if kind == "incoming":
            return handle_incoming(env)
        raise Unsupported("kind %r is not implemented" % (kind,))
    except Reject as r:
        return {"outcome": "reject", "reject_kind": r.kind, "message": r.message}
    except Unsupported as u:
        return {"outcome": "unsupported", "reason": str(u)}


def main(argv=None):
    global MUTANT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutant", choices=MUTANTS, help="deliberately break one behaviour")
    ap.add_argument("--list-mutants", action="store_true", help="print the mutant names and exit")
    args = ap.parse_args(argv)
    if args.list_mutants:
        print("\n".join(MUTANTS))
        return 0
    MUTANT = args.mutant
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    seen = 0

    def answer(raw):
        nonlocal seen
        seen += 1
        if seen == STREAM_BREAK_AT:
            if mutant("stream_exit_on_5"):
                sys.exit(3)
            if mutant("stream_garbage_on_5"):
                stdout.write(b"this is not a verdict\n")
                stdout.flush()
                return
            if mutant("stream_hang_on_5"):
                while True:
                    time.sleep(60)
        stdout.write(dump_json(run(read_envelope(raw))).encode("utf-8") + b"\n")
        stdout.flush()

    # A first line that is JSON by itself means the persistent mode (one compact envelope per
    # line, answered one at a time, until stdin closes); anything else is the one-shot
    # mode's single envelope, which may span lines.
    first = stdin.readline()
    try:
        json.loads(first.decode("utf-8"))
        persistent = True
    except (UnicodeDecodeError, ValueError, RecursionError):
        persistent = False
    try:
        if not persistent:
            answer(first + stdin.read())
            return 0
        answer(first)
        for line in stdin:
            if line.strip():
                answer(line)
    except EnvelopeError as e:
        print("adapter: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
