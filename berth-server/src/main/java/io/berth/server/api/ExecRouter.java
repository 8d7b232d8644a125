package io.berth.server.api;

import io.berth.api.exec.ExecConfig;
import io.berth.api.exec.ExecStartConfig;
import io.berth.api.exec.IdResponse;
import io.berth.engine.container.ExecSession;
import io.berth.engine.service.ExecService;
import io.berth.api.errors.BerthException;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/** moby's exec router: {@code POST /containers/{id}/exec}, {@code /exec/{id}/start|resize|json}. */
public final class ExecRouter implements Router.Routes {
    private final ExecService exec;

    public ExecRouter(ExecService exec) { this.exec = exec; }

    @Override public void register(Router.Builder r) {
        r.post("/containers/{id}/exec", (req, res) -> {
            ExecConfig cfg = req.json(ExecConfig.class);
            if (cfg == null) throw new BerthException.InvalidArgument("No exec command specified");
            res.json(201, new IdResponse(exec.create(req.param("id"), cfg)));
        })
                .post("/exec/{id}/start", this::start)
                .post("/exec/{id}/resize", (req, res) -> {
                    exec.resize(req.param("id"), (int) req.longValue("h", 0), (int) req.longValue("w", 0));
                    res.empty(200);
                })
                .get("/exec/{id}/json", (req, res) -> res.json(200, exec.inspect(req.param("id"))));
    }


    private void start(Request req, Response res) throws IOException {
        String id = req.param("id");
        ExecStartConfig cfg = req.json(ExecStartConfig.class);
        if (cfg != null && cfg.detached()) {
            exec.start(id, true, cfg.consoleSize());
            res.empty(200);
            return;
        }
        byte[] detach = DetachKeys.parse(exec.inspect(id).detachKeys());
        ExecSession s = exec.start(id, false, cfg == null ? null : cfg.consoleSize());
        try {
            Response.Hijacked h = res.hijack();
            OutputStream out = h.out();
            boolean raw = s.tty();
            Thread outPump = pump(s.stdout(), out, raw, StreamFrames.STDOUT, "exec-out-" + id.substring(0, Math.min(12, id.length())), raw ? s : null);
            Thread errPump = pump(s.stderr(), out, raw, StreamFrames.STDERR, "exec-err-" + id.substring(0, Math.min(12, id.length())), s);
            Thread stdin = null;
            boolean[] detached = {false};
            if (s.stdin() != null) {
                stdin = Thread.ofVirtual().start(() -> detached[0] = copyStdin(h.in(), s, detach));
            }
            while (outPump.isAlive() || errPump.isAlive()) {
                outPump.join(100);
                errPump.join(100);
                if (detached[0]) break;
            }
            if (!detached[0]) {
                try {
                    s.exit().get();
                } catch (ExecutionException e) {
                    // recorded in the exec's state
                }
                String err = s.startError();
                if (err != null) {
                    byte[] b = (err + "\r\n").getBytes(StandardCharsets.UTF_8);
                    synchronized (out) {
                        StreamFrames.write(out, raw, StreamFrames.STDOUT, b, 0, b.length);
                        out.flush();
                    }
                }
            }
            try {
                h.closeWrite();
            } catch (IOException ignored) {
                // the client is gone
            }
            if (stdin != null) stdin.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.close();
        }
    }

    /** Copies a process stream to the client in frames (raw for a tty); a platform thread (the reads block natively). */
    private static Thread pump(InputStream in, OutputStream out, boolean raw, int stream, String name, ExecSession failures) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            if (in == null) return;
            byte[] buf = new byte[32 * 1024];
            boolean first = true;
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (first && failures != null && runtimeFailure(buf, n, failures)) continue;
                    first = false;
                    synchronized (out) {
                        StreamFrames.write(out, raw, stream, buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the process or the client went away
            }
        });
    }

    /**
     * The runtime shares the process's stderr and prints its own start failure there; dockerd
     * reports it once, on stdout, so drop that line when the start did fail.
     */
    private static boolean runtimeFailure(byte[] buf, int n, ExecSession s) {
        if (!new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("exec failed: ")) return false;
        try {
            s.exit().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
        return s.startError() != null;
    }

    /** Client input to the process until EOF (then its stdin is closed) or the detach keys (returns true). */
    private static boolean copyStdin(InputStream in, ExecSession s, byte[] detach) {
        byte[] buf = new byte[8192];
        int matched = 0;
        OutputStream stdin = s.stdin();
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (detach.length > 0 && buf[i] == detach[matched]) {
                        if (++matched == detach.length) {
                            int keep = i + 1 - detach.length;
                            if (keep > 0) stdin.write(buf, 0, keep);
                            stdin.flush();
                            return true;
                        }
                    } else {
                        matched = buf[i] == (detach.length > 0 ? detach[0] : -1) ? 1 : 0;
                    }
                }
                stdin.write(buf, 0, n);
                stdin.flush();
            }
            s.closeStdin();
        } catch (IOException e) {
            // the connection or the process ended
        }
        return false;
    }
}
