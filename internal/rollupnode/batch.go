package rollupnode

import (
	"bytes"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/pledgeproto/pledge/contracts/bindings"
)

// The packed encoding of a post, its accumulator and the calldata of a post
// are sidecar/rollup's (the sidecar writes posts, the node reads them); this
// file only takes the argument back out of a post's calldata.

// postMethod is Inbox.post in the generated bindings' ABI.
var postMethod = func() abi.Method {
	parsed, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		panic(fmt.Sprintf("rollupnode: Inbox ABI: %v", err))
	}
	m, ok := parsed.Methods["post"]
	if !ok {
		panic("rollupnode: Inbox ABI has no post method")
	}
	return m
}()

// PostArgument returns the bytes argument of an Inbox.post call's calldata.
func PostArgument(calldata []byte) ([]byte, error) {
	if len(calldata) < 4 || !bytes.Equal(calldata[:4], postMethod.ID) {
		return nil, fmt.Errorf("%w: calldata does not start with post's selector", ErrNotAPost)
	}
	vals, err := postMethod.Inputs.Unpack(calldata[4:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAPost, err)
	}
	data, ok := vals[0].([]byte)
	if !ok || len(vals) != 1 {
		return nil, fmt.Errorf("%w: post's argument is not bytes", ErrNotAPost)
	}
	return data, nil
}
