#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile form factor) scores of the home, article and search pages, run with Debian's
# chromium. Not part of CI. Usage:
#   scripts/lighthouse.sh                 # serves var/ (after `make db`) with gunicorn on :8350
#   scripts/lighthouse.sh http://host:port  # audits a running server instead
# Reports go to var/lighthouse/{home,article,search}.json; the scores are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LIGHTHOUSE="lighthouse@12.2.3"
BASE="${1:-}"

if [ -z "$BASE" ]; then
  PORT="${LIGHTHOUSE_PORT:-8350}"
  BASE="http://127.0.0.1:$PORT"
  PORT="$PORT" .venv/bin/gunicorn --config gunicorn.conf.py config.wsgi >var/lighthouse-server.log 2>&1 &
  SERVER=$!
  trap 'kill "$SERVER"' EXIT
  for _ in $(seq 1 30); do curl -sf -o /dev/null "$BASE/" && break; sleep 0.5; done
fi

ARTICLE="$(curl -sf "$BASE/api/articles" | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)[0]["url"])')"
mkdir -p var/lighthouse

for page in "home /" "article $ARTICLE" "search /search/?q=%E8%8A%B1%E5%91%97%E8%BF%98%E6%AC%BE"; do
  set -- $page
  npx --yes "$LIGHTHOUSE" "$BASE$2" \
    --form-factor=mobile --screenEmulation.mobile=true \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox" \
    --output=json --output-path="var/lighthouse/$1.json" --quiet
  .venv/bin/python - "$1" "var/lighthouse/$1.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
categories = json.load(open(path))["categories"]
scores = "  ".join(f"{c['title']} {round(c['score'] * 100)}" for c in categories.values())
print(f"{name:8} {scores}")
PY
done
