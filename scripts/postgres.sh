#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of the PostgreSQL promise store
# (sidecar/store/postgres) and the high-availability tests: Debian's
# `postgresql` package, installed with apt when missing, and a cluster of its
# own in a directory the caller names, on loopback only, trust auth on
# 127.0.0.1, fsync and synchronous_commit on (the durability the store relies
# on is the real one).
#
# Usage:
#   scripts/postgres.sh start DIR [PORT]   init + start a cluster in DIR (made if missing;
#                                          PORT: a free one is chosen) and print its DSN
#   scripts/postgres.sh stop DIR           stop the cluster in DIR and delete DIR
#   scripts/postgres.sh install            install the package only
#
# The DSN is printed alone on stdout, so `dsn="$(scripts/postgres.sh start "$dir")"`
# works; everything else goes to stderr. scripts/test.sh exports it as
# PLEDGE_POSTGRES_DSN for `go test`.
set -euo pipefail

say() { echo "scripts/postgres.sh: $*" >&2; }
die() {
	say "FAILED: $*"
	exit 1
}

# pg_bin prints the newest installed server's bin directory, or nothing.
pg_bin() {
	local d
	d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
		echo "$d"
	fi
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		die "not root and no sudo: install Debian's postgresql package by hand"
	fi
}

install_pg() {
	[ -n "$(pg_bin)" ] && return 0
	command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server and no apt-get to install Debian's postgresql package"
	say "installing Debian's postgresql package (once per machine)"
	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine may have no package lists yet: update only if the
	# install cannot find the package.
	if ! as_root apt-get install -y -q --no-install-recommends postgresql >&2; then
		as_root apt-get update -q >&2 || die "apt-get update"
		as_root apt-get install -y -q --no-install-recommends postgresql >&2 || die "apt-get install postgresql"
	fi
	[ -n "$(pg_bin)" ] || die "postgresql installed but no server binaries under /usr/lib/postgresql"
}

# run_pg runs a server binary as a user that PostgreSQL accepts: initdb and
# postgres refuse to run as root, so root runs them as the package's
# `postgres` system user.
run_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root and there is no 'postgres' user to run the server as"
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found on 127.0.0.1"
}

start() {
	local dir="${1:?usage: scripts/postgres.sh start DIR [PORT]}" port="${2:-}"
	install_pg
	local bin
	bin="$(pg_bin)"
	mkdir -p "$dir"
	dir="$(cd "$dir" && pwd)"
	local data="$dir/data"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$dir"
		chmod 700 "$dir"
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		# --no-sync: the throwaway cluster's own files need no fsync at
		# creation; the server below runs with fsync on.
		run_pg "$bin/initdb" -D "$data" -U pledge -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
			die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
		cat >"$data/pg_hba.conf" <<-EOF
			local all all trust
			host  all all 127.0.0.1/32 trust
		EOF
	fi
	local tries=0
	while :; do
		[ -n "$port" ] || port="$(free_port)"
		if run_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 start -o \
			"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=64MB" >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ -n "${2:-}" ] || [ "$tries" -ge 5 ]; then
			die "pg_ctl start failed: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
		fi
		port="" # taken meanwhile: another one
	done
	echo "$port" >"$dir/port"
	local psql="$bin/psql"
	[ -x "$psql" ] || psql="psql"
	if ! run_pg "$psql" -h 127.0.0.1 -p "$port" -U pledge -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'pledge'" | grep -q 1; then
		run_pg "$psql" -h 127.0.0.1 -p "$port" -U pledge -d postgres -qc "CREATE DATABASE pledge" >&2 || die "create database pledge"
	fi
	say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
	echo "postgres://pledge@127.0.0.1:$port/pledge?sslmode=disable"
}

stop() {
	local dir="${1:?usage: scripts/postgres.sh stop DIR}"
	[ -d "$dir" ] || return 0
	local bin
	bin="$(pg_bin)"
	if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
		run_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || say "pg_ctl stop failed; deleting $dir anyway"
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start) start "${2:-}" "${3:-}" ;;
stop) stop "${2:-}" ;;
install) install_pg ;;
*)
	echo "usage: scripts/postgres.sh start DIR [PORT] | stop DIR | install" >&2
	exit 2
	;;
esac
