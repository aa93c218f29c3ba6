"""The load benchmark's pieces: every path of its workload answers 200, and its driver counts
requests per kind and fails on any answer but 2xx."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import drive
from bench.load.workload import build
from tests.helpers import assert_status
from website.generator.dataset import generate
from website.generator.plan import Plan

PATHS_TRIED_PER_KIND = 8


@pytest.mark.django_db
def test_every_kind_of_request_in_the_workload_answers_200(client):
    generate(
        Plan(organizations=60, people=30, memberships=150, events=6), seed=2, out=lambda line: None
    )
    workload = build()
    assert set(workload) == {
        "home",
        "organization list",
        "organization page",
        "event page",
        "API list",
        "API detail",
        "search API",
    }
    for kind in workload.values():
        for path in sorted(set(kind["paths"]))[:PATHS_TRIED_PER_KIND]:
            accept = "application/json" if path.startswith("/api/") else "text/html"
            assert_status(client.get(path, HTTP_ACCEPT=accept), 200)


class Answers(BaseHTTPRequestHandler):
    """200 for /ok, 404 for /missing, a redirect for /moved; keep-alive, as gunicorn."""

    protocol_version = "HTTP/1.1"
    statuses = {"/ok": 200, "/missing": 404, "/moved": 302}

    def do_GET(self):
        body = b"{}"
        self.send_response(self.statuses[self.path])
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/moved":
            self.send_header("Location", "/ok")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run_driver(server, tmp_path, workload, capsys):
    path = tmp_path / "workload.json"
    path.write_text(json.dumps(workload))
    code = drive.main(
        [
            "--base",
            server,
            "--workload",
            str(path),
            "--seconds",
            "0.5",
            "--warmup",
            "0.1",
            "--concurrency",
            "2",
        ]
    )
    return code, capsys.readouterr().out


def test_the_driver_reports_each_kind_and_passes_when_every_answer_is_2xx(server, tmp_path, capsys):
    code, out = run_driver(server, tmp_path, {"fine": {"weight": 1, "paths": ["/ok"]}}, capsys)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| fine |"))
    requests, errors = row.split("|")[2], row.split("|")[-2]
    assert int(requests.replace(",", "")) > 0 and errors.strip() == "0"


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/moved", 302)])
def test_any_answer_but_2xx_is_an_error_and_fails_the_run(server, tmp_path, capsys, path, status):
    code, out = run_driver(
        server,
        tmp_path,
        {
            "fine": {"weight": 1, "paths": ["/ok"]},
            "broken": {"weight": 1, "paths": [path]},
        },
        capsys,
    )
    assert code == 1
    broken = next(line for line in out.splitlines() if line.startswith("| broken |"))
    requests, errors = broken.split("|")[2], broken.split("|")[-2]
    assert int(requests) > 0 and requests == errors  # every request an error
    assert f"error: {status} {path}" in out
    assert "requests failed" in out
