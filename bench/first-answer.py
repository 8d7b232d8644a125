#!/usr/bin/python3
"""bench/first-answer.py BERTHD DIR: starts BERTHD on fresh roots under DIR and prints, on one line, the wall-clock ms from
its exec to its first `/_ping` answer and the CPU ms (user + sys, all its threads) it had used by then; then stops it
(SIGTERM, by PID) and removes the roots.

The wait is a connect attempt every 0.5 ms from this one process: a loop that forks `curl` until one gets through
(what bench/cli.sh did before) keeps a core busy with forks and execs while the JVM starts on the other, and measured
300–700 ms for a start this measures at ~230 ms on the same 2-core machine. A connect succeeds once berthd listens;
the answer is then read blocking, so the figure's granularity is the 0.5 ms between attempts. Standard library only."""
import os
import shutil
import socket
import subprocess
import sys
import time

berthd, parent = sys.argv[1], sys.argv[2]
roots = os.path.join(parent, "first-answer.%d" % os.getpid())
for d in ("data", "exec"):
    os.makedirs(os.path.join(roots, d))
sock = os.path.join(roots, "exec", "b.sock")
t0 = time.monotonic()
p = subprocess.Popen([berthd, "--data-root", os.path.join(roots, "data"), "--exec-root", os.path.join(roots, "exec"),
                      "-H", "unix://" + sock, "--log-level", "warn"], stdout=subprocess.DEVNULL,
                     stderr=open(os.path.join(parent, "first-answer.log"), "w"))
try:
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(sock)
            s.sendall(b"GET /_ping HTTP/1.1\r\nHost: berth\r\n\r\n")
            answer = s.recv(64)
            if answer.startswith(b"HTTP/1.1 200"):
                break
        except OSError:
            pass
        finally:
            s.close()
        if p.poll() is not None:
            sys.exit("berthd exited (see %s)" % os.path.join(parent, "first-answer.log"))
        time.sleep(0.0005)
    wall = (time.monotonic() - t0) * 1000
    with open("/proc/%d/stat" % p.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    print("%d %d" % (wall, cpu))
finally:
    p.terminate()
    p.wait()
    shutil.rmtree(roots, ignore_errors=True)
