#!/usr/bin/env bash
# Builds xodim-core and generates its Kotlin, Swift and Python bindings (library mode) into
# target/bindings/<language>. The Python module gets the shared library beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Callers that build a larger set themselves pass XODIM_SKIP_BUILD=1: building another package
# set would unify features differently and rebuild dependencies.
[ "${XODIM_SKIP_BUILD:-}" = 1 ] || cargo build -p xodim-core -p xodim-bindings
lib=target/debug/libxodim_core.so
[ -f "$lib" ] || lib=target/debug/libxodim_core.dylib
out=target/bindings
rm -rf "$out"
for language in kotlin swift python; do
  target/debug/uniffi-bindgen generate --library "$lib" --language "$language" --out-dir "$out/$language" --no-format
done
cp "$lib" "$out/python/"
echo "bindings in $out"
