"""Faults against the real thing: gunicorn (two workers) started as in production, talking
to its database and to Redis through TCP proxies that the tests cut and restore, on the
loopback only. Each test leaves the server healthy for the next.

On PostgreSQL (DATABASE_URL) the server gets a database of its own, migrated and loaded
here and dropped afterwards, and the database is cut too; otherwise it runs on a SQLite
file and the database cut is skipped. Cutting Redis and killing a worker run on both.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.conf import settings

from bench.perf.server import stop
from website.redis_cache import PAUSE_SECONDS

pytestmark = [pytest.mark.faults, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEST_REDIS = ("127.0.0.1", 6379)
# Requests must be answered within this, outage or not: nothing may hang.
PROMPT = 8
# The server's time limit on a statement; the fixtures' pages need a few milliseconds.
STATEMENT_LIMIT_MS = 1000


class TcpProxy:
    """Forwards connections from a port of its own to a target port. cut() closes the
    listening socket and every connection (clients then see resets, and new connections are
    refused, as when a server goes down); restore() listens on the same port again.
    silence() keeps connections open but forwards nothing more, as when the server hangs or
    the network drops packets; speak() forwards again."""

    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.silent = False
        self.connections = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._serve(self.listener)

    def _serve(self, listener):
        listener.settimeout(0.2)
        self.open = True
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while self.open:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self.lock:
                self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                if not self.silent:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end):
        with self.lock:
            self.connections.discard(end)
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()

    def cut(self):
        self.open = False
        self.listener.close()
        with self.lock:
            connections = list(self.connections)
        for end in connections:
            self._close(end)

    def silence(self):
        self.silent = True

    def speak(self):
        """Forward again, on new connections: the silenced ones lost what was sent."""
        self.silent = False
        with self.lock:
            connections = list(self.connections)
        for end in connections:
            self._close(end)

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self._serve(self.listener)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers():
    try:
        return redis.Redis(*TEST_REDIS, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


def run(*args, env):
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A database for the server: (its URL for the server, through a proxy if PostgreSQL,
    the proxy or None). Migrated and loaded with the fixtures."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'directory.sqlite3'}"
        run("migrate", "--no-input", "-v0", env=server_environment(url))
        run("load_fixtures", "-v0", env=server_environment(url))
        yield url, None
        return
    import psycopg

    name = f"wt_serving_faults_{os.getpid()}"
    credentials = {
        "host": default["HOST"] or "127.0.0.1",
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    login = credentials["user"] + (f":{credentials['password']}" if credentials["password"] else "")
    direct = f"postgres://{login}@{credentials['host']}:{credentials['port']}/{name}"
    try:
        run("migrate", "--no-input", "-v0", env=server_environment(direct))
        run("load_fixtures", "-v0", env=server_environment(direct))
        proxy = TcpProxy(int(credentials["port"]))
        yield direct.replace(f":{credentials['port']}/", f":{proxy.port}/"), proxy
        proxy.cut()
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(database_url, **more):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "HSTS_", "PYTEST_"))
        and key
        not in {
            "DEBUG",
            "HTTPS",
            "SECURE_SSL_REDIRECT",
            "ADMIN_URL",
            "REDIS_URL",
            "WEB_CONCURRENCY",
            "PAGE_CACHE_SECONDS",
        }
    }
    environment.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "faults-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "website.settings",
            **more,
        }
    )
    return environment


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    """gunicorn with gunicorn.conf.py, two workers of two threads, and the background job
    worker, as `make serve` starts them, Redis through a proxy: its address, the proxies,
    the environment and the path of its output."""
    if not redis_answers():
        reason = f"Redis does not answer at {TEST_REDIS}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must start it (.ci/redis.sh).")
        pytest.skip(reason)
    database_url, database_proxy = database
    redis_proxy = TcpProxy(TEST_REDIS[1])
    prefix = f"faults-{uuid.uuid4().hex[:12]}"
    port = free_port()
    static = tmp_path_factory.mktemp("static")
    environment = server_environment(
        database_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_proxy.port}/5",
        REDIS_KEY_PREFIX=prefix,
        STATIC_ROOT=str(static),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        GUNICORN_TIMEOUT="20",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT_MS=str(STATEMENT_LIMIT_MS),
    )
    run("collectstatic", "--no-input", "-v0", env=environment)
    output = tmp_path_factory.mktemp("gunicorn") / "output.log"
    with output.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "website.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        job_worker = subprocess.Popen(
            [
                *(str(BIN / "python"), "manage.py", "run_worker"),
                *("--interval", "0.2", "--retry-seconds", "1"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while fetch(address, "/healthz", timeout=2)[0] != 200:
            assert process.poll() is None, output.read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
            time.sleep(0.5)
        yield {
            "address": address,
            "process": process,
            "database": database_proxy,
            "redis": redis_proxy,
            "output": output,
            "environment": environment,
        }
    finally:
        stop(job_worker)
        stop(process)
        redis_proxy.cut()
        server_redis = redis.Redis(*TEST_REDIS, db=5)
        for key in server_redis.scan_iter(f"{prefix}:*"):
            server_redis.delete(key)


def fetch(address, path, timeout=PROMPT, headers=None, method="GET", data=None):
    """(status, headers, body, seconds); status None if the connection failed."""
    started = time.monotonic()
    request = urllib.request.Request(
        address + path, headers=headers or {}, method=method, data=data
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), time.monotonic() - started
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, {}, b"", time.monotonic() - started


def fresh(path):
    """The path with a query string never asked before: not answerable from the cache."""
    return f"{path}{'&' if '?' in path else '?'}nocache={uuid.uuid4().hex}"


def eventually(check, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def worker_pids(master):
    """The master's children, read from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.add(int(stat.parent.name))
    return children


def test_it_serves_pages_the_api_and_static_files_and_logs_json(server):
    address = server["address"]
    status, _headers, body, _seconds = fetch(address, "/en/organizations/cango/")
    assert status == 200
    stylesheet = re.search(rb'href="(/static/directory/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the page does not link the hashed stylesheet"
    status, headers, _body, _seconds = fetch(address, stylesheet.group(1).decode())
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    status, _headers, body, _seconds = fetch(address, "/api/organizations/cango/")
    assert status == 200 and json.loads(body)["slug"] == "cango"
    lines = [
        json.loads(line)
        for line in server["output"].read_text().splitlines()
        if line.startswith("{")
    ]
    [request_line] = [line for line in lines if line.get("path") == "/api/organizations/cango/"]
    assert request_line["logger"] == "directory.request"
    assert request_line["status"] == 200 and "duration_ms" in request_line
    # gunicorn's own lines (its start, its workers) come in the same JSON, through the same
    # formatter: one format for the whole log.
    assert any(line["logger"] == "gunicorn.error" and "pid" in line for line in lines)
    assert all(
        not line.startswith(("Traceback", "["))
        for line in server["output"].read_text().splitlines()
    )


def every_thread_answers(address):
    """Pages drawn afresh answered 200, four at a time (two workers of two threads): requests
    sent one after another may all reach the same thread and leave another's connection
    untried, and sent together they keep every thread busy."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _round in range(4):
            paths = [fresh("/en/organizations/") for _ in range(4)]
            if any(
                status != 200 for status, *_rest in pool.map(lambda p: fetch(address, p), paths)
            ):
                return False
    return True


def server_log_tail(server):
    """The end of the server's output, for a failure's message."""
    return server["output"].read_text()[-4000:]


def needs_postgresql(server):
    if server["database"] is None:
        pytest.skip(
            "needs PostgreSQL: run the suite with DATABASE_URL=postgres://... "
            "(CI's second pass does)"
        )


def assert_the_database_is_reported_away(address):
    """The API answers a prompt 503 in JSON, /readyz names the database, /healthz is fine."""
    status, _headers, body, seconds = fetch(
        address, fresh("/api/organizations/?kind=ngo"), headers={"Accept-Language": "en"}
    )
    assert (status, seconds < PROMPT) == (503, True)
    assert json.loads(body)["detail"].startswith("The database cannot be reached")
    status, _headers, body, seconds = fetch(address, "/readyz")
    assert (status, seconds < PROMPT) == (503, True)
    assert set(json.loads(body)["problems"]) == {"database"}
    assert fetch(address, "/healthz")[0] == 200


def test_a_database_outage_is_a_prompt_503_and_service_resumes_by_itself(server):
    needs_postgresql(server)
    address, proxy = server["address"], server["database"]
    assert fetch(address, fresh("/en/organizations/?kind=ngo"))[0] == 200
    proxy.cut()
    try:
        status, headers, body, seconds = fetch(address, fresh("/en/organizations/?kind=ngo"))
        assert (status, seconds < PROMPT) == (503, True)
        assert headers["Content-Type"].startswith("text/html")
        assert "暂时无法访问" in body.decode() and "Temporarily unavailable" in body.decode()
        assert headers["Retry-After"]
        assert_the_database_is_reported_away(address)
        # Every request gets its answer, from every worker and thread.
        statuses = {fetch(address, fresh("/en/people/"))[0] for _ in range(8)}
        assert statuses == {503}
    finally:
        proxy.restore()
    assert eventually(lambda: fetch(address, "/readyz")[0] == 200), "not ready again"
    statuses = {fetch(address, fresh("/en/organizations/?kind=ngo"))[0] for _ in range(8)}
    assert statuses == {200}
    assert fetch(address, fresh("/api/organizations/"))[0] == 200


def test_a_silent_database_is_a_prompt_503_and_service_resumes_when_it_answers(server):
    """A database that stops answering without closing anything (a network partition, a
    frozen server or proxy): kept connections and new ones alike end their wait promptly
    (website.database_watchdog), and the site recovers once the database answers again."""
    needs_postgresql(server)
    address, proxy = server["address"], server["database"]
    # Every worker's threads keep a connection open.
    for _ in range(8):
        assert fetch(address, fresh("/en/organizations/?kind=ngo"))[0] == 200
    proxy.silence()
    try:
        status, headers, _body, seconds = fetch(address, fresh("/en/organizations/?kind=ngo"))
        assert (status, seconds < PROMPT) == (503, True)
        assert headers["Retry-After"]
        assert_the_database_is_reported_away(address)
        answers = [fetch(address, fresh("/en/people/")) for _ in range(6)]
        assert {status for status, *_ in answers} == {503}
        assert max(seconds for *_, seconds in answers) < PROMPT
    finally:
        proxy.speak()
    assert eventually(lambda: fetch(address, "/readyz")[0] == 200), "not ready again"
    statuses = {fetch(address, fresh("/en/organizations/?kind=ngo"))[0] for _ in range(8)}
    assert statuses == {200}


UNREACHABLE = (b"cannot be reached", b"cannot reach its database")


def past_the_limit(address, path, headers=None):
    """The answer to a request whose statement waits past its limit. A thread whose kept
    connection an earlier test's outage broke answers "cannot be reached" once, and has a
    fresh connection after: the warm-up cannot be sure to reach every thread of two workers,
    so such an answer is asked again (at most three times, one per other thread)."""
    for _attempt in range(4):
        answer = fetch(address, path, headers=headers)
        # The API's words, and the page's.
        if not any(words in answer[2] for words in UNREACHABLE):
            return answer
    return answer


def test_a_statement_past_its_time_limit_is_a_503_and_frees_the_database(server, database):
    """A request whose query cannot finish (here it waits for a lock another connection
    holds) is stopped at the limit: the visitor is told, and nothing of the server's is left
    running in the database, which without the limit would wait on after gunicorn killed
    the worker."""
    if server["database"] is None:
        pytest.skip(
            "SQLite has no time limit on a statement: run the suite with "
            "DATABASE_URL=postgres://... (CI's second pass does)"
        )
    import psycopg

    address = server["address"]
    # Connections a worker's threads kept through an earlier test's outage fail once, on
    # their next use; use them up first, so that the request below meets the lock.
    assert eventually(lambda: every_thread_answers(address)), "the server did not settle"
    with psycopg.connect(database[0]) as locker:
        locker.execute("LOCK TABLE directory_organization IN ACCESS EXCLUSIVE MODE")
        status, headers, body, seconds = past_the_limit(address, fresh("/en/organizations/"))
        assert (status, seconds < PROMPT) == (503, True)
        assert STATEMENT_LIMIT_MS / 1000 <= seconds
        assert headers["Content-Type"].startswith("text/html")
        page = body.decode()
        assert "请求用时过长" in page and "This request took too long" in page, server_log_tail(
            server
        )
        status, _headers, body, _seconds = past_the_limit(
            address, fresh("/api/organizations/"), headers={"Accept-Language": "en"}
        )
        assert status == 503
        assert json.loads(body)["detail"].startswith("This request took the database too long")
        waiting = locker.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchone()[0]
        assert waiting == 0
    assert fetch(address, fresh("/en/organizations/"))[0] == 200
    assert "ran past its time limit: GET /en/organizations/" in server["output"].read_text()


def test_with_redis_cut_pages_are_served_uncached_and_readiness_says_so(server):
    address, proxy = server["address"], server["redis"]
    assert fetch(address, "/en/networks/")[0] == 200
    assert fetch(address, "/en/networks/")[1]["X-Cache"] == "hit"
    proxy.cut()
    try:
        for path in [
            "/en/networks/",
            "/en/organizations/cango/",
            "/api/organizations/",
            fresh("/en/search/?q=cango"),
        ]:
            status, _headers, _body, seconds = fetch(address, path)
            assert (status, seconds < 3) == (200, True), path
        status, _headers, body, _seconds = fetch(address, "/readyz")
        assert status == 503 and set(json.loads(body)["problems"]) == {"cache"}
    finally:
        proxy.restore()
    assert eventually(lambda: fetch(address, "/readyz")[0] == 200), "not ready again"
    fetch(address, "/en/networks/")
    assert eventually(lambda: fetch(address, "/en/networks/")[1].get("X-Cache") == "hit")


def test_with_redis_silent_pages_stay_prompt(server):
    """A Redis that accepts and never answers costs each worker one wait (the socket timeout,
    0.5 s) before it leaves Redis alone for a few seconds (website.redis_cache); without
    that pause every cache call of every request would wait."""
    address, proxy = server["address"], server["redis"]
    proxy.silence()
    try:
        answers = [
            fetch(address, fresh(path))
            for path in [
                "/en/networks/",
                "/en/organizations/cango/",
                "/api/organizations/",
                "/en/search/?q=cango",
            ]
            * 3
        ]
        assert [status for status, *_rest in answers] == [200] * 12
        # One wait per worker (two), on its first cache call; every other request answers
        # without waiting for Redis at all.
        waited = [seconds for *_answer, seconds in answers if seconds >= 0.5]
        assert len(waited) <= 2, waited
    finally:
        proxy.speak()
    assert eventually(lambda: fetch(address, "/readyz")[0] == 200), "not ready again"


def test_a_change_made_while_redis_is_silent_is_seen_once_it_answers(server, database):
    """A change whose move of the data's generation Redis did not take (it was silent) is
    not lost: once Redis answers, the answers cached before the change stop being served
    within moments (website.cache), not when they expire."""
    address, proxy = server["address"], server["redis"]
    token = make_editor_token(database)
    path = "/api/organizations/cango/"
    assert fetch(address, path)[0] == 200
    # A worker that found Redis silent in the test before may still be leaving it alone
    # (website.redis_cache) and answer uncached: the answer is cached once one is a hit.
    assert eventually(lambda: fetch(address, path)[1].get("X-Cache") == "hit"), server_log_tail(
        server
    )
    described = f"Described while Redis was silent {uuid.uuid4().hex[:8]}"
    proxy.silence()
    try:
        status, *_rest = fetch(
            address,
            path,
            method="PATCH",
            data=json.dumps({"description_en": described}).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        assert status == 200
    finally:
        proxy.speak()

    # A worker that found Redis silent leaves it alone for a few seconds (website.
    # redis_cache), answering uncached meanwhile; after that, every worker reads Redis again,
    # and none may find the answer cached before the change.
    time.sleep(PAUSE_SECONDS + 1)
    answers = [fetch(address, path) for _ in range(10)]
    assert {status for status, *_rest in answers} == {200}
    assert {json.loads(body)["description_en"] for _status, _headers, body, _s in answers} == {
        described
    }


def make_editor_token(database):
    """A token of an editor of the server's database, made by a command, as an admin would."""
    token = uuid.uuid4().hex[:40]
    run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "from rest_framework.authtoken.models import Token; "
        f"user = User.objects.create_superuser('faults-{token[:8]}', 'f@example.org', '{token}'); "
        f"Token.objects.create(user=user, key='{token}')",
        env=server_environment(database[0]),
    )
    return token


def test_a_worker_killed_mid_request_is_replaced(server):
    address, master = server["address"], server["process"].pid
    workers = worker_pids(master)
    assert len(workers) == 2
    # Keep every thread of both workers busy with pages drawn afresh, then kill one.
    answers = []
    busy = [
        threading.Thread(
            target=lambda: answers.append(fetch(address, fresh("/en/graph/"), timeout=30)[0])
        )
        for _ in range(6)
    ]
    for thread in busy:
        thread.start()
    time.sleep(0.3)
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    for thread in busy:
        thread.join(timeout=40)
    # Requests on the killed worker lose their connection; the others are answered.
    assert set(answers) <= {200, None} and 200 in answers
    replaced = eventually(lambda: len(worker_pids(master) - {victim}) == 2, seconds=30)
    assert replaced, f"workers now: {worker_pids(master)}"
    assert victim not in worker_pids(master)
    statuses = [fetch(address, fresh("/en/organizations/"))[0] for _ in range(8)]
    assert statuses == [200] * 8


class Editor:
    """An editor signed in to the server's admin: its pages, and its forms posted with their
    CSRF token, through one cookie jar."""

    def __init__(self, server, username, password):
        self.address = server["address"]
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.opener.addheaders = [("Accept-Language", "en")]
        login = self.get("/admin/login/")
        fields = {"username": username, "password": password, "next": "/admin/"}
        assert "Log out" in self.post("/admin/login/", login, fields)[0]

    def get(self, path):
        with self.opener.open(self.address + path, timeout=PROMPT) as response:
            return response.read().decode()

    def post(self, path, page, fields, files=()):
        """Post the form of `page` (its CSRF token) to path; the page answered after any
        redirect, and its address."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        boundary = uuid.uuid4().hex
        parts = [
            (f'Content-Disposition: form-data; name="{name}"', value.encode())
            for name, value in {**fields, "csrfmiddlewaretoken": token}.items()
        ] + [
            (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"', content)
            for name, filename, content in files
        ]
        body = (
            b"".join(
                f"--{boundary}\r\n{header}\r\n\r\n".encode() + value + b"\r\n"
                for header, value in parts
            )
            + f"--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.address + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=PROMPT) as response:
            return response.read().decode(), response.url


def test_an_ecosoc_import_runs_in_the_background_worker(server):
    """Upload, preview and import through the admin of the real server: each request answers
    at once, the job worker (another process) runs the job, and the run's page follows it."""
    run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.filter(username='jobs').delete(); "
        "User.objects.create_superuser('jobs', 'jobs@example.org', 'jobs-password-1')",
        env=server["environment"],
    )
    editor = Editor(server, "jobs", "jobs-password-1")
    upload_page = editor.get("/admin/networks/importrun/upload/")
    rows = "".join(f"Background Society {n},2020-01-01\n" for n in range(300))
    page, run_page = editor.post(
        "/admin/networks/importrun/upload/",
        upload_page,
        {},
        files=[
            ("files", "1_ecosoc_status_granted.csv", f"NGO_name,Session_number\n{rows}".encode())
        ],
    )
    assert run_page.endswith("/preview/"), page[-2000:]
    run_path = run_page.removeprefix(server["address"])

    def run_page_once(text):
        """The run's page once it says `text` (within 60 s), else None."""
        return eventually(lambda: text in (page := editor.get(run_path)) and page, seconds=60)

    previewed = run_page_once("Nothing has been written")
    assert previewed, "the worker did not preview the files in 60 s"
    assert "<td>300</td>" in previewed  # created
    editor.post(run_path, previewed, {})
    applied = run_page_once("Every change this import made")
    assert applied, "the worker did not apply the import in 60 s"
    status, _headers, body, _seconds = fetch(
        server["address"], "/api/organizations/?search=Background+Society"
    )
    assert status == 200 and json.loads(body)["count"] == 300
