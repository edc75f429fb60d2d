package constraints

import "github.com/pledgeproto/pledge/sidecar/admission"

// Templates gives the L1 transactions promised for a slot, in the order they
// open the block (network encoding, blob transactions with their sidecar).
type Templates interface {
	TopOfBlock(slot uint64) [][]byte
}

// TemplateFunc adapts a function to Templates.
type TemplateFunc func(slot uint64) [][]byte

// TopOfBlock calls f.
func (f TemplateFunc) TopOfBlock(slot uint64) [][]byte { return f(slot) }

// AdmissionTemplater is the part of the admission engine the adapter reads.
type AdmissionTemplater interface {
	Template(slot uint64) []admission.Entry
}

// FromAdmission returns the transactions for L1 chain chainID of the
// admission engine's slot template, in template order. Rollup transactions
// reach L1 through their batch transaction, not as constraints of their own.
func FromAdmission(e AdmissionTemplater, chainID uint64) Templates {
	return TemplateFunc(func(slot uint64) [][]byte {
		var out [][]byte
		for _, en := range e.Template(slot) {
			for i, raw := range en.Txs {
				if i < len(en.Inclusions) && en.Inclusions[i].ChainID == chainID {
					out = append(out, raw)
				}
			}
		}
		return out
	})
}
