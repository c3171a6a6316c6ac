#!/usr/bin/env bash
# The HTTP server core through the real binary: `prospect serve --port 0` on a temporary
# database, driven with curl and python3 sockets. Health, readiness and metrics routes;
# security headers and request ids on every response; problem+json for 404, 405 and 413; the
# access log (route pattern, never the query string); a client trickling one byte a second is
# cut off; SIGTERM lets a request in flight finish, then serve exits 0. Prints TAP.
#   tests/integration/api_test.sh PATH/TO/prospect SOURCE_ROOT
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/prospect-api-XXXXXX)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
unset PROSPECT_CONFIG PROSPECT_DATABASE_PATH PROSPECT_SERVER_PORT PROSPECT_SERVER_ADDRESS

. "$here/tap.sh"
equals() { [ "$1" = "$2" ] || { echo "#   expected \"$2\", got \"$1\""; return 1; }; }

# get ARGS...: curl with headers in $work/headers, body in $work/body, status in $status.
status=""
get() { status=$(curl -sS --max-time 10 -D "$work/headers" -o "$work/body" -w '%{http_code}' "$@"); }
header() { grep -i "^$1:" "$work/headers" | head -n 1 | sed 's/^[^:]*: *//; s/\r$//'; }
body() { cat "$work/body"; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/body" "$1"; }
has_security_headers() {
  equals "$(header X-Content-Type-Options)" nosniff && equals "$(header X-Frame-Options)" DENY &&
    equals "$(header Referrer-Policy)" no-referrer && equals "$(header Cache-Control)" no-store &&
    header Content-Security-Policy | grep -q "default-src 'none'"
}

"$bin" init --tenant acme >/dev/null 2>&1

# start_serve: starts serve on a free port and sets $base; fails after 30 s without the line.
start_serve() {
  : >serve.log
  "$bin" serve --port 0 --http-threads 2 >serve.log 2>&1 &
  serve_pid=$!
  local i port=""
  for ((i = 0; i < 300; i++)); do
    port=$(sed -n 's|^prospect: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' serve.log)
    [ -n "$port" ] && break
    sleep 0.1
  done
  base="http://127.0.0.1:$port"
  [ -n "$port" ]
}

check "serve --port 0 prints the address it listens on" start_serve

# --- routes, headers, request ids --------------------------------------------------------------
get "$base/healthz"
check "GET /healthz answers 200 {\"status\":\"ok\"} as JSON" eval 'equals "$status" 200 && equals "$(body)" "{\"status\":\"ok\"}" && equals "$(header Content-Type)" application/json'
check "responses carry the security headers" has_security_headers
check "responses carry a 16-hex X-Request-Id" eval '[[ "$(header X-Request-Id)" =~ ^[0-9a-f]{16}$ ]]'
first_id=$(header X-Request-Id)
get "$base/healthz"
check "request ids differ between requests" eval '[ "$(header X-Request-Id)" != "$first_id" ]'
get -H 'X-Request-Id: trace-0123456789' "$base/healthz"
check "a well-formed incoming X-Request-Id is kept" equals "$(header X-Request-Id)" trace-0123456789
get -H 'X-Request-Id: bad id with spaces' "$base/healthz"
check "a malformed incoming X-Request-Id is replaced" eval '[[ "$(header X-Request-Id)" =~ ^[0-9a-f]{16}$ ]]'
get -I "$base/healthz"
check "HEAD /healthz answers 200 without a body" eval 'equals "$status" 200 && ! grep -q status "$work/body"'

get "$base/readyz"
check "GET /readyz answers 200 with a current schema" eval 'equals "$status" 200 && equals "$(json status)" ready'

get "$base/nope/x?api_key=s3cr3t-in-query"
nf_id=$(header X-Request-Id)
check "an unknown path answers 404 problem+json" eval 'equals "$status" 404 && equals "$(header Content-Type)" application/problem+json'
check "the 404 problem has type, title, status and the request id" eval 'equals "$(json type)" https://prospect.dev/problems/not-found && equals "$(json title)" "Not Found" && equals "$(json status)" 404 && equals "$(json request_id)" "$nf_id"'
check "error responses carry the security headers" has_security_headers

get -X POST "$base/healthz"
check "a known path with another method answers 405 with Allow" eval 'equals "$status" 405 && equals "$(header Allow)" "GET, HEAD" && equals "$(json type)" https://prospect.dev/problems/method-not-allowed'

head -c 70000 /dev/zero | tr '\0' 'a' >big.txt
get -X GET --data-binary @big.txt "$base/healthz"
check "a body over the route's 64 KiB limit answers 413 problem+json" eval 'equals "$status" 413 && equals "$(json type)" https://prospect.dev/problems/too-large'
get -X GET -H 'Transfer-Encoding: chunked' --data-binary @big.txt "$base/healthz"
check "a chunked body over the limit answers 413 too" equals "$status" 413

get "$base/metrics"
check "GET /metrics counts the /healthz requests" eval 'equals "$status" 200 && body | grep -Eq "^prospect_http_requests_total\{route=\"/healthz\",method=\"GET\",status=\"200\"\} [4-9]"'
check "/metrics has the latency histogram" eval 'body | grep -q "^prospect_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"'
check "unknown paths are counted as \"unmatched\", never by raw path" eval 'body | grep -q "route=\"unmatched\",method=\"GET\",status=\"404\"" && ! body | grep -q "/nope"'

check "the access log has one JSON line per request with id, route and status" eval 'grep -F "\"id\":\"$nf_id\"" serve.log | grep -F "\"route\":\"unmatched\"" | grep -F "\"status\":\"404\"" | grep -q "\"duration_ms\""'
check "the access log never holds the raw URL or its query string" eval '! grep -q "s3cr3t" serve.log && ! grep -q "/nope" serve.log'

# --- a client trickling one byte a second is cut off --------------------------------------------
# The request would take 60 s to send; the server must hang up long before the end (its
# request timeout is 10 s), so the client never gets to read a response.
slow=$(python3 - "${base##*:}" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(1.0)
request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 28 + b"\r\n\r\n"
sent = 0
try:
    for byte in request:
        s.sendall(bytes([byte]))
        sent += 1
        try:
            if s.recv(1024) == b"":
                print("closed after %d of %d bytes" % (sent, len(request)))
                sys.exit(0)
        except socket.timeout:
            pass
    print("served: sent all %d bytes" % len(request))
except (BrokenPipeError, ConnectionResetError):
    print("closed after %d of %d bytes" % (sent, len(request)))
PY
)
check "a client sending one byte a second is cut off ($slow)" eval '[[ "$slow" == closed* ]]'
get "$base/healthz"
check "the server still answers afterwards" equals "$status" 200

# --- graceful stop --------------------------------------------------------------------------------
# A request in flight when SIGTERM arrives (request line sent, headers not finished) completes;
# new connections are not served; serve exits 0.
python3 - "${base##*:}" >inflight.out 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
open("inflight.started", "w").close()
time.sleep(3)
s.sendall(b"\r\n")
s.settimeout(10)
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode("utf-8", "replace").splitlines()[0] if data else "no response")
PY
client_pid=$!
for ((i = 0; i < 100; i++)); do [ -e inflight.started ] && break; sleep 0.1; done
kill -TERM "$serve_pid"
sleep 1.5
late=$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' "$base/healthz")
wait "$client_pid"
wait "$serve_pid"; code=$?; serve_pid=""
check "after SIGTERM new requests are not served" eval '[ "$late" != 200 ]'
check "the request in flight at SIGTERM completes with 200" eval 'grep -q "^HTTP/1.1 200" inflight.out || { cat inflight.out; false; }'
check "serve exits 0 after SIGTERM" eval 'exit_is 0 && grep -q "prospect: stopped" serve.log'

# --- flags ------------------------------------------------------------------------------------------
run serve --port 70000
check "serve --port out of range is a usage error" eval 'exit_is 64 && err_has "--port takes a number from 0 to 65535"'
run serve --http-threads 0
check "serve --http-threads 0 is a usage error" eval 'exit_is 64 && err_has "--http-threads"'
run serve --address 256.1.1.1 --port 0
check "an address that is not an IP address is a configuration error" eval 'exit_is 78 && err_has "server.address"'
run serve --help
check "serve --help documents the HTTP flags" eval 'exit_is 0 && out_has "--port N" && out_has "--address A" && out_has "--http-threads N"'

echo "1..$n"
[ "$failed" -eq 0 ]
