#!/usr/bin/env bash
# The image's build and start steps, in one place: the Dockerfile runs them, and so does CI
# (in a fresh virtualenv, since CI has no Docker engine). See README.md, "Production".
#
#   deploy/app.sh install        virtualenv at $KB_VENV, packages from requirements.lock
#   deploy/app.sh collectstatic  hashed, compressed static files into $KB_STATIC_ROOT
#   deploy/app.sh build          install + collectstatic (what an image build does)
#   deploy/app.sh release        migrate the database, import content/ (idempotent); run once
#                                per deploy, before the new containers take traffic
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

serve() {
  exec "$KB_VENV/bin/gunicorn" --config gunicorn.conf.py config.wsgi
}

command="${1:-serve}"
case "$command" in
  install) install ;;
  collectstatic) collectstatic ;;
  build) install && collectstatic ;;
  release) release ;;
  serve) serve ;;
  start) release && serve ;;
  *) exec "$@" ;;
esac
