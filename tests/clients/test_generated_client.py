"""A client developer's path: generate a Python client from the live schema with
openapi-python-client (in a virtualenv of its own, as a client developer would), check what
it generated, and answer a researcher's questions through it alone (questions.py)."""

import ast
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import Organization
from events.models import Talk
from networks.models import Membership

pytestmark = pytest.mark.slow

# The generator, pinned: the client it writes is what this test checks.
GENERATOR = "openapi-python-client==0.29.1"
QUESTIONS = Path(__file__).with_name("questions.py")
MEETING = "2021-china-philanthropy-going-global-exchange-meeting"
ECOSOC = "un-ecosoc-consultative-status"


def fail_or_skip(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must reach PyPI.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def generator(tmp_path_factory):
    """A virtualenv holding the generator (and the httpx and attrs its clients need)."""
    home = tmp_path_factory.mktemp("generator")
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
    installed = subprocess.run(
        [str(home / "bin" / "pip"), "install", "--quiet", GENERATOR],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if installed.returncode != 0:
        fail_or_skip(f"cannot install {GENERATOR}: {installed.stderr[-500:]}")
    return home / "bin"


@pytest.fixture
def served(live_server, transactional_db):
    call_command("load_fixtures", verbosity=0)
    return live_server.url


@pytest.fixture
def generated(generator, served, tmp_path):
    """The client generated from the schema as a Chinese-speaking developer's machine
    fetches it: the package's directory."""
    request = urllib.request.Request(
        f"{served}/api/schema/?format=json", headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        (tmp_path / "schema.json").write_bytes(response.read())
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    result = subprocess.run(
        [
            str(generator / "openapi-python-client"),
            "generate",
            *("--path", str(tmp_path / "schema.json")),
            *("--config", str(tmp_path / "config.yaml")),
            *("--meta", "none"),
            *("--output-path", str(tmp_path / "directory_client")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return tmp_path / "directory_client"


def identifiers(package):
    """Every name the generated code defines or takes: modules, classes, functions, their
    parameters, assigned names and attributes."""
    for path in package.rglob("*.py"):
        yield path.stem
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                yield node.name
            elif isinstance(node, ast.arg):
                yield node.arg
            elif isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Attribute):
                yield node.attr


def test_the_generated_client_answers_a_researcher_s_questions(generator, served, generated):
    names = set(identifiers(generated))
    assert "organizations_list" in names
    assert sorted(name for name in names if not name.isascii()) == []

    # Anonymous reads take a plain client; writes need one with credentials.
    reading = (generated / "api" / "organizations" / "organizations_list.py").read_text()
    writing = (generated / "api" / "organizations" / "organizations_create.py").read_text()
    assert "client: AuthenticatedClient | Client," in reading
    assert "client: AuthenticatedClient," in writing

    result = subprocess.run(
        [str(generator / "python"), str(QUESTIONS), served],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(generated.parent)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout)

    talks = Talk.objects.filter(session__event__slug=MEETING).order_by("session", "order")
    assert answers["talks"] == [
        [
            talk.session.order,
            talk.session.title_en,
            talk.order,
            talk.speaker.name_en,
            talk.speaker_organization.name_en if talk.speaker_organization else None,
        ]
        for talk in talks
    ]
    assert len(answers["talks"]) > 5
    statuses = Membership.objects.filter(network__slug=ECOSOC, organization__country="CN")
    assert answers["consultative_status"] == sorted(
        [
            status.organization.name_en,
            status.level,
            status.start_date.year if status.start_date else None,
        ]
        for status in statuses
    )
    assert ["China Young Volunteers Association", "special", 2010] in answers["consultative_status"]
    assert answers["vso_partners"] == sorted(
        Membership.objects.filter(network__slug="vso-china-partners").values_list(
            "organization__slug", flat=True
        )
    )
    assert answers["pinyin"] == [Organization.objects.get(name_zh="爱德基金会").slug]
    in_china = sorted(Organization.objects.filter(country="CN").values_list("slug", flat=True))
    assert answers["csv_of_china"] == in_china and len(in_china) > 20
    every_slug = list(Organization.objects.order_by("slug").values_list("slug", flat=True))
    assert answers["keyset_walk"] == every_slug and len(every_slug) > 7 * 3
