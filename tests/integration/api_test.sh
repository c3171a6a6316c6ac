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

# --- bearer authentication, scopes, tenancy, /v1/contacts -----------------------------------------
cat >people.csv <<'CSV'
first_name,last_name,email,company,title,city,state,zip
Ann,Lee,ann@acme.com,Acme Inc,VP Sales,San Francisco,CA,94103
Bob,Roe,bob@beta.io,Beta,CEO,Austin,TX,73301
Cy,Doe,cy@gamma.co,,Owner,New York,NY,10001
Dee,Fox,dee@delta.com,Delta,CTO,Boston,MA,02108
Ed,Gray,ed@eps.com,Eps,CFO,Denver,CO,80202
CSV
"$bin" import people.csv >/dev/null 2>&1
read_key=$("$bin" key create --name reader --scopes read 2>/dev/null)
write_key=$("$bin" key create --name writer --scopes write 2>/dev/null)
gone_key=$("$bin" key create --name gone --scopes read 2>/dev/null)
admin_key=$("$bin" key create --name admin --scopes admin 2>/dev/null)
"$bin" tenant create other >/dev/null 2>&1
other_key=$("$bin" key create --tenant other --name other --scopes read 2>/dev/null)
check "keys for the API tests were issued" eval '[ -n "$read_key" ] && [ -n "$write_key" ] && [ -n "$gone_key" ] && [ -n "$other_key" ]'
auth() { get -H "Authorization: Bearer $1" "${@:2}"; }
is_401() { equals "$status" 401 && equals "$(header WWW-Authenticate)" 'Bearer realm="prospect"' && equals "$(header Content-Type)" application/problem+json && equals "$(json type)" https://prospect.dev/problems/unauthorized; }

get "$base/v1/contacts"
check "/v1/contacts without Authorization answers 401 problem+json with WWW-Authenticate" is_401
get -H "Authorization: Basic dXNlcjpwYXNz" "$base/v1/contacts"
check "another auth scheme answers 401" is_401
get -H "Authorization: Bearer" "$base/v1/contacts"
check "a Bearer header without a token answers 401" is_401
get -H "Authorization: Bearer a b" "$base/v1/contacts"
check "a malformed bearer token answers 401" is_401
auth "prospect_zzzzzzzz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$base/v1/contacts"
check "an unknown key answers 401 \"invalid API key\"" eval 'is_401 && equals "$(json detail)" "invalid API key"'
auth "${read_key%?}x" "$base/v1/contacts"
check "a known prefix with a wrong secret answers 401" is_401
auth "$gone_key" "$base/v1/contacts"
check "a key works before it is revoked" equals "$status" 200
"$bin" key revoke "$(echo "$gone_key" | cut -d_ -f2)" --tenant acme >/dev/null 2>&1
auth "$gone_key" "$base/v1/contacts"
check "a revoked key answers 401 at once" is_401
# Scopes imply downwards (admin > write > read, core/access.h), so a "write" key may read; the
# 403 shows on the admin route.
auth "$write_key" "$base/v1/contacts"
check "a write key may read (write implies read)" equals "$status" 200
auth "$read_key" "$base/v1/api-keys"
check "a key without the admin scope answers 403 problem+json on /v1/api-keys" eval 'equals "$status" 403 && equals "$(json type)" https://prospect.dev/problems/forbidden && json detail | grep -q "\"admin\" scope"'
auth "$write_key" "$base/v1/api-keys"
check "... and so does a write key" equals "$status" 403
auth "$admin_key" "$base/v1/api-keys"
check "an admin key lists the tenant's keys: prefixes, never tokens or hashes" eval 'equals "$status" 200 && body | grep -q "\"prefix\":\"$(echo "$gone_key" | cut -d_ -f2)\"" && ! body | grep -qF "${read_key##*_}" && ! body | grep -q hash && ! body | grep -q "\"name\":\"other\""'
auth "$admin_key" "$base/v1/contacts"
check "admin implies read" equals "$status" 200
auth "$read_key" "$base/healthz"
check "health routes still answer with or without a key" equals "$status" 200

auth "$read_key" "$base/v1/contacts"
check "GET /v1/contacts lists the tenant's contacts" eval 'equals "$status" 200 && equals "$(python3 -c "import json; d=json.load(open(\"$work/body\")); print(len(d[\"data\"]), d[\"next_after\"])")" "5 None"'
check "a contact has the documented fields, company by name" eval 'python3 - "$work/body" <<'"'"'PY'"'"'
import json, sys
c = json.load(open(sys.argv[1]))["data"][0]
want = ["id", "first_name", "last_name", "email", "phone", "company", "title", "city", "state", "zip", "score", "is_suppressed"]
assert list(c) == want, list(c)
assert c["email"] == "ann@acme.com" and c["company"] == "Acme Inc" and c["is_suppressed"] is False
PY'
ann_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"][0]["id"])' "$work/body")
pages=$(python3 - "$base" "$read_key" <<'PY'
import json, sys, urllib.request
base, key = sys.argv[1], sys.argv[2]
seen, after, pages = [], None, 0
while True:
    url = base + "/v1/contacts?limit=2" + ("" if after is None else "&after=%d" % after)
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + key})
    page = json.load(urllib.request.urlopen(req))
    pages += 1
    seen += [c["id"] for c in page["data"]]
    after = page["next_after"]
    if after is None or pages > 10:
        break
