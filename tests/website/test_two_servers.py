"""Two app servers behind a load balancer, as docs/deploy.md describes: two gunicorns started
as `make serve` starts them, sharing one database and one Redis, behind HAProxy with
docs/haproxy.cfg, and one background job worker. What one server does, the other sees:
sign-in sessions, cached pages after a change, the anonymous API rate, sign-in lockouts and
background imports behave as on one server.

On PostgreSQL (DATABASE_URL) the servers share a database of their own, migrated and loaded
here and dropped afterwards; otherwise they share a SQLite file.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import redis

from bench import balancer
from bench.perf.server import stop
from tests.website.test_faults import (
    BIN,
    PROMPT,
    ROOT,
    TEST_REDIS,
    Editor,
    database,  # noqa: F401 (a fixture)
    eventually,
    fetch,
    free_port,
    fresh,
    make_editor_token,
    redis_answers,
    run,
    server_environment,
    worker_pids,
)

pytestmark = [pytest.mark.faults, pytest.mark.slow]

# Low enough to reach in a test, and the same on both servers.
ANONYMOUS_RATE = 12
FAILURE_LIMIT = 3


def needs(condition, reason):
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide it (.ci/run).")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def servers(database, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """Two gunicorns and a job worker on one database and one Redis, HAProxy in front: the
    balancer's address, each server's address by its name in the balancer, and the
    environment they share."""
    needs(redis_answers(), f"Redis does not answer at {TEST_REDIS}")
    needs(balancer.HAPROXY, "haproxy is not installed (apt-get install haproxy)")
    database_url, _proxy = database
    prefix = f"two-servers-{uuid.uuid4().hex[:12]}"
    environment = server_environment(
        database_url,
        REDIS_URL=f"redis://{TEST_REDIS[0]}:{TEST_REDIS[1]}/5",
        REDIS_KEY_PREFIX=prefix,
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        HOST="127.0.0.1",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        PROXY_COUNT="1",
        API_ANONYMOUS_RATE=f"{ANONYMOUS_RATE}/minute",
        LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
    )
    run("collectstatic", "--no-input", "-v0", env=environment)
    logs = tmp_path_factory.mktemp("two-servers")
    ports = [free_port(), free_port()]
    processes = []
    try:
        for number, port in enumerate(ports, start=1):
            with (logs / f"app{number}.log").open("w") as log:
                processes.append(
                    subprocess.Popen(
                        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "website.wsgi"],
                        cwd=ROOT,
                        env={**environment, "PORT": str(port)},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        with (logs / "worker.log").open("w") as log:
            processes.append(
                subprocess.Popen(
                    [str(BIN / "python"), "manage.py", "run_worker", "--interval", "0.2"],
                    cwd=ROOT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        balancer_port = free_port()
        with (logs / "haproxy.log").open("w") as log:
            processes.append(balancer.start(balancer_port, ports, "127.0.0.1", log))
        address = f"http://127.0.0.1:{balancer_port}"
        balanced = balancer.wait_until_balanced(processes[-1], address, seconds=90)
        assert balanced, "\n".join(
            f"{path.name}:\n{path.read_text()[-1500:]}" for path in sorted(logs.iterdir())
        )
        yield {
            "address": address,
            "app1": f"http://127.0.0.1:{ports[0]}",
            "app2": f"http://127.0.0.1:{ports[1]}",
            "environment": environment,
            "database": database,
            "processes": {"app1": processes[0], "app2": processes[1]},
        }
    finally:
        for process in reversed(processes):
            stop(process)
        shared = redis.Redis(*TEST_REDIS, db=5)
        for key in shared.scan_iter(f"{prefix}:*"):
            shared.delete(key)


def signed_in(servers, name):
    """An editor signed in through app server `name` (the cookie is the visitor's, and goes
    to whichever server it is sent to next)."""
    username = f"editor-{uuid.uuid4().hex[:8]}"
    run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('{username}', 'e@example.org', 'two-servers-password')",
        env=servers["environment"],
    )
    return Editor({"address": servers[name]}, username, "two-servers-password")


def test_the_balancer_spreads_requests_over_both_servers(servers):
    assert balancer.servers_answering(servers["address"], "/en/", tries=6) == {"app1", "app2"}


def test_an_app_server_that_stops_is_taken_out_of_rotation(servers):
    """Once the balancer's health checks find a server away (within seconds), every request
    goes to the other, and to both again once it is back. (The server is paused, not killed,
    so that the module's other tests find it again.)"""
    master = servers["processes"]["app2"].pid
    paused = [master, *worker_pids(master)]
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)  # the server no longer answers
    try:
        # Health checks every second, two failures: out within a few seconds.
        out = eventually(
            lambda: balancer.servers_answering(servers["address"], "/en/", tries=4) == {"app1"}
        )
        assert out
        statuses = [fetch(servers["address"], fresh("/en/"))[0] for _ in range(6)]
        assert statuses == [200] * 6
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
    assert eventually(
        lambda: balancer.servers_answering(servers["address"], "/en/", tries=4) == {"app1", "app2"}
    )


