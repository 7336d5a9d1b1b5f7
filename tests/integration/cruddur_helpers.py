"""Helpers for Cruddur's tests: the `cruddur` binary run as a person or a script would run it,
against a real eddy. `CruddurServer` is `cruddur serve` (or `cruddur stream-worker`) on a free
port with its own data directory; requests go over plain HTTP."""
import http.client
import json
import os
import signal
import subprocess
import time

from eddy_helpers import ACCESS_KEY, REGION, SECRET_KEY, eddy_bin, free_port

SEED_GROUP = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures")


def cruddur_bin():
    return os.environ.get("CRUDDUR_BIN") or os.path.join(os.path.dirname(eddy_bin()), "cruddur")


def fixture_users():
    with open(os.path.join(FIXTURES, "users.json")) as f:
        return {user["handle"]: user for user in json.load(f)["users"]}


def conversation_lines():
    with open(os.path.join(FIXTURES, "conversation.txt")) as f:
        return [line.rstrip("\n").split(": ", 1) for line in f if line.strip()]


def cruddur_env(eddy, data_dir=None, endpoint=True, env_extra=None):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": ACCESS_KEY,
           "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION}
    if endpoint:
        env["AWS_ENDPOINT_URL"] = eddy.endpoint
    if data_dir is not None:
        env["CRUDDUR_DATA_DIR"] = str(data_dir)
    env.update(env_extra or {})
    return env


def run_cruddur(eddy, *args, data_dir=None, endpoint=True, env_extra=None):
    return subprocess.run([cruddur_bin(), *args],
                          env=cruddur_env(eddy, data_dir, endpoint, env_extra),
                          capture_output=True, text=True, timeout=60)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<%s %s>" % (self.status, self.body[:300])



class CruddurClient:
    """HTTP to a cruddur server on localhost:port, as the web page talks to it."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, token=None, headers=None, raw_body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = "Bearer " + token
        payload = raw_body if raw_body is not None else (
            json.dumps(body) if body is not None else None)
        if payload is not None:
            all_headers.setdefault("Content-Type", "application/json")
        try:
            connection.request(method, path, body=payload, headers=all_headers)
            response = connection.getresponse()
            return Response(response.status, dict(response.getheaders()),
                            response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, body=None, token=None, **kw):
        return self.request("POST", path, body=body, token=token, **kw)

    def sign_in(self, handle):
        response = self.post("/api/dev/sign_in", {"handle": handle})
        assert response.status == 200, response
        return response.json()["access_token"]



class CruddurServer(CruddurClient):
    """`cruddur serve` (or `cruddur stream-worker` with command="stream-worker")."""

    def __init__(self, eddy, data_dir, *, extra_args=(), command="serve"):
        self.eddy, self.data_dir = eddy, data_dir
        self.command, self.extra_args = command, list(extra_args)
        super().__init__(free_port())
        self.process = None
        self.log_path = os.path.join(str(data_dir), "%s-%d.log" % (command, self.port))
        self.runs = 0

    def args(self):
        args = [cruddur_bin(), self.command, "--data-dir", str(self.data_dir),
                "--stream-poll-ms", "50", *self.extra_args]
        if self.command == "serve":
            args += ["--port", str(self.port)]
        return args

    def start(self):
        os.makedirs(str(self.data_dir), exist_ok=True)
        self.runs += 1
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.args(), env=cruddur_env(self.eddy), stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        if self.command != "serve":
            return self
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "cruddur exited:\n" + self.log_text()
            try:
                if self.get("/api/health").status == 200:
                    return self
            except OSError:
                time.sleep(0.02)
        raise AssertionError("cruddur serve did not answer:\n" + self.log_text())

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None

    def kill(self):
        return self.stop(signal.SIGKILL)

    def log_text(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def processed_lines(self):
        """The worker's one line per record handled: dicts of shard, sequence, event, key."""
        records = []
        for line in self.log_text().splitlines():
            if line.startswith("stream-worker: processed "):
                fields = dict(part.split("=", 1) for part in line.split()[2:])
                records.append(fields)
        return records

    def cleanup(self):
        """SIGTERM, which must end the process cleanly: under ASan a leak or error report
        makes the exit status non-zero."""
        if self.process is None or self.process.poll() is not None:
            return
        status = self.stop()
        assert status == 0, "cruddur %s exited with %s after SIGTERM:\n%s" % (
            self.command, status, self.log_text())


def wait_for(condition, timeout=10.0, interval=0.02, message="condition"):
    """Polls `condition` until it returns something truthy; returns that, or fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, message))
        time.sleep(interval)
