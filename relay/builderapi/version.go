package builderapi

import (
	"encoding/json"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec"
)

// CheckVersion returns nil for the fork versions this package models.
func CheckVersion(v spec.DataVersion) error {
	switch v {
	case spec.DataVersionElectra, spec.DataVersionFulu:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrUnsupportedVersion, v)
}

// ParseVersion reads a fork name such as "fulu" (the Eth-Consensus-Version
// header, or the version field of an envelope) and checks it is supported.
func ParseVersion(name string) (spec.DataVersion, error) {
	var v spec.DataVersion
	if err := v.UnmarshalJSON([]byte(`"` + name + `"`)); err != nil {
		return 0, fmt.Errorf("%w: %q", ErrUnsupportedVersion, name)
	}
	if err := CheckVersion(v); err != nil {
		return 0, err
	}
	return v, nil
}

// envelope is the {version, data} wrapper of versioned responses.
type envelope struct {
	Version string          `json:"version"`
	Data    json.RawMessage `json:"data"`
}

func marshalEnvelope(v spec.DataVersion, data any) ([]byte, error) {
	if err := CheckVersion(v); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Version: v.String(), Data: raw})
}

// unmarshalEnvelope decodes the wrapper, checks the version and decodes data into dst.
func unmarshalEnvelope(b []byte, dst any) (spec.DataVersion, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if e.Version == "" || len(e.Data) == 0 {
		return 0, fmt.Errorf("%w: version and data are required", ErrMalformed)
	}
	v, err := ParseVersion(e.Version)
	if err != nil {
		return 0, err
	}
	if err := json.Unmarshal(e.Data, dst); err != nil {
		return 0, fmt.Errorf("%w: data: %w", ErrMalformed, err)
	}
	return v, nil
}
