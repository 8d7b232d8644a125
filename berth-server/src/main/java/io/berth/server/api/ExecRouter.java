package io.berth.server.api;

import io.berth.api.exec.ExecConfig;
import io.berth.api.exec.ExecStartConfig;
import io.berth.api.exec.IdResponse;
import io.berth.api.DetachKeys;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.api.errors.BerthException;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.server.http.ApiRouter;
import java.io.IOException;
import java.util.EnumSet;

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
        // as moby: the start request's Tty, not the exec's, says whether the output is framed
        boolean raw = cfg != null && Boolean.TRUE.equals(cfg.tty());
        try (ProcessStdio s = exec.start(id, false, cfg == null ? null : cfg.consoleSize())) {
            new StdioPump(s, res.hijack(StreamFrames.contentType(!raw, ApiRouter.version(req))), EnumSet.allOf(StdStream.class), raw,
                    detach, "exec-out-" + id.substring(0, Math.min(12, id.length()))).run();
        }
    }
}
