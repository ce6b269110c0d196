"""deploy/nginx.conf.template: the proxy configuration the README's scale-out path ships.

Rendered as the official nginx image renders it (envsubst of the set variables only) and
checked by the real nginx (`nginx -t`), so a typo or a directive in the wrong block fails here,
not on the day someone deploys it.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx.conf.template"
PLACEHOLDERS = {"LISTEN_PORT", "APP_ADDRESS", "STATIC_ROOT"}


def render(**values):
    """What the image's entrypoint does: replace ${NAME} for the variables that are set."""
    return re.sub(
        r"\$\{([A-Z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), TEMPLATE.read_text()
    )


def nginx():
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        pytest.fail("nginx is missing: make test installs it (apt-get install nginx)")
    return path


def test_the_template_uses_exactly_the_documented_placeholders():
    assert set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text())) == PLACEHOLDERS


def test_the_rendered_template_is_a_valid_nginx_configuration(tmp_path):
    conf = tmp_path / "kb.conf"
    conf.write_text(
        render(LISTEN_PORT="8080", APP_ADDRESS="127.0.0.1:8000", STATIC_ROOT=str(tmp_path))
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {conf};\n}}\n"
    )
    check = subprocess.run(
        [nginx(), "-t", "-q", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr
