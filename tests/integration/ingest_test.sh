#!/usr/bin/env bash
# Ingestion through the real binary: import (mapping, rejects, idempotency, list), suppress,
# export layouts and the window, near, sectors, rescore. Prints TAP.
#   tests/integration/ingest_test.sh PATH/TO/prospect SOURCE_ROOT
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(readlink -f "$2")
work=$(mktemp -d /tmp/prospect-ingest-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset PROSPECT_CONFIG PROSPECT_DATABASE_PATH

. "$here/tap.sh"
sql() { sqlite3 var/prospect.db "$1"; }

"$bin" init --tenant acme >/dev/null 2>&1

# --- import ----------------------------------------------------------------------------
cat > leads.csv <<'CSV'
Company Name;E-mail;Mobile Phone;ZIP;State;SIC Code;Job Title;Favourite Colour
Acme Inc.;ann@acme.com;(415) 555-2671;94103;California;7372;VP Sales;blue
Acme;ANN@acme.com;;94103;CA;7372;;
Bad Row;not an email;;;;;;
Beta GmbH;bob@beta.io;+49 30 901820;;;;CEO;
Gamma LLC;gina@gamma.co;212-555-0143;10001;NY;5812;Owner;
CSV
run import leads.csv --list q4 --rejects rejects.csv
check "import exits 0 and reports per-outcome counts" eval 'exit_is 0 && out_has "5 rows" && out_has "3 accepted" && out_has "1 duplicate" && out_has "1 rejected"'
check "import reports how each column was mapped" eval 'err_has "E-mail" && err_has "-> email (auto)" && err_has "custom field"'
check "the rejects file has the header, an error and the line" eval 'head -1 rejects.csv | grep -q "Favourite Colour,error,line" && grep -q "invalid e-mail" rejects.csv && grep -q ",4" rejects.csv'
check "contacts are normalized (E.164, state code)" eval '[ "$(sql "SELECT phone_e164 || \"|\" || state FROM contacts WHERE email_norm = '"'"'ann@acme.com'"'"'")" = "+14155552671|CA" ]'
check "the list holds the imported contacts" eval '[ "$(sql "SELECT count(*) FROM list_members")" = 3 ]'
check "the import record is persisted with its counts" eval '[ "$(sql "SELECT status || n_rows || n_rejected FROM imports")" = "completed51" ]'
run import leads.csv --list q4
check "re-importing the same file does nothing" eval 'exit_is 0 && err_has "already imported"'
check "and creates no rows" eval '[ "$(sql "SELECT count(*) FROM imports")" = 1 ]'
run import missing.csv
check "a missing file is a clear I/O error (74)" eval 'exit_is 74 && err_has "missing.csv"'
printf '\x00\x01\x02binary\x00junk' > junk.bin
run import junk.bin
check "binary garbage is refused (65)" eval 'exit_is 65 && err_has "not a text file"'
: > empty.csv
run import empty.csv
check "an empty file is refused with a hint (65)" eval 'exit_is 65 && err_has "empty"'
printf 'Organisation,Contact Email\nDelta,dee@delta.com\n' > mapped.csv
printf 'header,field\nOrganisation,company_name\nContact Email,email\n' > mapping.csv
run import mapped.csv --mapping mapping.csv
check "a mapping file overrides the automatic mapping" eval 'exit_is 0 && out_has "1 accepted" && [ "$(sql "SELECT count(*) FROM companies WHERE name = '"'"'Delta'"'"'")" = 1 ]'
printf 'header,field\nOrganisation,no_such_field\n' > badmap.csv
run import mapped.csv --mapping badmap.csv --force
check "a mapping file naming an unknown field is refused (65)" eval 'exit_is 65 && err_has "no_such_field"'
printf 'Email\nlatin@caf\xe9.com\ncaf\xe9@example.com\n' > latin1.csv
run import latin1.csv
check "Windows-1252 bytes are converted, not rejected" eval 'exit_is 0 && [ "$(sql "SELECT count(*) FROM contacts WHERE email_norm = '"'"'café@example.com'"'"'")" = 1 ]'

# --- earlier imports -------------------------------------------------------------------
run imports list
check "imports list shows the import with its counts" eval 'exit_is 0 && out_has "completed" && out_has "leads.csv"'
run imports show 1
check "imports show gives file, source, counts and mapping" eval 'exit_is 0 && out_has "sha256" && out_has "1 rejected" && out_has "\"headers\""'
run imports rejects 1
check "imports rejects prints the rejected rows as CSV" eval 'exit_is 0 && out_has "Favourite Colour,error,line" && out_has "invalid e-mail"'
run imports rejects 1 --out rejects.csv
check "imports rejects --out never overwrites (65)" eval 'exit_is 65 && err_has "rejects.csv"'
run imports show 999
check "an unknown import is 66" exit_is 66
# --- suppress ---------------------------------------------------------------------------
run suppress add gina@gamma.co --reason unsubscribe
check "suppress add flags the matching contact" eval 'exit_is 0 && err_has "1 contact is now suppressed"'
printf 'value\nbeta.io\n+1 212 555 0143\nnot a value at all!\n' > sup.csv
run suppress import sup.csv
check "suppress import counts added and invalid values" eval 'exit_is 0 && out_has "2 added" && out_has "1 invalid"'
run suppress list
check "suppress list shows normalized values" eval 'exit_is 0 && out_has "gina@gamma.co" && out_has "+12125550143" && out_has "beta.io"'

# --- export -----------------------------------------------------------------------------
run export --format vanillasoft --out vs.csv
check "export vanillasoft writes 31 columns" eval 'exit_is 0 && [ "$(head -1 vs.csv | tr "," "\n" | wc -l)" = 31 ]'
check "suppressed leads are never exported" eval '! grep -q "gina@gamma.co" vs.csv && ! grep -q "bob@beta.io" vs.csv && grep -q "ann@acme.com" vs.csv'
run export --format hubspot --out hs.csv
check "a second export leaves out what was just exported" eval 'exit_is 0 && [ "$(wc -l < hs.csv)" = 1 ] && err_has "left out"'
run export --format vanillasoft --out vs.csv
check "export never overwrites a file (65)" eval 'exit_is 65 && err_has "vs.csv"'
run export --format csv2000
check "an unknown format is refused (65)" eval 'exit_is 65 && err_has "generic, hubspot and vanillasoft"'
PROSPECT_INGEST_WINDOW_DAYS=0 run export --list q4
check "with the window off, the list exports to stdout without suppressed leads" eval 'exit_is 0 && grep -q "ann@acme.com" <<<"$out" && ! grep -q "gina@gamma.co" <<<"$out"'

# --- scoring, geography, sectors --------------------------------------------------------
run rescore
check "rescore without an ICP says how to configure one (64)" eval 'exit_is 64 && err_has "scoring.icp_file"'
run rescore --icp "$root/data/icp.example.yaml"
check "rescore scores every lead" eval 'exit_is 0 && out_has "leads scored" && [ "$(sql "SELECT count(*) FROM contacts WHERE score IS NULL")" = 0 ]'
check "score breakdowns add up to the score" eval '[ "$(sql "SELECT count(*) FROM contacts c WHERE c.score != (SELECT sum(json_extract(f.value, '"'"'$.points'"'"')) FROM json_each(json_extract(c.score_breakdown, '"'"'$.factors'"'"')) f)")" = 0 ]'
run near 94105 --miles 5
check "near lists leads around a ZIP, nearest first" eval 'exit_is 0 && out_has "ann@acme.com" && ! out_has "gina@gamma.co" && err_has "ZIPs within 5.0 miles"'
run near 00000
check "near with an unknown ZIP is 66" eval 'exit_is 66 && err_has "unknown US ZIP"'
run sectors --by state
check "sectors counts companies per sector and state" eval 'exit_is 0 && out_has "information" && out_has "CA"'
run sectors --by planet
check "sectors by an unknown place is 65" exit_is 65

# --- another tenant (last: with two tenants every command needs --tenant) ---------------
"$bin" tenant create other >/dev/null 2>&1
run imports show 1 --tenant other
check "another tenant cannot see the import (66)" eval 'exit_is 66 && err_has "import not found"'
run export --tenant other
check "another tenant exports none of acme's leads" eval 'exit_is 0 && ! out_has "acme.com"'

echo "1..$n"
[ "$failed" -eq 0 ]
