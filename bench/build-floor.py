#!/usr/bin/python3
"""bench/build-floor.py SOCKET [ANSWER]: the floor under an all-cache rebuild (or a `docker ps`) through the docker CLI.

A server on a unix socket that answers the docker CLI's `docker build` with nothing but reading: GET/HEAD /_ping
gets "OK" and an API version, POST /build has its whole body (the context tar) read and thrown away, then one
"Successfully built" message. Timing `docker build` against it gives what the CLI alone needs to walk the context and
send it; no engine can answer sooner, since a cache hit is known only once the last byte has been compared.
With ANSWER (a file), any other GET is answered with that file's bytes at once: an engine's saved answer to
`GET /containers/json`, so that timing `docker ps` against it gives what the CLI alone needs to read, decode and print
those rows (bench/density.sh's ps floor). Used by bench/build.sh and bench/density.sh; runs until killed. Standard
library only."""
import os
import socket
import sys
import threading

PING = b"OK"
BUILT = b'{"stream":"Successfully built 0123456789ab\\n"}\r\n'


def read_body(f, headers):
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int(f.readline().split(b";")[0], 16)
            if size == 0:
                while f.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return
            while size:
                size -= len(f.read(min(size, 1 << 20)))
            f.readline()
    else:
        size = int(headers.get("content-length", "0"))
        while size:
            size -= len(f.read(min(size, 1 << 20)))


def serve(conn, answer):
    with conn, conn.makefile("rb", buffering=1 << 20) as f:
        while True:
            line = f.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while True:
                h = f.readline().decode("latin-1")
                if h in ("\r\n", "\n", ""):
                    break
                k, v = h.split(":", 1)
                headers[k.strip().lower()] = v.strip()
            read_body(f, headers)
            if target.endswith("/_ping"):
                body, extra = PING, b"Api-Version: 1.41\r\nOstype: linux\r\n"
            elif method == "GET" and answer is not None:
                body, extra = answer, b""
            else:
                body, extra = BUILT, b""
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra
                         + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
                         + (b"" if method == "HEAD" else body))


def main():
    path = sys.argv[1]
    answer = None
    if len(sys.argv) > 2:
        with open(sys.argv[2], "rb") as f:
            answer = f.read()
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, answer), daemon=True).start()


if __name__ == "__main__":
    main()
