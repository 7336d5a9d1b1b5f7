"""app/run-with-eddy, what `./dev run` starts: eddy on disk and cruddur on it, seeded; a person
can sign in and chat; stopping and starting again keeps every message."""
import os
import signal
import subprocess

from cruddur_helpers import SEED_GROUP, CruddurClient, wait_for
from eddy_helpers import eddy_bin, free_port

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "app",
                      "run-with-eddy")


def bring_up(data_dir, eddy_port, cruddur_port, log):
    process = subprocess.Popen(
        [SCRIPT, os.path.dirname(eddy_bin()), str(data_dir), str(eddy_port), str(cruddur_port)],
        stdout=log, stderr=subprocess.STDOUT, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
        start_new_session=True)
    app = CruddurClient(cruddur_port)

    def answering():
        assert process.poll() is None, open(log.name).read()
        try:
            return app.get("/api/health").status == 200
        except OSError:
            return False
    wait_for(answering, timeout=20, message="cruddur to answer")
    return process, app


def stop(process):
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0


def test_run_brings_up_eddy_and_cruddur_seeded_on_disk(tmp_path):
    data = tmp_path / "data"
    ports = free_port(), free_port()
    with open(tmp_path / "run.log", "w") as log:
        process, app = bring_up(data, *ports, log)
        try:
            bayko = app.sign_in("bayko")
            app.post("/api/messages", {"message": "kept on disk",
                                       "message_group_uuid": SEED_GROUP}, token=bayko)
            brown = app.sign_in("andrewbrown")
            wait_for(lambda: app.get("/api/message_groups", token=brown).json()[0]["message"]
                     == "kept on disk", message="the worker to move the list")
        finally:
            stop(process)
        process, app = bring_up(data, *ports, log)
        try:
            messages = app.get("/api/messages/" + SEED_GROUP,
                               token=app.sign_in("andrewbrown")).json()
            assert messages[-1]["message"] == "kept on disk"
        finally:
            stop(process)
    output = (tmp_path / "run.log").read_text()
    assert "104 messages and 2 group rows written" in output
    assert "0 messages and 0 group rows written" in output  # the second start seeds nothing
    assert os.path.exists(data / "shared-local-instance.db")
    assert os.path.exists(data / "cruddur" / "cruddur.db")