print(pages, len(seen), len(set(seen)), seen == sorted(seen))
PY
)
check "following next_after with limit=2 reads every contact once, in 3 pages ($pages)" equals "$pages" "3 5 5 True"
for bad in 0 201 -1 abc 1.5 "" 99999999999999999999; do
  auth "$read_key" "$base/v1/contacts?limit=$bad"
  check "limit=$bad answers 400 problem+json naming limit" eval 'equals "$status" 400 && equals "$(json type)" https://prospect.dev/problems/usage && json detail | grep -q "^limit:"'
done
auth "$read_key" "$base/v1/contacts?after=x"
check "after=x answers 400 naming after" eval 'equals "$status" 400 && json detail | grep -q "^after:"'
auth "$read_key" "$base/v1/contacts?limit=200&after=$ann_id"
check "after=ID starts after that contact" eval 'equals "$status" 200 && ! body | grep -q "ann@acme.com" && body | grep -q "bob@beta.io"'

auth "$read_key" "$base/v1/contacts/$ann_id"
check "GET /v1/contacts/{id} answers the contact with its score breakdown member" eval 'equals "$status" 200 && equals "$(json email)" ann@acme.com && body | grep -q "\"score_breakdown\":"'
auth "$read_key" "$base/v1/contacts/999999"
check "a missing contact id answers 404 problem+json" eval 'equals "$status" 404 && equals "$(json type)" https://prospect.dev/problems/not-found'
cp "$work/body" missing.json
auth "$read_key" "$base/v1/contacts/abc"
check "a non-numeric contact id answers 404" equals "$status" 404

auth "$other_key" "$base/v1/contacts"
check "another tenant's key lists no contacts" eval 'equals "$status" 200 && equals "$(body)" "{\"data\":[],\"next_after\":null}"'
auth "$other_key" "$base/v1/contacts/$ann_id"
check "another tenant's contact answers 404" equals "$status" 404
same_problem() {
  python3 - missing.json "$work/body" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.pop("request_id"); b.pop("request_id")
sys.exit(0 if a == b else 1)
PY
}
check "... with a body identical to a missing id's (apart from the request id)" same_problem
check "no API key ever reaches the log" eval '! grep -qF "${read_key#prospect_}" serve.log && ! grep -qF "${gone_key#prospect_}" serve.log && ! grep -q "prospect_zzzz" serve.log'

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
