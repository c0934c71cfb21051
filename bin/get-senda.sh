#!/usr/bin/env bash
# Runs senda with the given arguments (`bash bin/get-senda.sh build`) without compiling it:
# downloads the release archive of the version pinned in bin/senda-version, checks its SHA-256
# against the release's checksum file, and runs the binary inside. Only when that version has
# no release (the host answers 404) does it compile senda, which takes minutes.
# A checksum mismatch stops with an error: the downloaded file is never run.
#
# SENDA_RELEASES overrides where the releases are (the tests use a server on 127.0.0.1).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d '[:space:]' < "$root/bin/senda-version")"
base="${SENDA_RELEASES:-https://github.com/senda-guides/senda/releases/download}/v$version"
say() { echo "get-senda: $*" >&2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) target="" ;;
esac
archive="senda-$version-$target.tar.gz"

compile() {
  say "$1: compiling senda $version instead (this takes minutes)"
  if command -v rustup >/dev/null; then
    rustup show active-toolchain >/dev/null 2>&1 || { rustup set profile minimal && rustup default stable; }
  elif ! command -v cargo >/dev/null; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    . "$HOME/.cargo/env"
  fi
  if grep -q '^name = "senda"$' "$root/Cargo.toml" 2>/dev/null; then
    cargo build --release --locked --manifest-path "$root/Cargo.toml" >&2
    bin="${CARGO_TARGET_DIR:-$root/target}/release/senda"
  else
    cargo install --locked --root "$tmp" senda --version "$version" >&2
    bin="$tmp/bin/senda"
  fi
}

sha256() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi; }

if [ -z "$target" ]; then
  compile "no release binary for $(uname -s) $(uname -m)"
else
  status="$(curl -sSL --retry 3 -o "$tmp/SHA256SUMS" -w '%{http_code}' "$base/SHA256SUMS")" ||
    { say "cannot reach $base: check the network, then run the build again"; exit 1; }
  if [ "$status" = 404 ]; then
    compile "no release v$version at $base"
  elif [ "$status" != 200 ]; then
    say "$base/SHA256SUMS answered HTTP $status: run the build again later"; exit 1
  else
    curl -fsSL --retry 3 -o "$tmp/$archive" "$base/$archive" ||
      { say "cannot download $base/$archive"; exit 1; }
    expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")"
    actual="$(sha256 "$tmp/$archive" | cut -d ' ' -f 1)"
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      say "STOP: $archive does not match its SHA-256 in $base/SHA256SUMS"
      say "expected ${expected:-(no line for it)}, got $actual; the file was NOT run."
      say "Run the build again; if this repeats, the download is broken or was tampered with."
      exit 1
    fi
    say "$archive: SHA-256 ok"
    tar -xzf "$tmp/$archive" -C "$tmp"
    bin="$tmp/senda-$version-$target/senda"
  fi
fi
"$bin" "$@"
