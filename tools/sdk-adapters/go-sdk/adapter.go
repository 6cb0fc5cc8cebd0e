// Conformance adapter (protocol 1, one-shot and persistent mode) around the official
// Alibaba Cloud Go SDK, github.com/aliyun/alibaba-cloud-sdk-go (the SDK aliyun-cli and
// terraform-provider-alicloud use).
//
// It reports what the SDK itself computes; it never re-implements or corrects the SDK:
//
//   - request:  ecs.Create{Attach,Detach,Describe}InstanceRamRoleRequest(), fields set from
//     the envelope's params, sent through ecs.Client (the SDK's own DoAction path: InitParams,
//     auth.Sign / the RPC signature composer, BuildUrl) into an http.RoundTripper that
//     captures the outgoing *http.Request instead of dialling. Timestamp and nonce are
//     pinned through the composer's own test hooks (auth.hookGetDate / auth.hookGetNonce,
//     swapped exactly as sdk/auth/rpc_signature_composer_test.go does).
//   - sign:     the composer's string-to-sign builder (auth.buildRpcStringToSign, driven the
//     way TestRpcSignatureComposer_buildRpcStringToSign drives it) and the SDK's
//     AccessKeySigner.Sign for the HMAC.
//   - response: the same ecs.Client call, the RoundTripper answering with the case's
//     status, headers and body; the SDK runs responses.Unmarshal (fuzzy jsoniter or
//     encoding/xml, chosen by the request's AcceptFormat) or errors.NewServerError.
//   - incoming, V3 signing, unsigned requests: unsupported (the SDK has no such path).
//
// See README.md for the mapping rules.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	stderrors "errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	_ "unsafe" // go:linkname

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/signers"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The composer's test hooks (sdk/auth/rpc_signature_composer.go, roa_signature_composer.go).
// The SDK's own tests replace them to pin the date and nonce; so do we.

//go:linkname hookGetDate github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth.hookGetDate
var hookGetDate func(fn func() string) string

//go:linkname hookGetNonce github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth.hookGetNonce
var hookGetNonce func(fn func() string) string

// The composer's string-to-sign builder, called directly by the SDK's own test
// TestRpcSignatureComposer_buildRpcStringToSign.
//
//go:linkname buildRpcStringToSign github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth.buildRpcStringToSign
func buildRpcStringToSign(request requests.AcsRequest) string

const sdkModule = "github.com/aliyun/alibaba-cloud-sdk-go"

// The endpoint every request is addressed to. Setting the request's Domain is how SDK
// users pick an endpoint; it also keeps the SDK from ever asking the Location service.
const endpoint = "ecs.aliyuncs.com"

var origHookGetDate, origHookGetNonce func(fn func() string) string

type verdict map[string]interface{}

func unsupported(reason string) verdict {
	return verdict{"outcome": "unsupported", "reason": reason}
}

func reject(kind, message string) verdict {
	return verdict{"outcome": "reject", "reject_kind": kind, "message": message}
}

// ---------------------------------------------------------------------------------------
// transport: the SDK's http.Client talks to this instead of the network

type capture struct {
	status  int
	headers [][2]string
	body    []byte
	seen    []*http.Request
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	c.seen = append(c.seen, r)
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	h := http.Header{}
	for _, kv := range c.headers {
		h.Add(kv[0], kv[1])
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", c.status, http.StatusText(c.status)),
		StatusCode:    c.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       r,
	}, nil
}

// ---------------------------------------------------------------------------------------
// the SDK objects for an operation

type call struct {
	request requests.AcsRequest
	// rpc gives access to the embedded *requests.RpcRequest (Method, AcceptFormat, Domain, RegionId)
	rpc *requests.RpcRequest
	do  func(c *ecs.Client) (interface{}, error)
}

func newCall(operation string) (*call, bool) {
	switch operation {
	case "AttachInstanceRamRole":
		r := ecs.CreateAttachInstanceRamRoleRequest()
		return &call{r, r.RpcRequest, func(c *ecs.Client) (interface{}, error) { return c.AttachInstanceRamRole(r) }}, true
	case "DetachInstanceRamRole":
		r := ecs.CreateDetachInstanceRamRoleRequest()
		return &call{r, r.RpcRequest, func(c *ecs.Client) (interface{}, error) { return c.DetachInstanceRamRole(r) }}, true
	case "DescribeInstanceRamRole":
		r := ecs.CreateDescribeInstanceRamRoleRequest()
		return &call{r, r.RpcRequest, func(c *ecs.Client) (interface{}, error) { return c.DescribeInstanceRamRole(r) }}, true
	}
	return nil, false
}

