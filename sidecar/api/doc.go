// Package api serves the sidecar's user API of docs/protocol.md §3 over HTTP:
// JSON-RPC 2.0 on POST / and on each Commitments API method's own path (POST
// /commitmentRequest, /commitmentResult, /slots, /fee), with the Bolt methods
// bolt_requestInclusion, bolt_metadata and bolt_getVersion beside them; the
// same calls in the Commitments API's REST form under
// /commitments/v0/gateway/ (both path styles the spec has used, fee by POST
// and by GET); and /livez, /readyz and /metrics for operators.
//
// Params are read in both JSON-RPC forms, positional (an array) and named (an
// object), because the Commitments API's texts and its reference
// implementation use both (forms.go). The answers follow the spec's types;
// bolt_* answers follow Bolt's, errors included (bolt.go).
//
// Every refusal is a JSON-RPC error whose code is the contract of §4. One
// table (Codes) maps the backend's sentinel errors to those codes; an error
// that matches no sentinel is an internal error: the user sees -32603 and a
// request id, the log holds the cause.
//
// HTTP statuses: the REST form answers each error with the status §4 gives
// its code. On the JSON-RPC paths the status is not 200 only when the body is
// refused as a whole before any call in it is read — rate limited (429), too
// large (413), not JSON (400), an empty or oversized batch (400); otherwise it
// is 200 with each call's result or error inside, as JSON-RPC clients expect,
// or 204 when every call was a notification.
//
// Each client (remote IP) has a token bucket; a batch costs one token per
// call. Calls of a batch run in order, one at a time.
package api
