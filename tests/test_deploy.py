"""The deploy/ files stay in step with the code: every setting is documented, the compose file
describes the whole stack, the gunicorn config loads. (CI boots the stack itself with
deploy/stack-up and drives it with deploy/smoke; images cannot be built on this network.)"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
ENV_READ = re.compile(r"""env(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def settings_read() -> set[str]:
    return set(ENV_READ.findall((ROOT / "studio" / "settings.py").read_text()))


def test_env_example_names_every_setting_the_settings_read():
    read = settings_read()
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"} <= read
    example = (DEPLOY / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.M))
    assert sorted(read - named) == [], "add these to deploy/.env.example"


def test_env_example_leaves_secrets_empty_and_debug_off():
    values = dict(
        line.split("=", 1)
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["DEBUG"] == "0"
    assert values["SECRET_KEY"] == ""
    assert values["STRIPE_SECRET_KEY"] == ""


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_the_whole_production_stack():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "caddy"}
    assert [services[s]["command"] for s in ("migrate", "web", "worker", "beat")] == [
        ["release"],
        ["web"],
        ["worker"],
        ["beat"],
    ]
    for name in ("db", "redis", "web", "worker", "caddy"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == "service_healthy"
        assert services[name]["read_only"] is True
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert services["caddy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert {"pgdata", "redisdata", "caddy_data"} <= set(compose()["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_image_runs_as_an_unprivileged_user_with_locked_dependencies():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", dockerfile, flags=re.M)[1:]
    assert len(stages) >= 3  # uv, build, runtime
    build, runtime = stages[-2], stages[-1]
    assert "uv sync --locked --no-dev" in build
    assert "collectstatic --noinput" in build
    assert re.search(r"^USER tonic", runtime, flags=re.M)
    assert "--from=uv" not in runtime  # build tools stay in the build stage


def test_entrypoint_roles_start_the_right_programs():
    script = (DEPLOY / "entrypoint.sh").read_text()
    assert subprocess.run(["sh", "-n", str(DEPLOY / "entrypoint.sh")]).returncode == 0
    assert "gunicorn -c /app/deploy/gunicorn.conf.py studio.wsgi" in script
    assert "celery -A studio worker" in script and "celery -A studio beat" in script
    assert "check --deploy --fail-level WARNING" in script


def test_gunicorn_config_loads_and_follows_the_environment(monkeypatch):
    import runpy

    from gunicorn.config import Config

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8999")
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    names = [name for name in values if name in config.settings]
    for name in names:
        config.set(name, values[name])  # gunicorn validates each value
    assert {"bind", "workers", "timeout", "forwarded_allow_ips", "accesslog"} <= set(names)
    assert (config.workers, config.bind) == (3, ["127.0.0.1:8999"])
    assert config.settings["control_socket_disable"].get() is True


def smokelib():
    import importlib.util

    spec = importlib.util.spec_from_file_location("smokelib", DEPLOY / "smokelib.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_smoke_reads_folded_ics_with_time_zones():
    lib = smokelib()
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:abc@tonic\r\nSUMMARY:Consul\r\n tation\r\n"
        "DTSTART;TZID=America/New_York:20260310T090000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:def@tonic\r\nDTSTART:20260310T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    first, second = lib.ics_events(text)
    assert first["SUMMARY"][1] == "Consultation"
    assert lib.ics_time(*first["DTSTART"]) == lib.ics_time(*second["DTSTART"])  # 9:00 EDT = 13:00Z


@pytest.mark.django_db
def test_smoke_submits_the_real_studio_admin_form(client):
    """deploy/smoke changes reminder offsets through the admin; its form reading must fit Django's."""
    from accounts.models import Studio
    from tests import factories

    lib = smokelib()
    Studio.get()
    client.force_login(factories.owner(email="boss@example.org"))
    path = "/admin/accounts/studio/1/change/"
    parser = lib.FormParser("studio_form")
    parser.feed(client.get(path).content.decode())
    fields = dict(parser.fields)
    assert fields["reminder_offsets_minutes"] == "[1440, 120]"
    fields["reminder_offsets_minutes"] = "[1440, 777, 120]"
    response = client.post(path, {**fields, "_save": "Save"})
    assert response.status_code == 302
    assert Studio.get().reminder_offsets_minutes == [1440, 777, 120]


def run_healthcheck(port: int) -> int:
    env = {**os.environ, "PORT": str(port), "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    return subprocess.run(
        [sys.executable, str(DEPLOY / "healthcheck.py")], env=env, capture_output=True, timeout=30
    ).returncode


def test_container_healthcheck_reports_a_healthy_server(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    assert run_healthcheck(port) == 0


def test_container_healthcheck_fails_when_nothing_answers():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the check runs
    assert run_healthcheck(port) == 1