// ---------------------------------------------------------------------------------------
// request parameters -> the SDK's typed request struct

// canonicalIDs renders an InstanceIds list as the corpus README's canonical form
// (compact JSON as serde_json writes it). The SDK types InstanceIds as a string and has
// no list form; protocol 1 tells adapters to render a list this way before handing it on.
func canonicalIDs(ids []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range id {
			switch r {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				if r < 0x20 {
					fmt.Fprintf(&b, `\u%04x`, r)
				} else {
					b.WriteRune(r)
				}
			}
		}
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}

var integerType = reflect.TypeOf(requests.Integer(""))

// setParam assigns one envelope parameter the way a Go caller would. Inputs that the
// SDK's Go types cannot hold (a number for a string field, a field the struct lacks, a
// non-integral number for requests.Integer) are what the Go compiler refuses; they are
// reported as rejects whose message says so. Nothing else is checked here.
func setParam(c *call, name string, value interface{}) verdict {
	v := reflect.ValueOf(c.request).Elem()
	t := v.Type()
	var field reflect.Value
	fieldName := ""
	if name == "RegionId" {
		// RPC requests carry the region in the embedded request's RegionId field; the
		// composer copies it into the query (sdk/auth/rpc_signature_composer.go).
		field = reflect.ValueOf(c.rpc).Elem().FieldByName("RegionId")
		fieldName = "RegionId"
	} else {
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("name") == name {
				field = v.Field(i)
				fieldName = t.Field(i).Name
				break
			}
		}
	}
	if !field.IsValid() {
		return reject("constraint_violation", fmt.Sprintf(
			"not expressible: %s has no field for parameter %q (a Go caller's code would not compile; the SDK itself checks nothing at run time)", t.Name(), name))
	}
	if field.Type() == integerType {
		switch x := value.(type) {
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return reject("type_mismatch", fmt.Sprintf(
					"not expressible: %s.%s is requests.Integer, built from an int64 with requests.NewInteger64; %s is not an int64 (compile-time)", t.Name(), fieldName, x))
			}
			field.Set(reflect.ValueOf(requests.NewInteger64(n)))
		case string:
			// requests.Integer is `type Integer string`: a Go caller may assign any text.
			field.Set(reflect.ValueOf(requests.Integer(x)))
		default:
			return reject("type_mismatch", fmt.Sprintf("not expressible: %s.%s is requests.Integer; got %T (compile-time)", t.Name(), fieldName, value))
		}
		return nil
	}
	if field.Kind() == reflect.String {
		switch x := value.(type) {
		case string:
			field.SetString(x)
		case []interface{}:
			if name != "InstanceIds" {
				return reject("type_mismatch", fmt.Sprintf("not expressible: %s.%s is a string; got a JSON array (compile-time)", t.Name(), fieldName))
			}
			ids := make([]string, 0, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return reject("type_mismatch", fmt.Sprintf("not expressible: InstanceIds item %d is %T, a Go caller holds the IDs as []string (compile-time)", i, e))
				}
				ids = append(ids, s)
			}
			field.SetString(canonicalIDs(ids))
		default:
			return reject("type_mismatch", fmt.Sprintf("not expressible: %s.%s is a string; got %T (compile-time)", t.Name(), fieldName, value))
		}
		return nil
	}
	return unsupported(fmt.Sprintf("field %s.%s has type %s, which this adapter does not map", t.Name(), fieldName, field.Type()))
}

// canonicalFromStringToSign recovers the canonical query the SDK computed but does not
// keep: buildRpcStringToSign returns METHOD + "&%2F&" + url.QueryEscape(canonical), and
// url.QueryUnescape undoes url.QueryEscape exactly.
func canonicalFromStringToSign(method, sts string) (string, bool) {
	prefix := method + "&%2F&"
	if !strings.HasPrefix(sts, prefix) {
		return "", false
	}
	canon, err := url.QueryUnescape(sts[len(prefix):])
	if err != nil {
		return "", false
	}
	return canon, true
}

func str(m map[string]interface{}, key string) (string, bool, verdict) {
	raw, present := m[key]
	if !present || raw == nil {
		return "", false, nil
	}
	s, ok := raw.(string)
	if !ok {
		return "", true, reject("type_mismatch", fmt.Sprintf("not expressible: %s must be a Go string; got %T (compile-time)", key, raw))
	}
	return s, true, nil
}

