package rollupnode_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pledgeproto/pledge/internal/rollupnode"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

func TestPostArgument(t *testing.T) {
	t.Parallel()
	data, err := rollup.EncodePost([]rollup.Batch{{ChainID: 1, Txs: [][]byte{{9}}}})
	if err != nil {
		t.Fatal(err)
	}
	calldata := rollup.PostCalldata(data)
	got, err := rollupnode.PostArgument(calldata)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("argument %x, %v; want %x", got, err, data)
	}
	for name, cd := range map[string][]byte{
		"short":          calldata[:3],
		"other selector": append([]byte{1, 2, 3, 4}, calldata[4:]...),
		"truncated args": calldata[:len(calldata)-40],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := rollupnode.PostArgument(cd); !errors.Is(err, rollupnode.ErrNotAPost) {
				t.Fatalf("error %v, want ErrNotAPost", err)
			}
		})
	}
}
