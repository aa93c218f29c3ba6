"""The load driver, run as its own process so that it does not share the server's or the
harness's interpreter: for SECONDS, each of CONNECTIONS threads sends GET requests over one
kept-alive http.client connection, rotating through the paths, and times each answer.

    python -m bench.perf.client PORT SECONDS CONNECTIONS[/RENEW] PATH [PATH ...]

With RENEW, each thread opens a new connection after that many requests, as a proxy in
front of several workers does: a kept-alive connection stays with the worker that accepted
it, and a few connections opened at once were sometimes all accepted by one worker of two.

Writes one JSON object to standard output: {"latencies_ms": [...], "errors": {status: n},
"cache_hits": answers saying X-Cache: hit, "seconds": elapsed}. A failed connection counts
as the error "connection".
"""

import http.client
import json
import sys
import threading
import time

HOST = "127.0.0.1"


def drive(port, deadline, paths, offset, totals, lock, renew=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies, failed, hits = [], {}, 0
    index = offset
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += 1
        if renew and index % renew == 0:
            connection.close()
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": HOST})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
            hits += response.getheader("X-Cache") == "hit"
        except (OSError, http.client.HTTPException):
            connection.close()
            status = "connection"
        latencies.append((time.perf_counter() - started) * 1000)
        if status != "200":
            failed[status] = failed.get(status, 0) + 1
    connection.close()
    with lock:
        totals["latencies_ms"].extend(latencies)
        totals["cache_hits"] += hits
        for status, count in failed.items():
            totals["errors"][status] = totals["errors"].get(status, 0) + count


def main(argv):
    port, seconds, connections, *paths = argv
    connections, _, renew = connections.partition("/")
    totals, lock = {"latencies_ms": [], "errors": {}, "cache_hits": 0}, threading.Lock()
    started = time.perf_counter()
    deadline = started + float(seconds)
    threads = [
        threading.Thread(
            target=drive, args=(int(port), deadline, paths, number, totals, lock, int(renew or 0))
        )
        for number in range(int(connections))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump({**totals, "seconds": time.perf_counter() - started}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
