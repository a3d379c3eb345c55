#!/usr/bin/env bash
# npm-unpack.sh — fetch a pinned npm package and unpack it, for the Makefile's vendoring
# recipes (dsfr, axe, vnu).
#
# Usage: scripts/npm-unpack.sh NAME@VERSION SHA256 DIR
#
# Runs `npm pack` for NAME@VERSION in DIR, refuses the tarball unless its sha256 is SHA256,
# and unpacks it into DIR/package/. DIR is the caller's (a temporary folder it removes).
set -euo pipefail

[ $# -eq 3 ] || {
	echo "usage: $0 NAME@VERSION SHA256 DIR" >&2
	exit 2
}
pkg=$1 want=$2 dir=$3
tgz=$(cd "$dir" && npm pack --silent "$pkg" | tail -n 1)
sum=$(sha256sum "$dir/$tgz" | cut -d' ' -f1)
if [ "$sum" != "$want" ]; then
	echo "npm-unpack: $pkg ($tgz) has sha256 $sum, expected $want (update the Makefile's checksum with the version)" >&2
	exit 1
fi
tar -xzf "$dir/$tgz" -C "$dir"
