"""Independent computation of signature V3 (ACS3-HMAC-SHA256) vectors for typed requests,
Python standard library only, following protocol.md §3. The Rust tests compare against the
values printed here; nothing here imports or runs the crate.
Run: python3 tests/vectors/compute_v3.py
"""
import hashlib, hmac, json, urllib.parse

def enc(s):
    return urllib.parse.quote(s.encode("utf-8"), safe="-_.~")

def canonical(params):
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items(), key=lambda kv: kv[0].encode()))

def sign_v3(method, host, action, params, placement, key_id, secret, date, nonce, token=None):
    encoded = canonical(params)
    query, body = (encoded, "") if placement == "query" else ("", encoded)
    headers = {"host": host, "x-acs-action": action, "x-acs-version": "2014-05-26",
               "x-acs-date": date, "x-acs-signature-nonce": nonce,
               "x-acs-content-sha256": hashlib.sha256(body.encode()).hexdigest()}
    if body:
        headers["content-type"] = "application/x-www-form-urlencoded"
    if token:
        headers["x-acs-security-token"] = token
    names = sorted(headers)
    cr = "\n".join([method, "/", query, "".join(f"{n}:{headers[n].strip()}\n" for n in names), ";".join(names),
                    headers["x-acs-content-sha256"]])
    hashed = hashlib.sha256(cr.encode()).hexdigest()
    sts = f"ACS3-HMAC-SHA256\n{hashed}"
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    auth = f"ACS3-HMAC-SHA256 Credential={key_id},SignedHeaders={';'.join(names)},Signature={sig}"
    return query, body, cr, hashed, sig, auth

CASES = {
    # The Attach seed example under V3, POST, parameters in the query, an STS token.
    "attach_v3_query_token": ("POST", "ecs.aliyuncs.com", "AttachInstanceRamRole", {
        "InstanceIds": json.dumps(["i-instance1"], separators=(",", ":")),
        "RamRoleName": "RamRoleTest", "RegionId": "cn-hangzhou"}, "query", "STS.tok"),
    # Detach with reserved and non-ASCII characters, in a form body, another host.
    "detach_v3_body_unicode": ("POST", "ecs.cn-shanghai.aliyuncs.com", "DetachInstanceRamRole", {
        "InstanceIds": json.dumps(["i-1", "阿 b+c*~"], separators=(",", ":"), ensure_ascii=False),
        "RamRoleName": "角色 a/b=c&d", "RegionId": "cn-shanghai", "OwnerId": "42"}, "body", None),
    # DescribeInstanceRamRole by instances, in the query.
    "describe_v3_by_ids": ("POST", "ecs.aliyuncs.com", "DescribeInstanceRamRole", {
        "InstanceIds": json.dumps(["i-1", "i-2"], separators=(",", ":")), "RegionId": "cn-hangzhou"}, "query", None),
}

if __name__ == "__main__":
    for name, (method, host, action, params, placement, token) in CASES.items():
        query, body, cr, hashed, sig, auth = sign_v3(method, host, action, params, placement, "testid", "testsecret",
                                                     "2016-02-23T12:46:24Z", "3156853299f313e23d1673dc12e1703d", token)
        print(name)
        print("  query:    ", query)
        print("  body:     ", body)
        print("  hashed:   ", hashed)
        print("  signature:", sig)
