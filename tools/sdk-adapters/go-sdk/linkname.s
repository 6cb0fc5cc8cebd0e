// Empty assembly file: lets adapter.go declare the body-less, go:linkname-ed
// auth.buildRpcStringToSign (the Go toolchain requires one in the package).
