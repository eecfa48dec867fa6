"""Restart PostgreSQL under a steady load and report what the app made of it.

Runs the production server (gunicorn, DEBUG off) against a scratch PostgreSQL database on this
machine, drives it from a few threads on loopback (page reads, health checks, and co-chair
progress updates, which are committed writes), restarts the PostgreSQL cluster in the middle,
and reports: requests sent, failed requests, seconds from the restart until /healthz is green
again, whether /healthz went red, and whether every acknowledged write is in the database.
The app is never restarted: persistent connections are health-checked (CONN_HEALTH_CHECKS).

First, a login storm: eight threads post wrong logins (random usernames, valid CSRF tokens) while
/ping is timed; its median must stay under 50 ms, as the per-address login brake refuses the
storm before any password is hashed (baliwg/throttle.py).

    make fault-test          (needs root for pg_ctlcluster, as in CI and on the dev machines)
    python scripts/fault_test.py --login-storm-only   (no restart: for a machine others share)
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("FAULT_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DATABASE = os.environ.get("FAULT_DATABASE", "baliwg_fault")
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
STEADY_SECONDS, AFTER_SECONDS, READERS = 5, 10, 3
STORM_SECONDS, STORM_THREADS, PING_MEDIAN_LIMIT_MS = 8, 8, 50
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": "fault-test-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "PLAIN_STATIC_FILES": "1",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "GUNICORN_WORKERS": "2",
    "GUNICORN_ACCESSLOG": "/dev/null",
    # The demo accounts are made only for a development machine; this drill makes its own.
}


def sh(*args, env=ENV, check=True):
    result = subprocess.run(args, cwd=PROJECT, env=env, check=False, capture_output=True, text=True)
    if check and result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def prepare():
    sh("psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {DATABASE}")
    sh("psql", ADMIN_URL, "-qc", f"CREATE DATABASE {DATABASE}")
    sh(PYTHON, "manage.py", "migrate", "--no-input", "-v0")
    sh(PYTHON, "manage.py", "load_demo")
    script = (
        "from django.contrib.auth import get_user_model; from meetings.models import MemberState;"
        "from workplan.models import Representative;"
        "u = get_user_model().objects.create_user('fault-cochair', password='fault-test-password-1');"
        "Representative.objects.create(user=u, state=MemberState.objects.get(iso_code='VN'))"
    )
    sh(PYTHON, "manage.py", "shell", "--no-imports", "-c", script)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A saved form answers 302; keep that answer instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """A logged-in browser-like client: cookies and the CSRF token."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def get(self, path):
        return self.opener.open(BASE + path, timeout=10)

    def post(self, path, data) -> int:
        """The status of the answer: 302 when the form was saved."""
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as answer:
            return answer.code

    def login(self):
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": "fault-cochair", "password": "fault-test-password-1"})


class Load:
    def __init__(self, item_id):
        self.item_id = item_id
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sent = self.failed = 0
        self.health = []  # (time, status)
        self.acknowledged = []  # texts of updates the server confirmed

    def record(self, ok):
        with self.lock:
            self.sent += 1
            self.failed += not ok

    def reader(self):
        paths = ["/", "/meetings/", "/workplan/", "/members/", "/api/v1/meetings/"]
        n = 0
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(BASE + paths[n % len(paths)], timeout=10) as response:
                    self.record(response.status == 200)
            except (urllib.error.URLError, OSError):
                self.record(False)
            n += 1

    def prober(self):
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(BASE + "/healthz", timeout=5) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, OSError):
                status = 0
            self.health.append((time.monotonic(), status))
            time.sleep(0.1)

    def writer(self):
        session = Session()
        session.login()
        path = f"/workspace/items/{self.item_id}/"
        n = 0
        while not self.stop.is_set():
            text = f"Fault-test update {n}"
            try:
                session.get(path).close()
                status = session.post(
                    path,
                    {
                        "text": text,
                        "status": "",
                        "reason": "",
                        "percent_complete": "",
                        "date": time.strftime("%Y-%m-%d"),
                    },
                )
                ok = status == 302  # saved and committed
                if ok:
                    self.acknowledged.append(text)
                self.record(ok)
            except (urllib.error.URLError, OSError):
                self.record(False)
            n += 1
            time.sleep(0.05)


