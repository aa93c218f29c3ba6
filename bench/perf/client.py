"""The load driver, run as its own process so that it does not share the server's or the
harness's interpreter: for SECONDS, each of CONNECTIONS threads sends GET requests over one
kept-alive http.client connection, rotating through the paths, and times each answer.

    python -m bench.perf.client PORT SECONDS CONNECTIONS PATH [PATH ...]

Writes one JSON object to standard output: {"latencies_ms": [...], "errors": {status: n},
"seconds": elapsed}. A failed connection counts as the error "connection".
"""

import http.client
import json
import sys
import threading
import time

HOST = "127.0.0.1"


def drive(port, deadline, paths, offset, latencies, errors, lock):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    mine, failed = [], {}
    index = offset
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": HOST})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException):
            connection.close()
            status = "connection"
        mine.append((time.perf_counter() - started) * 1000)
        if status != "200":
            failed[status] = failed.get(status, 0) + 1
    connection.close()
    with lock:
        latencies.extend(mine)
        for status, count in failed.items():
            errors[status] = errors.get(status, 0) + count


def main(argv):
    port, seconds, connections, *paths = argv
    latencies, errors, lock = [], {}, threading.Lock()
    started = time.perf_counter()
    deadline = started + float(seconds)
    threads = [threading.Thread(target=drive, args=(int(port), deadline, paths, number,
                                                    latencies, errors, lock))
               for number in range(int(connections))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump({"latencies_ms": latencies, "errors": errors,
               "seconds": time.perf_counter() - started}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