func handleRequest(env map[string]interface{}) verdict {
	operation, _ := env["operation"].(string)
	input, _ := env["input"].(map[string]interface{})
	if input == nil {
		return unsupported("request envelope without input")
	}
	params, _ := input["params"].(map[string]interface{})
	ctx, _ := input["context"].(map[string]interface{})
	if ctx == nil {
		ctx = map[string]interface{}{}
	}
	signing, _ := ctx["signing"].(map[string]interface{})
	if signing == nil {
		return unsupported("the Go SDK always signs RPC requests (Client.DoAction -> auth.Sign); it has no unsigned/anonymous mode")
	}
	algorithm, _, bad := str(signing, "algorithm")
	if bad != nil {
		return bad
	}
	if algorithm != "" && algorithm != "HMAC-SHA1" {
		if algorithm == "ACS3-HMAC-SHA256" {
			return unsupported("signature V3 (ACS3-HMAC-SHA256): this SDK signs RPC requests with V1 (HMAC-SHA1) only")
		}
		return unsupported("signing algorithm " + algorithm + " is not offered by the SDK")
	}

	placement, _, bad := str(ctx, "placement")
	if bad != nil {
		return bad
	}
	if placement != "" && placement != "query" {
		return unsupported("placement " + placement + ": the SDK's request structs fix every parameter's position (position:\"Query\"); there is no way to ask for a form body")
	}

	c, ok := newCall(operation)
	if !ok {
		return unsupported("operation " + operation + " is not wrapped by this adapter")
	}

	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		if v := setParam(c, name, params[name]); v != nil {
			return v
		}
	}

	method, hasMethod, bad := str(ctx, "method")
	if bad != nil {
		return bad
	}
	if hasMethod {
		c.rpc.Method = method // an exported field; the SDK takes any text
	}
	format, hasFormat, bad := str(ctx, "format")
	if bad != nil {
		return bad
	}
	if hasFormat {
		c.rpc.AcceptFormat = format // sent verbatim as Format
	}
	c.rpc.Domain = endpoint

	keyID, _, bad := str(signing, "access_key_id")
	if bad != nil {
		return bad
	}
	secret, _, bad := str(signing, "access_key_secret")
	if bad != nil {
		return bad
	}
	token, hasToken, bad := str(signing, "security_token")
	if bad != nil {
		return bad
	}
	timestamp, hasTimestamp, bad := str(signing, "timestamp")
	if bad != nil {
		return bad
	}
	nonce, hasNonce, bad := str(signing, "nonce")
	if bad != nil {
		return bad
	}

	// pin time and nonce the way the SDK's composer test does; absent ones stay the SDK's
	hookGetDate, hookGetNonce = origHookGetDate, origHookGetNonce
	if hasTimestamp {
		hookGetDate = func(func() string) string { return timestamp }
	}
	if hasNonce {
		hookGetNonce = func(func() string) string { return nonce }
	}
	defer func() { hookGetDate, hookGetNonce = origHookGetDate, origHookGetNonce }()

	// The client's own region is empty: the request's RegionId (from the envelope) is the
	// only region. When it is empty the composer injects the client's region ("").
	var client *ecs.Client
	var err error
	if hasToken {
		client, err = ecs.NewClientWithStsToken("", keyID, secret, token)
	} else {
		client, err = ecs.NewClientWithAccessKey("", keyID, secret)
	}
	if err != nil {
		return reject("constraint_violation", "SDK refused the client: "+err.Error())
	}
	tr := &capture{status: 200, body: []byte("{}"), headers: [][2]string{{"Content-Type", "application/json"}}}
	client.SetTransport(tr)
	_, err = c.do(client)
	if len(tr.seen) == 0 {
		if err != nil {
			return reject("constraint_violation", "SDK refused before sending: "+err.Error())
		}
		return unsupported("the SDK sent nothing")
	}
	sent := tr.seen[len(tr.seen)-1]
	out := verdict{"outcome": "request", "method": sent.Method, "query": sent.URL.RawQuery}
	stages := map[string]string{}
	sts := c.request.GetStringToSign()
	if sts != "" {
		stages["string_to_sign"] = sts
		if canon, ok := canonicalFromStringToSign(c.request.GetMethod(), sts); ok {
			stages["canonical_query"] = canon
		}
	}
	if sig, ok := c.request.GetQueryParams()["Signature"]; ok {
		stages["signature"] = sig
	}
	out["stages"] = stages
	return out
}

