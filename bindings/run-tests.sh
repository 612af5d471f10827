#!/usr/bin/env bash
# Runs the foreign-language tests of xodim-core against a real server: the same scenario in
# Python and in Kotlin on the JVM. Needs python3, Java 17, JNA (Debian libjna-java) and npm
# (for the Kotlin compiler, fetched once into target/tools).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cargo build -p xodim-core -p xodim-bindings -p xodim-server
XODIM_SKIP_BUILD=1 bindings/generate.sh
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The demo server runs on the embedded defaults, or with DATABASE_URL on PostgreSQL in a database
# of its own (and with REDIS_URL on Redis under a key prefix of its own).
server_env=(env -u DATABASE_URL -u REDIS_URL XODIM_DEMO_PASSWORD=bindings-demo-2026)
database=""
case "${DATABASE_URL:-}" in
  "" | sqlite:*) ;;
  postgres://* | postgresql://*)
    database="xodim_bindings_$$_$(date +%s)"
    psql "$DATABASE_URL" -qc "CREATE DATABASE $database"
    server_env+=(DATABASE_URL="${DATABASE_URL%/*}/$database") ;;
  *) echo "DATABASE_URL names neither SQLite nor PostgreSQL: $DATABASE_URL" >&2; exit 1 ;;
esac
[ -n "${REDIS_URL:-}" ] && server_env+=(REDIS_URL="$REDIS_URL" XODIM_REDIS_PREFIX="xodim-bindings-$$:")
echo "==> demo server on ${database:-SQLite}${REDIS_URL:+ with Redis}"
( cd "$work" && "${server_env[@]}" \
    "$root/target/debug/xodim-server" --listen "127.0.0.1:$port" demo > server.log 2>&1 ) &
server=$!
cleanup() {
  kill $server 2>/dev/null || true
  wait $server 2>/dev/null || true
  [ -z "$database" ] || psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.5
done
export XODIM_URL="http://127.0.0.1:$port" XODIM_LOGIN=demo-servant XODIM_HR_LOGIN=demo-hr \
  XODIM_PASSWORD=bindings-demo-2026

echo "==> Python"
PYTHONPATH=target/bindings/python python3 bindings/tests/python/test_contact_offline.py
PYTHONPATH=target/bindings/python python3 bindings/tests/python/test_records_correction.py
PYTHONPATH=target/bindings/python python3 bindings/tests/python/test_long_queue_and_wipe.py

echo "==> Kotlin"
tools=target/tools
kotlinc=$tools/kotlinc/package/bin/kotlinc
if [ ! -x "$kotlinc" ]; then
  mkdir -p "$tools/kotlinc"
  ( cd "$tools/kotlinc" && npm pack --silent kotlin-compiler@2.4.20 >/dev/null && tar xzf kotlin-compiler-*.tgz )
fi
jna=/usr/share/java/jna.jar
classes=$work/kotlin
# One compilation for every scenario; each has its own main (in packages `records` and `wipe`).
"$kotlinc" -nowarn target/bindings/kotlin/uniffi/xodim_core/xodim_core.kt bindings/tests/kotlin/ContactOfflineTest.kt \
  bindings/tests/kotlin/RecordsCorrectionTest.kt bindings/tests/kotlin/LongQueueWipeTest.kt -cp "$jna" -d "$classes.jar"
classpath="$classes.jar:$jna:$tools/kotlinc/package/lib/kotlin-stdlib.jar"
java -Djna.library.path=target/debug -cp "$classpath" ContactOfflineTestKt
java -Djna.library.path=target/debug -cp "$classpath" records.RecordsCorrectionTestKt
java -Djna.library.path=target/debug -cp "$classpath" wipe.LongQueueWipeTestKt
echo "bindings tests passed"
