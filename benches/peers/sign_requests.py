#!/usr/bin/env python3
"""Writes N signed DescribeInstanceRamRole requests (signature V1), one path and query
per line, each with its own nonce and the current time, for wrk to replay once each.

    python3 sign_requests.py N KEY_ID SECRET OUT

Signed here with the standard library (hmac, hashlib, urllib.parse), independently of the
crate under test, as protocol.md section 2.1 describes: sort, percent-encode (RFC 3986),
METHOD&%2F&encode(query), HMAC-SHA1 keyed with secret + "&", Base64.
"""

import base64
import hashlib
import hmac
import sys
import time
from urllib.parse import quote


def enc(s: str) -> str:
    return quote(s, safe="-_.~")


def main() -> None:
    n, key_id, secret, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    key = (secret + "&").encode()
    base = {
        "AccessKeyId": key_id,
        "Action": "DescribeInstanceRamRole",
        "Format": "JSON",
        "InstanceIds": '["i-1"]',
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "Timestamp": stamp,
        "Version": "2014-05-26",
    }
    with open(out, "w") as f:
        for i in range(n):
            params = dict(base, SignatureNonce=f"bench-{stamp}-{i}")
            query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
            to_sign = "GET&%2F&" + enc(query)
            digest = hmac.new(key, to_sign.encode(), hashlib.sha1).digest()
            signature = enc(base64.b64encode(digest).decode())
            f.write(f"/?{query}&Signature={signature}\n")


if __name__ == "__main__":
    main()