// ---------------------------------------------------------------------------------------
// sign: the composer's string-to-sign builder and the SDK's HMAC-SHA1 signer

func handleSign(env map[string]interface{}) verdict {
	input, _ := env["input"].(map[string]interface{})
	if input == nil {
		return unsupported("sign envelope without input")
	}
	algorithm, _, bad := str(input, "algorithm")
	if bad != nil {
		return bad
	}
	if algorithm != "" && algorithm != "HMAC-SHA1" {
		return unsupported("signature V3 (ACS3-HMAC-SHA256): this SDK has no V3 signer")
	}
	method, _, bad := str(input, "method")
	if bad != nil {
		return bad
	}
	secret, _, bad := str(input, "access_key_secret")
	if bad != nil {
		return bad
	}
	rawParams, _ := input["params"].(map[string]interface{})
	params := map[string]string{}
	for k, v := range rawParams {
		s, ok := v.(string)
		if !ok {
			return reject("type_mismatch", fmt.Sprintf("not expressible: the SDK holds parameters in map[string]string; %q is %T (compile-time)", k, v))
		}
		params[k] = s
	}
	request := requests.NewCommonRequest()
	request.TransToAcsRequest()
	for k, v := range params {
		request.QueryParams[k] = v
	}
	request.Method = method
	sts := buildRpcStringToSign(request)
	signer := signers.NewAccessKeySigner(&credentials.AccessKeyCredential{AccessKeyId: params["AccessKeyId"], AccessKeySecret: secret})
	// the composer signs with the secret plus "&" (signRpcRequest: secret := cc.AccessKeySecret + "&")
	sig := signer.Sign(sts, "&")
	out := verdict{"outcome": "signature", "string_to_sign": sts, "signature": sig}
	if canon, ok := canonicalFromStringToSign(method, sts); ok {
		out["canonical_query"] = canon
	}
	return out
}

// ---------------------------------------------------------------------------------------
// response: the SDK's DoAction -> responses.Unmarshal / errors.NewServerError

func handleResponse(env map[string]interface{}) (v verdict) {
	operation, _ := env["operation"].(string)
	c, ok := newCall(operation)
	if !ok {
		return unsupported("operation " + operation + " is not wrapped by this adapter")
	}
	httpPart, _ := env["http"].(map[string]interface{})
	status := 200
	var headers [][2]string
	if httpPart != nil {
		if n, ok := httpPart["status"].(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				status = int(i)
			}
		}
		if hs, ok := httpPart["headers"].([]interface{}); ok {
			for _, h := range hs {
				if pair, ok := h.([]interface{}); ok && len(pair) == 2 {
					k, _ := pair[0].(string)
					val, _ := pair[1].(string)
					headers = append(headers, [2]string{k, val})
				}
			}
		}
	}
	b64, _ := env["body_base64"].(string)
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return unsupported("body_base64 is not base64: " + err.Error())
	}
	// The format the client asked for is the request's AcceptFormat (the SDK sends it as
	// Format and decodes the body by it). Absent: the SDK's default, JSON.
	if format, ok := env["format"].(string); ok && format != "" {
		c.rpc.AcceptFormat = strings.ToUpper(format)
	}
	c.rpc.Domain = endpoint

	client, err := ecs.NewClientWithAccessKey("", "adapter-key-id", "adapter-key-secret")
	if err != nil {
		return unsupported("client: " + err.Error())
	}
	client.SetTransport(&capture{status: status, headers: headers, body: body})

	defer func() {
		if p := recover(); p != nil {
			v = reject("type_mismatch", fmt.Sprintf("the SDK panicked while handling the response (recovered by the adapter): %v", p))
		}
	}()
	resp, err := c.do(client)
	if err != nil {
		return mapResponseError(err)
	}
	// the SDK's response struct, rendered through its own json tags
	raw, merr := json.Marshal(resp)
	if merr != nil {
		return unsupported("cannot render the SDK's response struct: " + merr.Error())
	}
	return verdict{"outcome": "output", "value": json.RawMessage(raw)}
}

