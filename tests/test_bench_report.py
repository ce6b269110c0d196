"""bench/report.py: the tables of bench/RESULTS.md filled from a results.json shaped as
bench/run.py writes it (tests/fixtures/bench_results.json), the hand-written text kept.

The script is run as `make bench` users run it, a program: tests do not import bench/.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "report.py"
FIXTURE = Path(__file__).parent / "fixtures" / "bench_results.json"
BLOCK = re.compile(r"<!-- generated:(\w+) -->\n(.*?)<!-- /generated -->", re.S)

PAGE = """# Results

How it is measured, written by hand.

<!-- generated:http -->
old http table
<!-- /generated -->

Text between the tables stays as it is.

<!-- generated:memory -->
old memory table
<!-- /generated -->

<!-- generated:import -->
old import table
<!-- /generated -->

<!-- generated:search -->
old search table
<!-- /generated -->

The end.
"""


def report(tmp_path, results, page=PAGE):
    """Run bench/report.py on a copy of ``page``; (exit status, output, page afterwards)."""
    markdown = tmp_path / "RESULTS.md"
    markdown.write_text(page, encoding="utf-8")
    if isinstance(results, dict):
        path = tmp_path / "results.json"
        path.write_text(json.dumps(results), encoding="utf-8")
    else:
        path = results
    run = subprocess.run(
        [sys.executable, str(REPORT), "--results", str(path), "--markdown", str(markdown)],
        capture_output=True,
        text=True,
    )
    return run.returncode, run.stdout + run.stderr, markdown.read_text(encoding="utf-8")


def blocks(text):
    return dict(BLOCK.findall(text))


def outside_blocks(text):
    return BLOCK.sub("", text)


@pytest.fixture
def results():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_every_table_is_filled_from_results_json_and_the_text_is_kept(tmp_path):
    status, output, text = report(tmp_path, FIXTURE)
    assert status == 0, output
    assert "filled http, memory, import, search" in output
    assert outside_blocks(text) == outside_blocks(PAGE)
    tables = blocks(text)

    http = tables["http"]
    assert http.startswith("`make bench` of 2030-01-15, Python 3.11.2, 2 CPUs.")
    assert "16 keep-alive connections (each replaced after 50 requests)" in http
    assert "3 interleaved rounds of 2 s" in http
    assert "| static file, 17.3 kB (ceiling) | 2500 | 1.00 | 4.6 | 22 |  |" in http
    assert "| article, cached | 2151 | 0.86 | 5.1 | 24 | hit 100 % |" in http
    assert "| article, uncached (rendered from the database) | 101 | 0.04 | 161 | 302 |" in http
    assert "| home, cached | 2400 | 0.96 | 4.4 | 22 | hit 90 % miss 10 % |" in http
    assert "| `/api/search` | 300 | 0.12 | 51 | 150 |  |" in http
    assert "Failed requests (a status other than 200, or no answer): article, uncached" in http

    memory = tables["memory"]
    assert "(2 workers) | 188-196 MiB |" in memory
    assert "counted once) | 125-131 MiB |" in memory
    assert "`/healthz` | 0.61 s |" in memory
    assert "first page | 0.80 s |" in memory
    assert "median of 3 starts" in memory

    assert "| 200 | 1,000 | 0.5 MB | 3.7 | 270 | 0.8 | 0 |" in tables["import"]

    search = tables["search"]
    assert "| SQLite | 1,000 | 3.5 | 4.7 | 2.2 | 2.9 | 0.6 / 0.6 | 2,500 |" in search
    assert "| PostgreSQL | 100,000 | 8.1 | 16.5 | 526.6 | 867.4 | 64.7 / 52.5 | 1,538 |" in search


def test_a_run_of_one_section_keeps_the_other_tables(tmp_path, results):
    del results["import"], results["search"]
    status, output, text = report(tmp_path, results)
    assert status == 0, output
    assert "filled http, memory; kept import, search" in output
    tables = blocks(text)
    assert "| article, cached | 2151 |" in tables["http"]
    assert tables["import"] == "old import table\n"
    assert tables["search"] == "old search table\n"


def test_no_failures_means_no_failure_line(tmp_path, results):
    for target in results["http"]["throughput"]:
        target["failures"] = 0
    _, _, text = report(tmp_path, results)
    assert "Failed requests" not in text


def test_a_second_run_changes_nothing(tmp_path):
    _, _, once = report(tmp_path, FIXTURE)
    _, _, twice = report(tmp_path, FIXTURE, page=once)
    assert twice == once


def test_missing_results_file_is_a_one_line_reason_and_writes_nothing(tmp_path):
    status, output, text = report(tmp_path, tmp_path / "absent.json")
    assert status != 0
    assert "absent.json: not found (make bench writes it)" in output
    assert text == PAGE


def test_results_missing_a_figure_write_nothing(tmp_path, results):
    del results["http"]["memory"]
    status, output, text = report(tmp_path, results)
    assert status != 0
    assert "cannot fill RESULTS.md" in output and "memory" in output
    assert "Traceback" not in output
    assert text == PAGE


def test_unknown_block_is_refused(tmp_path):
    page = PAGE + "<!-- generated:latency -->\n<!-- /generated -->\n"
    status, output, text = report(tmp_path, FIXTURE, page=page)
    assert status != 0
    assert "unknown generated blocks: latency" in output
    assert text == page


def test_the_repository_results_page_has_every_table_and_keeps_its_text(tmp_path):
    page = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8")
    assert set(blocks(page)) == {"http", "memory", "import", "search", "scale"}
    status, output, text = report(tmp_path, FIXTURE, page=page)
    assert status == 0, output
    assert outside_blocks(text) == outside_blocks(page)
    assert all("2030-01-15" in table for table in blocks(text).values())


def test_the_scale_table_shows_page_sizes_queries_latency_and_import_rate(tmp_path, results):
    page = PAGE + "\n<!-- generated:scale -->\nold scale table\n<!-- /generated -->\n"
    status, output, text = report(tmp_path, results, page=page)
    assert status == 0, output
    scale = blocks(text)["scale"]
    assert "1,000 articles, read in-process" in scale
    assert "| home | 5.8 kB | 5 | 21 / 30 | 0.2 / 0.4 |" in scale
    assert "| 5,000 | 2.4 | 2,083 | 2.1 | 2,381 | 2,900 | 0.9 |" in scale
