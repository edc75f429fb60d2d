# Pledge tasks. `just` itself comes from npm, pinned by the project:
#   scripts/tools.sh                      # installs just and solc into .tools/
#   $(scripts/tools.sh just) <recipe>     # or add .tools/node_modules/.bin to PATH

set shell := ["bash", "-euo", "pipefail", "-c"]

# list the recipes
default:
    @{{just_executable()}} --justfile {{justfile()}} --list

# build the pledge binary into bin/pledge
build:
    go build -o bin/pledge ./cmd/pledge

# run the project's test command (gofmt, vet, tidy, go test); extra args go to go test
test *args:
    bash scripts/test.sh {{args}}

# the test command with the race detector
race:
    bash scripts/test.sh -race

# formatting and vet only (fast)
lint:
    #!/usr/bin/env bash
    set -euo pipefail
    unformatted="$(gofmt -l .)"
    if [ -n "$unformatted" ]; then echo "not gofmt-ed:"; echo "$unformatted"; exit 1; fi
    go vet ./...

# run every benchmark once, with allocations
bench:
    go test -run '^$' -bench . -benchmem ./...

# fuzz each fuzz target for a short while (default 10s each)
fuzz fuzztime="10s":
    #!/usr/bin/env bash
    set -euo pipefail
    for pkg in $(go list ./...); do
        # `go test -list` prints the matching names, then an "ok" line. An
        # assignment (unlike a for list) stops the recipe if the package
        # does not compile, rather than silently skipping its fuzzers.
        targets="$(go test -list '^Fuzz' "$pkg" | awk '/^Fuzz/')"
        for target in $targets; do
            echo "==> $pkg $target ({{fuzztime}})"
            go test -run '^$' -fuzz "^${target}\$" -fuzztime "{{fuzztime}}" "$pkg"
        done
    done

# compile the Solidity contracts and regenerate the Go bindings
contracts:
    bash scripts/contracts.sh

# measure the contracts' gas on the simulated chain and write the table (docs/gas.md holds the latest)
gas out="/tmp/gas.md":
    PLEDGE_GAS_TABLE={{out}} go test ./contracts -run TestGasTable -count=1 -v

# run the whole system in one process on loopback
devnet *args:
    go run ./cmd/pledge devnet {{args}}

# real geth + Prysm + pledge sidecar end to end (builds the clients into .tools/ once)
e2e:
    bash scripts/e2e-real.sh

# install the pinned npm tools (just, solc) into .tools/
tools:
    bash scripts/tools.sh