func mapResponseError(err error) verdict {
	var se *sdkerrors.ServerError
	if stderrors.As(err, &se) {
		e := map[string]interface{}{"http_status": se.HttpStatus()}
		put := func(k, v string) {
			if v != "" {
				e[k] = v
			}
		}
		put("code", se.ErrorCode())
		put("message", se.Message())
		put("request_id", se.RequestId())
		put("host_id", se.HostId())
		put("recommend", se.Recommend())
		if d := se.AccessDeniedDetail(); d != nil {
			e["access_denied_detail"] = d
		}
		return verdict{"outcome": "service_error", "error": e}
	}
	msg := err.Error()
	var ce *sdkerrors.ClientError
	if stderrors.As(err, &ce) {
		if ce.ErrorCode() == sdkerrors.JsonUnmarshalErrorCode {
			return reject(classifyJSON(ce.OriginError()), "SDK: "+msg+": "+originText(ce))
		}
		return reject("malformed_body", "SDK client error: "+msg)
	}
	var syn *xml.SyntaxError
	if stderrors.As(err, &syn) {
		return reject("malformed_body", "SDK (encoding/xml): "+msg)
	}
	var num *strconv.NumError
	if stderrors.As(err, &num) {
		return reject("type_mismatch", "SDK (encoding/xml): "+msg)
	}
	var ue xml.UnmarshalError
	if stderrors.As(err, &ue) {
		return reject("unexpected_shape", "SDK (encoding/xml): "+msg)
	}
	if err == io.EOF || stderrors.Is(err, io.ErrUnexpectedEOF) {
		return reject("malformed_body", "SDK (encoding/xml): "+msg)
	}
	return reject("malformed_body", fmt.Sprintf("SDK error %T: %s", err, msg))
}

func originText(ce *sdkerrors.ClientError) string {
	if o := ce.OriginError(); o != nil {
		return o.Error()
	}
	return ""
}

// classifyJSON names the reject kind for a jsoniter error. The SDK wraps every JSON
// failure in one ClientError (SDK.JsonUnmarshalError); only jsoniter's text says what
// failed. The rule, in order: a syntax failure (end of input, bytes left over, a bad
// object key) is malformed_body; a failure at the top level, before any field (the
// document is not an object), is unexpected_shape; any failure under a field path (a
// value the struct field cannot hold) is type_mismatch.
func classifyJSON(origin error) string {
	if origin == nil {
		return "malformed_body"
	}
	t := origin.Error()
	for _, marker := range []string{"unexpected end of input", "there are bytes left", "readFieldHash", "incomplete", "EOF"} {
		if strings.Contains(t, marker) {
			return "malformed_body"
		}
	}
	if strings.HasPrefix(t, "readObjectStart") {
		return "unexpected_shape"
	}
	return "type_mismatch"
}

// ---------------------------------------------------------------------------------------

func handle(line []byte) (v verdict) {
	defer func() {
		if p := recover(); p != nil {
			v = unsupported(fmt.Sprintf("adapter could not drive the SDK: panic: %v", p))
		}
	}()
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var env map[string]interface{}
	if err := dec.Decode(&env); err != nil {
		return unsupported("envelope is not JSON: " + err.Error())
	}
	if p, ok := env["protocol"].(json.Number); !ok || p.String() != "1" {
		return unsupported(`envelope without "protocol": 1`)
	}
	kind, _ := env["kind"].(string)
	switch kind {
	case "request":
		return handleRequest(env)
	case "sign":
		return handleSign(env)
	case "response":
		return handleResponse(env)
	case "incoming":
		return unsupported("incoming (server side): the Go SDK is a client and has no request verifier")
	}
	return unsupported("unknown kind " + kind)
}

func main() {
	origHookGetDate, origHookGetNonce = hookGetDate, hookGetNonce
	if origHookGetDate == nil || origHookGetNonce == nil {
		fmt.Fprintln(os.Stderr, "go-sdk adapter: the SDK's composer hooks were not linked")
		os.Exit(3)
	}
	_ = sdk.Version
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			v := handle(line)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if e := enc.Encode(v); e != nil {
				buf.Reset()
				enc.Encode(unsupported("verdict could not be encoded: " + e.Error()))
			}
			if _, e := os.Stdout.Write(buf.Bytes()); e != nil {
				os.Exit(1)
			}
		}
		if err != nil {
			if err == io.EOF {
				return
			}
			fmt.Fprintln(os.Stderr, "go-sdk adapter: reading stdin:", err)
			os.Exit(1)
		}
	}
}

var _ = sdkModule
