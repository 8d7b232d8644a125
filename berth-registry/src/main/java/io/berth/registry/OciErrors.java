package io.berth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.http.ErrorRenderer;
import io.berth.http.HttpError;
import io.berth.http.HttpProtocolException;
import io.berth.registry.spec.RegistryError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders failures as the distribution spec's {@code {"errors":[{"code","message","detail"}]}}. */
final class OciErrors implements ErrorRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(OciErrors.class);
    private final ObjectMapper json;

    OciErrors(ObjectMapper json) { this.json = json; }

    @Override public HttpError render(Throwable t) {
        int status;
        String code, message;
        Object detail = null;
        if (t instanceof RegistryError e) {
            status = e.status();
            code = e.code();
            message = e.getMessage();
            detail = e.detail();
        } else if (t instanceof HttpProtocolException e) {
            status = e.status();
            code = status == 404 ? "NOT_FOUND" : status == 405 ? "UNSUPPORTED" : "UNSUPPORTED";
            message = e.getMessage();
        } else if (t instanceof com.fasterxml.jackson.core.JacksonException) {
            status = 400;
            code = "MANIFEST_INVALID";
            message = "invalid JSON";
        } else {
            LOG.warn("request failed", t);
            status = 500;
            code = "UNKNOWN";
            message = "unknown error";
        }
        return new HttpError(status, message, "application/json", body(code, message, detail));
    }

    byte[] body(String code, String message, Object detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        if (detail != null) e.put("detail", detail);
        try {
            byte[] b = json.writeValueAsBytes(Map.of("errors", List.of(e)));
            return b;
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }

    @Override public byte[] streamTrailer(HttpError error, String contentType) { return null; }
}
