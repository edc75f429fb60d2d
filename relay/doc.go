// Package relay will hold a constraints-aware relay: the Builder API and the
// Constraints API, returning bids with SSZ multiproofs that every constrained
// transaction is in the payload's transactions_root.
package relay
