#!/usr/bin/env bash
# make demo: creates (or reuses) a workspace and walks through what the foundation does.
# The database path is PROSPECT_DATABASE_PATH, else var/prospect.db.
#   scripts/demo.sh PATH/TO/prospect
set -euo pipefail
bin=$1
db=${PROSPECT_DATABASE_PATH:-var/prospect.db}
p() { "$bin" --database "$db" "$@"; }
if [ -t 1 ]; then bold=$'\033[1m'; plain=$'\033[0m'; else bold=; plain=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
stamp=$(date +%Y%m%d-%H%M%S)-$$

step "Workspace ($db)"
if [ -f "$db" ]; then
  echo "Reusing the existing workspace. (Delete $db to start over.)"
  p migrate
else
  admin_key=$(p init --tenant demo --name "Demo Workspace")
  echo "Admin API key (shown once): $admin_key"
fi

step "A narrower key for an integration"
ci_key=$(p key create --name "demo-readonly-$stamp" --scopes read)
echo "Read-only key: ${ci_key:0:18}… (only its SHA-256 hash is stored)"

step "A dashboard user (password hashed with argon2id)"
if printf 'demo passphrase 2026\n' | p user create demo@example.com --role admin --password-stdin 2>/dev/null; then
  echo "User demo@example.com created (password: demo passphrase 2026)"
else
  echo "User demo@example.com already exists"
fi

step "Tenants and keys"
p tenant list
p key list

step "Import sample leads (data/sample_leads.csv), scored with data/icp.example.yaml"
p import data/sample_leads.csv --list demo --icp data/icp.example.yaml \
  --rejects "var/rejects-$stamp.csv" || true
echo "Rejected rows with their reason: var/rejects-$stamp.csv"

step "Suppress a domain: its leads are flagged at once and never exported"
p suppress add "$(sed -n '3p' data/sample_leads.csv | cut -d, -f3 | cut -d@ -f2)" \
  --reason legal --source demo || true

step "Leads within 10 miles of ZIP 94105 (San Francisco), nearest first"
p near 94105 --miles 10 --limit 5

step "Companies per sector and state"
p sectors --by state | head -8

step "Export the best leads for VanillaSoft (31 columns)"
p export --format vanillasoft --min-score 40 --out "var/export-$stamp.csv"
head -3 "var/export-$stamp.csv" | cut -c1-160

step "A pipeline: import -> score -> export, carried out by durable jobs"
mkdir -p var/exports
p pipeline add demo-daily --import data/sample_leads.csv --source demo-feed \
  --score --icp data/icp.example.yaml --export generic --out-dir var/exports 2>/dev/null \
  || echo "Pipeline demo-daily already exists"
echo "-- the dry run (starts nothing):"
p run demo-daily
echo "-- run now, waiting for it (\`prospect serve\` would run it in the background):"
p run demo-daily --yes --wait || true

step "Online backup"
backup="var/backup-$stamp.db"
p backup "$backup"
ls -l "$backup"

cat <<EOT

Done. The workspace is $db. Next:
  $bin --database $db key create --name NAME --scopes read,write
  $bin --database $db tenant create acme --name "Acme Corp"
  $bin help
  $bin --database $db serve        # HTTP API (docs/api.md), job workers, cron schedules
The rest of the API and the dashboard arrive in the next releases; \`make test\` runs the
whole test suite.
EOT
