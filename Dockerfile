# The help centre's production image. Build and start steps live in deploy/app.sh, which CI
# also runs. Usage (README.md, "Production"):
#   docker build -t kb .
#   docker run --rm --env-file kb.env kb release     # migrate + import content, once per deploy
#   docker run -d -p 8000:8000 --env-file kb.env kb  # serve (gunicorn)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    KB_VENV=/opt/venv \
    KB_STATIC_ROOT=/opt/static
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY requirements.lock ./
COPY deploy/app.sh deploy/
RUN ["deploy/app.sh", "install"]
COPY . .
RUN ["deploy/app.sh", "collectstatic"]

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    KB_VENV=/opt/venv \
    KB_STATIC_ROOT=/opt/static \
    KB_VAR_DIR=/app/var \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    KB_LOG_FORMAT=json \
    PORT=8000 \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 kb \
    && useradd --system --uid 10001 --gid kb --home-dir /app --shell /usr/sbin/nologin kb
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/static /opt/static
COPY --from=build /app /app
# var/ holds SQLite, uploads and the file cache: the only place the app writes (a volume).
RUN mkdir -p /app/var/media /app/var/cache && chown -R kb:kb /app/var
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["deploy/app.sh"]
CMD ["serve"]
