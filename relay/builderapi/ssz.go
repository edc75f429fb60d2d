package builderapi

import dynssz "github.com/pk910/dynamic-ssz"

// Mainnet list limits of the types written here (the SSZ limits, not what a
// block may carry at a given blob schedule).
const (
	// MaxBlobCommitmentsPerBlock is MAX_BLOB_COMMITMENTS_PER_BLOCK.
	MaxBlobCommitmentsPerBlock = 4096
	// CellsPerExtBlob is FIELD_ELEMENTS_PER_EXT_BLOB / FIELD_ELEMENTS_PER_CELL: the
	// number of cell proofs per blob in a Fulu blobs bundle.
	CellsPerExtBlob = 128
	// MaxWithdrawalsPerPayload is MAX_WITHDRAWALS_PER_PAYLOAD.
	MaxWithdrawalsPerPayload = 16
)

// sszCodec is a private dynamic-ssz instance with mainnet limits, so a
// program that swaps the global instance's specs (a minimal-preset devnet)
// does not change the roots signed here.
var sszCodec = dynssz.NewDynSsz(nil)
