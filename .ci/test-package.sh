#!/usr/bin/env bash
# `cargo install` from the crate as crates.io would serve it: packages the crate, checks that
# it holds what the binary embeds and not the guide or the tests, installs the unpacked
# package into a temporary root (reusing target/, so only senda itself compiles), and builds a
# fresh `senda init` site with the installed binary.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(grep -m 1 '^version = ' Cargo.toml | cut -d '"' -f 2)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --allow-dirty: a developer may run this with changes not yet committed.
cargo package --locked --no-verify --allow-dirty --quiet
tar -xzf "target/package/senda-$version.crate" -C "$tmp"
pkg="$tmp/senda-$version"
for need in build.rs Cargo.lock README.md src/main.rs themes/default/templates i18n; do
  [ -e "$pkg/$need" ] || { echo "the package lacks $need"; exit 1; }
done
for unwanted in content tests docs bench site.toml netlify.toml; do
  [ ! -e "$pkg/$unwanted" ] || { echo "the package holds $unwanted"; exit 1; }
done

CARGO_TARGET_DIR="$PWD/target" cargo install --locked --quiet --path "$pkg" --root "$tmp/root"
senda="$tmp/root/bin/senda"
"$senda" --version
"$senda" --version | grep -Eq "^senda $version \(commit [0-9a-f]{12}\)$" ||
  { echo "senda --version does not name the commit"; exit 1; }
"$senda" init "$tmp/site" >/dev/null
"$senda" -C "$tmp/site" build
test -f "$tmp/site/public/index.html"
echo "package: senda $version installs from its crate and builds a new site"
