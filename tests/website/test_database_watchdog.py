"""website.database_watchdog: a wait that outlasts its bound is ended by shutting its
connection's socket down, whatever thread waits on it; a wait disarmed in time is left
alone. (The whole of it, against a real server and a silenced proxy, is in test_faults.)"""

import socket
import threading
import time
from types import SimpleNamespace

from website.database_watchdog import Watchdog


def waiting(watchdog, seconds, disarm_after=None):
    """A thread armed for `seconds` that waits on a socket nobody writes to: (how long its
    wait lasted, what it read)."""
    ours, theirs = socket.socketpair()
    outcome = {}

    def wait():
        watchdog.arm(seconds, SimpleNamespace(connection=ours))
        started = time.monotonic()
        ours.settimeout(3)
        try:
            if disarm_after is not None:
                time.sleep(disarm_after)
                watchdog.disarm()
            outcome["read"] = ours.recv(1)
        except TimeoutError:
            outcome["read"] = None
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=wait)
    thread.start()
    thread.join(5)
    theirs.close()
    ours.close()
    return outcome


def test_a_wait_past_its_bound_is_ended():
    outcome = waiting(Watchdog(), 0.3)
    assert outcome["read"] == b""  # the socket was shut down: the wait ends as at EOF
    assert 0.25 < outcome["seconds"] < 1.5


def test_a_wait_disarmed_in_time_is_left_alone():
    outcome = waiting(Watchdog(), 0.3, disarm_after=0.1)
    assert outcome["read"] is None  # still waiting when its own timeout came
    assert outcome["seconds"] > 2.5


def test_a_connection_already_closed_is_passed_over():
    watchdog = Watchdog()
    watchdog.arm(0.05, SimpleNamespace(connection=None))
    time.sleep(0.4)
    assert watchdog.armed == {}
    assert watchdog.thread.is_alive()
