"""Independent computation of signature V1 vectors, Python standard library only.

The Rust tests compare against the values printed here; nothing here imports or runs
the crate. Run: python3 tests/vectors/compute.py
"""
import base64, hashlib, hmac, json, urllib.parse

def enc(s):
    return urllib.parse.quote(s.encode("utf-8"), safe="-_.~")

def sign(method, params, secret):
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    sts = f"{method}&%2F&{enc(canonical)}"
    sig = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return canonical, sts, sig

SIGNING = {"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
           "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Timestamp": "2016-02-23T12:46:24Z"}

def op(action, fmt, ops):
    return {"Action": action, "Version": "2014-05-26", "Format": fmt, **SIGNING, **ops}

CASES = {
    # The two seeds' request examples, signed with the documented example's credentials.
    "attach_doc_post_json": ("POST", op("AttachInstanceRamRole", "JSON", {
        "InstanceIds": json.dumps(["i-instance1"], separators=(",", ":")),
        "RamRoleName": "RamRoleTest", "RegionId": "cn-hangzhou"})),
    "detach_doc_get_xml": ("GET", op("DetachInstanceRamRole", "XML", {
        "InstanceIds": json.dumps(["i-instance1"], separators=(",", ":")),
        "RamRoleName": "RamRoleTest", "RegionId": "cn-hangzhou"})),
    # conformance-design.md §10 vector 2 (compact and spaced JSON).
    "attach_masked_compact_get": ("GET", op("AttachInstanceRamRole", "JSON", {
        "InstanceIds": '["i-bp67acfmxazb4p****","i-bp67acfmxazb5p****"]',
        "RamRoleName": "testRamRoleName", "RegionId": "cn-hangzhou"})),
    "attach_masked_spaced_get": ("GET", op("AttachInstanceRamRole", "JSON", {
        "InstanceIds": '["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]',
        "RamRoleName": "testRamRoleName", "RegionId": "cn-hangzhou"})),
    # Every optional parameter, an STS token, reserved and non-ASCII characters.
    "attach_full_post_token": ("POST", {**op("AttachInstanceRamRole", "XML", {
        "InstanceIds": json.dumps(["i-1", "q\"uote", "阿 b+c*~"], separators=(",", ":"), ensure_ascii=False),
        "RamRoleName": "角色 a+b*c~d/e=f&g", "RegionId": "cn-hangzhou",
        "Policy": '{"Statement": [{"Action": "*"}]}', "OwnerId": "1234567890123456",
        "ResourceOwnerId": "42", "ResourceOwnerAccount": "owner@example.com"}),
        "SecurityToken": "sts token/+="}),
    # DescribeInstanceRamRole by role, second page of 5, GET.
    "describe_by_role_get": ("GET", op("DescribeInstanceRamRole", "JSON", {
        "RamRoleName": "EcsRole", "RegionId": "cn-hangzhou", "PageNumber": "2", "PageSize": "5"})),
    # The envelope example of issue 2 / corpus/README.md (with an STS token).
    "adapter_issue_example": ("POST", {**op("AttachInstanceRamRole", "JSON", {
        "InstanceIds": '["i-1","i-2"]', "RamRoleName": "EcsRole", "RegionId": "cn-hangzhou"}),
        "SecurityToken": "optional"}),
}

if __name__ == "__main__":
    for name, (method, params) in CASES.items():
        canonical, sts, sig = sign(method, params, "testsecret")
        print(name)
        print("  canonical:", canonical)
        print("  sts:      ", sts)
        print("  signature:", sig)
