"""The repository explains itself: docs/architecture.md names every module of kb/, and nothing
cites a design file that lives outside the repository."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "var", "__pycache__", ".ruff_cache", "content"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".sh", ".cfg", ".yaml", ".yml", ".html", ".js", ".css"}
# The project's design notes and seeds once lived beside the checkout; the repository now
# holds what it needs (docs/architecture.md, content/). This file is the one that names them.
OUTSIDE_REFERENCES = re.compile(r'DESIGN\.md|\.\./shared|"shared" / "seeds"')


def module_rows():
    """The modules the table of "Modules of kb/" names, in its order."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split("## Modules of kb/", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"^\| `(kb/[^`]+\.py)` \|", section, re.M)


def kb_modules():
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "kb").rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    }


def test_architecture_names_every_module_of_kb_once():
    rows = module_rows()
    assert len(rows) == len(set(rows)), "a module has two rows"
    missing = sorted(kb_modules() - set(rows))
    gone = sorted(set(rows) - kb_modules())
    assert (missing, gone) == ([], []), "update docs/architecture.md, Modules of kb/"


def repository_text_files():
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        for name in files:
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES or name in {
                "Makefile",
                "Dockerfile",
                "run",
                "image-smoke",
            }:
                yield path


def test_nothing_cites_a_design_file_outside_the_repository():
    citing = [
        path.relative_to(ROOT).as_posix()
        for path in repository_text_files()
        if path != Path(__file__)
        and OUTSIDE_REFERENCES.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert citing == []