def test_a_sign_in_on_one_server_holds_on_the_other(servers):
    editor = signed_in(servers, "app1")
    editor.address = servers["app2"]
    assert "Log out" in editor.get("/admin/")


def test_a_change_through_one_server_is_read_through_the_other(servers):
    """The page cache is Redis, shared: a change written through app1 is read through app2
    at once, though app2 had the page cached."""
    page = "/en/organizations/cyva/"
    fetch(servers["app2"], page)
    status, headers, _body, _seconds = fetch(servers["app2"], page)
    assert status == 200 and headers["X-Cache"] == "hit"
    token = make_editor_token(servers["database"])
    written = f"Changed through app1 ({uuid.uuid4().hex[:6]})."
    status, _headers, body, _seconds = fetch(
        servers["app1"],
        "/api/organizations/cyva/",
        method="PATCH",
        data=json.dumps({"description_en": written}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    assert status == 200, body[:500]
    status, headers, body, _seconds = fetch(servers["app2"], page)
    assert status == 200 and headers["X-Cache"] == "miss"
    assert written in body.decode()


def test_the_anonymous_rate_is_counted_once_across_both_servers(servers):
    """One client (as the balancer forwards it) asking both servers in turn: it is answered
    ANONYMOUS_RATE times in the minute in all, not that many by each server."""
    client = {"X-Forwarded-For": f"198.51.100.{uuid.uuid4().int % 250 + 1}"}
    statuses = [
        fetch(servers[f"app{n % 2 + 1}"], fresh("/api/networks/"), headers=client)[0]
        for n in range(ANONYMOUS_RATE + 2)
    ]
    assert statuses == [200] * ANONYMOUS_RATE + [429, 429], statuses


def test_a_lockout_earned_on_one_server_holds_on_the_other(servers):
    username = f"locked-{uuid.uuid4().hex[:8]}"
    run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('{username}', 'l@example.org', 'the-right-password')",
        env=servers["environment"],
    )
    client = {"X-Forwarded-For": f"203.0.113.{uuid.uuid4().int % 250 + 1}"}

    statuses = []
    for attempt in range(FAILURE_LIMIT):
        name = f"app{attempt % 2 + 1}"
        statuses.append(post_sign_in(servers[name], username, "wrong", client))
    assert statuses == [200] * (FAILURE_LIMIT - 1) + [429], statuses
    # Locked out on both, even with the right password.
    for name in ("app1", "app2"):
        assert post_sign_in(servers[name], username, "the-right-password", client) == 429


def post_sign_in(address, username, password, headers):
    """The status of a sign-in posted to the admin's form, with its CSRF token and cookie."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    request = urllib.request.Request(address + "/admin/login/", headers=headers)
    with opener.open(request, timeout=PROMPT) as response:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
        ).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        address + "/admin/login/", data=form, headers={**headers, "Referer": address}
    )
    try:
        with opener.open(request, timeout=PROMPT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_import_uploaded_through_one_server_is_followed_through_the_other(servers):
    """Uploaded through app1, run by the job worker, followed and confirmed through app2."""
    editor = signed_in(servers, "app1")
    upload_page = editor.get("/admin/networks/importrun/upload/")
    rows = "".join(f"Balanced Society {n},2020-01-01\n" for n in range(30))
    _page, run_page = editor.post(
        "/admin/networks/importrun/upload/",
        upload_page,
        {},
        files=[
            ("files", "1_ecosoc_status_granted.csv", f"NGO_name,Session_number\n{rows}".encode())
        ],
    )
    run_path = urllib.parse.urlsplit(run_page).path
    editor.address = servers["app2"]
    previewed = eventually(
        lambda: "Nothing has been written" in (page := editor.get(run_path)) and page, seconds=60
    )
    assert previewed, "the worker did not preview the file in 60 s"
    editor.post(run_path, previewed, {})
    applied = eventually(
        lambda: "Every change this import made" in (page := editor.get(run_path)) and page,
        seconds=60,
    )
    assert applied, "the worker did not apply the import in 60 s"
    for name in ("app1", "app2"):
        status, _headers, body, _seconds = fetch(
            servers[name],
            "/api/organizations/?search=Balanced+Society",
            headers={"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250 + 1}"},
        )
        assert status == 200 and json.loads(body)["count"] == 30
