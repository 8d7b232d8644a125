package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an OCI {@code process} object: the one of a container's {@code config.json}
 * ({@link SpecBuilder}) and the one an exec hands to {@code runc exec --process}, which starts from
 * its container's and replaces what the exec sets. Fields keep the order they were first set in.
 */
public final class OciProcess {
    private final ObjectNode node;

    private OciProcess(ObjectNode node) {
        this.node = node;
    }

    /** An empty process. */
    public static OciProcess create() {
        return new OciProcess(Json.plain().createObjectNode());
    }

    /** A copy of {@code process} (a bundle's) to change. */
    public static OciProcess copyOf(JsonNode process) {
        return new OciProcess(((ObjectNode) process).deepCopy());
    }

    /** Docker's environment before the image's and the user's: PATH, HOSTNAME and, with a tty, TERM. */
    public static List<String> defaultEnv(String hostname, boolean tty) {
        List<String> env = new ArrayList<>();
        env.add("PATH=" + SpecBuilder.DEFAULT_PATH);
        env.add("HOSTNAME=" + (hostname == null ? "" : hostname));
        if (tty) env.add("TERM=xterm");
        return env;
    }

    public OciProcess terminal(boolean tty) {
        node.put("terminal", tty);
        return this;
    }

    /** Sets the terminal's initial size, or removes it when {@code heightWidth} is null. */
    public OciProcess consoleSize(List<Integer> heightWidth) {
        node.remove("consoleSize");
        if (heightWidth != null) {
            ObjectNode c = node.putObject("consoleSize");
            c.put("height", heightWidth.get(0));
            c.put("width", heightWidth.get(1));
        }
        return this;
    }

    public OciProcess user(ResolvedUser u) {
        ObjectNode user = node.putObject("user");
        user.put("uid", u.uid());
        user.put("gid", u.gid());
        if (!u.additionalGids().isEmpty()) {
            ArrayNode g = user.putArray("additionalGids");
            u.additionalGids().forEach(g::add);
        }
        return this;
    }

    public OciProcess args(List<String> args) {
        strings("args", args);
        return this;
    }

    public OciProcess env(List<String> env) {
        strings("env", env);
        return this;
    }

    public OciProcess cwd(String cwd) {
        node.put("cwd", cwd);
        return this;
    }

    /** The same capabilities in the bounding, effective and permitted sets. */
    public OciProcess capabilities(List<String> caps) {
        ObjectNode c = node.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = c.putArray(set);
            caps.forEach(a::add);
        }
        return this;
    }

    /** The process object (not a copy: further calls change it). */
    public ObjectNode node() {
        return node;
    }

    private void strings(String field, List<String> values) {
        ArrayNode a = node.putArray(field);
        if (values != null) values.forEach(a::add);
    }
}
