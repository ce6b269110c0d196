#!/usr/bin/env bash
# The image's build and start steps, in one place: the Dockerfile runs them, and so does CI
# (in a fresh virtualenv, since CI has no Docker engine). See README.md, "Production".
#
#   deploy/app.sh install        virtualenv at $KB_VENV, packages from requirements.lock
#   deploy/app.sh collectstatic  hashed, compressed static files into $KB_STATIC_ROOT
#   deploy/app.sh build          install + collectstatic (what an image build does)
#   deploy/app.sh release        migrate the database, import content/ (idempotent); run once
#                                per deploy, before the new containers take traffic
#   deploy/app.sh publish-static DIR
#                                add this release's static files to DIR, the folder nginx serves
#                                (deploy/nginx.conf.template), keeping earlier releases' hashed
#                                files: during a rolling deploy old pages still find their CSS/JS
#   deploy/app.sh serve          gunicorn in the foreground (the image's default command)
#   deploy/app.sh start          release, then serve: one container on its own
#   deploy/app.sh CMD ...        any other command, e.g. `python manage.py createsuperuser`
set -euo pipefail
cd "$(dirname "$0")/.."

KB_VENV="${KB_VENV:-/opt/venv}"
PYTHON="${PYTHON:-python3}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.prod}"
export PATH="$KB_VENV/bin:$PATH"

manage() {
  "$KB_VENV/bin/python" manage.py "$@"
}

install() {
  test -x "$KB_VENV/bin/python" || "$PYTHON" -m venv "$KB_VENV"
  "$KB_VENV/bin/python" -m pip install --no-cache-dir --disable-pip-version-check --quiet \
    -r requirements.lock
}

collectstatic() {
  # Static files need no secret; the production settings still insist on one, so give a
  # throwaway one to this command only (never baked into the image's environment).
  DJANGO_SECRET_KEY="collectstatic-only-$$" DJANGO_ALLOWED_HOSTS="localhost" \
    manage collectstatic --noinput --verbosity 0
}

release() {
  mkdir -p "${KB_VAR_DIR:-var}"  # SQLite creates the file, not its folder
  manage release  # migrate + import_content, one server at a time (kb/release_lock.py)
}

publish_static() {
  # Hashed names (site.3f2a9c1b7d4e.css) never change content, so copying over an existing one
  # changes nothing, and nothing is ever deleted here: the previous releases' files stay for the
  # pages they rendered (prune by age, e.g. `find DIR -type f -mtime +30 -delete`, once no server
  # of those releases is left). The unhashed names and the manifest become this release's.
  local dest="${1:?usage: deploy/app.sh publish-static DIR}"
  local source="${KB_STATIC_ROOT:-var/static}"
  test -f "$source/staticfiles.json" || { echo "no collected static files in $source" >&2; exit 1; }
  mkdir -p "$dest"
  cp -R "$source/." "$dest/"
}

serve() {
  exec "$KB_VENV/bin/gunicorn" --config gunicorn.conf.py config.wsgi
}

command="${1:-serve}"
case "$command" in
  install) install ;;
  collectstatic) collectstatic ;;
  build) install && collectstatic ;;
  release) release ;;
  publish-static) publish_static "${2:-}" ;;
  serve) serve ;;
  start) release && serve ;;
  *) exec "$@" ;;
esac
