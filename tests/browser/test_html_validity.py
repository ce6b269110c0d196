"""The Nu Html Checker (vnu.jar, from node_modules) reports no errors on any page type."""

import json
import shutil
import subprocess

import pytest

from .conftest import VNU_JAR, require
from .test_accessibility import PAGES


@pytest.fixture
def rendered_pages(client, imported, tmp_path):
    files = []
    for name, path in PAGES.items():
        target = tmp_path / f"{name.replace(' ', '-')}.html"
        target.write_bytes(client.get(path).content)
        files.append(target)
    refused = tmp_path / "feedback-refused.html"
    refused.write_bytes(client.post(f"{PAGES['article']}feedback/", {"helpful": "?"}).content)
    personal = tmp_path / "comment-refused.html"
    personal.write_bytes(
        client.post(
            f"{PAGES['article']}feedback/", {"helpful": "no", "comment": "13800138000"}
        ).content
    )
    return [*files, refused, personal]


def test_pages_are_valid_html(rendered_pages):
    require(VNU_JAR, "run `make setup` (npm ci installs vnu-jar)")
    java = shutil.which("java") or pytest.fail("java is missing (apt-get install default-jre)")
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            *map(str, rendered_pages),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []
