#!/usr/bin/env bash
# Fires N concurrent enters at one clinic and checks that the numbers handed out are exactly 1..N:
# no duplicate, no gap, every reply a 200 with a well-formed ticket.
#   BASE_URL  the app (default http://127.0.0.1:7071)
#   CLINIC    the clinic (default lab); reset it first, or use a fresh one, for a clean 1..N
#   N         how many patients (default 5)
#   RESET     1 to reset the clinic before the burst, with FUNCTION_KEY as the admin key
set -uo pipefail

BASE_URL="${BASE_URL:-http://127.0.0.1:7071}"
CLINIC="${CLINIC:-lab}"
N="${N:-5}"
RESET="${RESET:-0}"
FUNCTION_KEY="${FUNCTION_KEY:-}"

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
case "$N" in ''|*[!0-9]*|0) echo "error: N must be a positive whole number" >&2; exit 2 ;; esac

if [ "$RESET" = "1" ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE_URL/api/v1/queue/reset" \
    -H 'Content-Type: application/json' -H "x-functions-key: $FUNCTION_KEY" -d "{\"clinic\":\"$CLINIC\"}")
  [ "$code" = "200" ] || { echo "error: reset of $CLINIC answered $code" >&2; exit 1; }
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "Sending $N concurrent enters to $BASE_URL (clinic $CLINIC)..."
start=$(date +%s%N)
for i in $(seq 1 "$N"); do
  curl -s --max-time 60 -o "$out/$i.json" -w '%{http_code}' -X POST "$BASE_URL/api/v1/queue/enter" \
    -H 'Content-Type: application/json' -d "{\"clinic\":\"$CLINIC\",\"user\":\"TEST_$i\"}" >"$out/$i.code" &
done
wait
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))

failures=0
: >"$out/numbers"
for i in $(seq 1 "$N"); do
  code="$(cat "$out/$i.code")"
  number="$(jq -er 'select(.success == true and .user == "TEST_'"$i"'" and .status == "WAITING") | .number | select(type == "number")' "$out/$i.json" 2>/dev/null)"
  if [ "$code" != "200" ] || [ -z "$number" ]; then
    echo "TEST_$i -> FAILED (HTTP $code): $(head -c 300 "$out/$i.json")"
    failures=$((failures + 1))
    continue
  fi
  echo "TEST_$i -> $number"
  echo "$number" >>"$out/numbers"
done

duplicates="$(sort -n "$out/numbers" | uniq -d | tr '\n' ' ')"
expected="$(seq 1 "$N" | tr '\n' ' ')"
actual="$(sort -n "$out/numbers" | tr '\n' ' ')"

echo "$N enters in ${elapsed_ms} ms"
if [ -n "$duplicates" ]; then
  echo "FAIL: duplicate numbers: $duplicates"; exit 1
fi
if [ "$failures" -gt 0 ]; then
  echo "FAIL: $failures of $N requests did not get a ticket"; exit 1
fi
if [ "$actual" != "$expected" ]; then
  echo "FAIL: the numbers are not exactly 1..$N (gap or offset): $actual"; exit 1
fi
echo "OK: $N unique numbers, exactly 1..$N"
