#!/usr/bin/env bash
# Tests bin/get-senda.sh against a server on 127.0.0.1 that plays the release host: a good
# archive (used), a corrupted one (stops, never runs it), no release for the version
# (compiles). Needs target/release/senda (what `cargo build --release` leaves).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(tr -d '[:space:]' < bin/senda-version)"
name="senda-$version-x86_64-unknown-linux-musl"
tmp="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server"; rm -rf "$tmp"' EXIT

# The release host: serves $tmp/host on a free port.
mkdir -p "$tmp/host"
python3 - "$tmp/host" >"$tmp/port" 2>"$tmp/server.log" <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
export SENDA_RELEASES="http://127.0.0.1:$(cat "$tmp/port")"

# A release: an archive of $1 (the binary), and the checksum file.
release() {
  rm -rf "$tmp/host/v$version" "$tmp/$name" && mkdir -p "$tmp/host/v$version" "$tmp/$name"
  strip -o "$tmp/$name/senda" "$1" 2>/dev/null || cp "$1" "$tmp/$name/senda"
  tar -czf "$tmp/host/v$version/$name.tar.gz" -C "$tmp" "$name"
  (cd "$tmp/host/v$version" && sha256sum "$name.tar.gz" >SHA256SUMS)
}

passed=0 failed=0
check() { # check NAME CONDITION...: one result line
  if "${@:2}"; then passed=$((passed + 1)); echo "ok: $1"
  else failed=$((failed + 1)); echo "FAILED: $1"; cat "$tmp/err"; fi
}
site() { rm -rf "$tmp/site" && target/release/senda init "$tmp/site" >/dev/null; }
has() { grep -q -- "$1" "$tmp/err"; }

run() { bash bin/get-senda.sh -C "$tmp/site" build >/dev/null 2>"$tmp/err" && echo ok || echo failed; }

# Good archive: checked, used, the site is built.
site
release target/release/senda
check "a good archive is used" [ "$(run)" = ok ]
check "... its checksum checked" has "SHA-256 ok"
check "... nothing compiled" test "$(has compiling && echo y)" != y
check "... the site is built" test -f "$tmp/site/public/index.html"

# Corrupted archive: the good archive's checksum, another file; that one would leave a mark.
site
release target/release/senda
mv "$tmp/host/v$version/SHA256SUMS" "$tmp/sums"
printf '#!/bin/sh\ntouch "%s/ran"\n' "$tmp" >"$tmp/fake" && chmod +x "$tmp/fake"
release "$tmp/fake"
cp "$tmp/sums" "$tmp/host/v$version/SHA256SUMS"
check "a corrupted archive stops the build" [ "$(run)" = failed ]
check "... saying why" has "does not match its SHA-256"
check "... never running it" test ! -e "$tmp/ran"
check "... nothing built" test ! -e "$tmp/site/public"

# No release of the pinned version: compiles this repository (with a warm target/, seconds).
site
rm -rf "$tmp/host/v$version"
check "no release: compiles instead" [ "$(run)" = ok ]
check "... saying why" has "no release v$version"
check "... the site is built" test -f "$tmp/site/public/index.html"

echo "get-senda: $passed passed, $failed failed"
[ "$failed" = 0 ]