def ping_times(stop: threading.Event, times: list) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            urllib.request.urlopen(BASE + "/ping", timeout=10).close()
            times.append((time.perf_counter() - started) * 1000)
        except (urllib.error.URLError, OSError):
            times.append(10_000.0)
        time.sleep(0.05)


def login_storm() -> dict:
    """/ping's median at rest and under eight threads of wrong logins, and how the logins were answered."""
    import secrets
    import statistics

    stop, at_rest, during = threading.Event(), [], []
    prober = threading.Thread(target=ping_times, args=(stop, at_rest))
    prober.start()
    time.sleep(2)
    stop.set()
    prober.join()

    answers, lock, stop = {}, threading.Lock(), threading.Event()

    def attacker():
        session = Session()
        session.get("/accounts/login/").close()
        while not stop.is_set():
            status = session.post("/accounts/login/", {"username": secrets.token_hex(6), "password": "wrong"})
            with lock:
                answers[status] = answers.get(status, 0) + 1

    threads = [threading.Thread(target=attacker) for _ in range(STORM_THREADS)]
    threads.append(threading.Thread(target=ping_times, args=(stop, during)))
    for thread in threads:
        thread.start()
    time.sleep(STORM_SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "ping_median_ms_at_rest": round(statistics.median(at_rest), 1),
        "ping_median_ms_during_login_storm": round(statistics.median(during), 1),
        "ping_p90_ms_during_login_storm": round(statistics.quantiles(during, n=10)[-1], 1),
        "login_storm_answers": {str(k): v for k, v in sorted(answers.items())},
    }


def wait_for_server():
    for _ in range(100):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit("The server did not start.")


def main():
    prepare()
    item_id = sh(
        PYTHON,
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "from workplan.models import WorkPlanItem; print(WorkPlanItem.objects.get(order_label='b').pk)",
    ).stdout
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=PROJECT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server()
        storm = login_storm()
        if "--login-storm-only" in sys.argv:
            print(json.dumps(storm, indent=2))
            sh("psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {DATABASE}", check=False)
            sys.exit(0 if storm["ping_median_ms_during_login_storm"] < PING_MEDIAN_LIMIT_MS else 1)
        load = Load(int(item_id.strip()))
        threads = [threading.Thread(target=load.reader) for _ in range(READERS)]
        threads += [threading.Thread(target=load.prober), threading.Thread(target=load.writer)]
        for thread in threads:
            thread.start()
        time.sleep(STEADY_SECONDS)
        cluster = sorted(os.listdir("/etc/postgresql"))[0]
        restarted_at = time.monotonic()
        sh("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart", env=os.environ)
        back_at = time.monotonic()
        time.sleep(AFTER_SECONDS)
        load.stop.set()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    red = [t for t, status in load.health if t >= restarted_at and status != 200]
    green_after = [t for t, status in load.health if red and t > red[-1] and status == 200]
    # From the moment PostgreSQL accepts connections again to the first green health check.
    recovery = round(max(0.0, green_after[0] - back_at), 2) if green_after else None
    outage = round(green_after[0] - red[0], 2) if red and green_after else 0.0
    stored = sh(
        PYTHON,
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "import json; from workplan.models import ProgressUpdate;"
        "print(json.dumps(list(ProgressUpdate.objects.filter(text__startswith='Fault-test')"
        ".values_list('text', flat=True))))",
    ).stdout
    stored = set(json.loads(stored.strip().splitlines()[-1]))
    lost = [text for text in load.acknowledged if text not in stored]
    report = {
        "requests": load.sent,
        "failed_requests": load.failed,
        "postgres_restart_seconds": round(back_at - restarted_at, 2),
        "seconds_red": outage,
        "seconds_to_recovery": recovery,
        "healthz_went_red": bool(red),
        "healthz_green_at_end": bool(load.health) and load.health[-1][1] == 200,
        "writes_acknowledged": len(load.acknowledged),
        "writes_lost": len(lost),
        **storm,
    }
    print(json.dumps(report, indent=2))
    out = PROJECT / "bench"
    out.mkdir(exist_ok=True)
    (out / "fault-test.json").write_text(json.dumps(report, indent=2) + "\n")
    sh("psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {DATABASE}", check=False)
    ok = report["writes_lost"] == 0 and report["healthz_green_at_end"] and (recovery is not None or not red)
    ok = ok and report["ping_median_ms_during_login_storm"] < PING_MEDIAN_LIMIT_MS
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
