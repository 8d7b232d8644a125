package io.berth.engine.container;

import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.List;

/**
 * One legacy link of {@code HostConfig.Links}: the linked container's {@code name} and the
 * {@code alias} the linking container knows it by. Clients send {@code name:alias} (or {@code name});
 * inspect shows {@code /name:/container/alias}, which is accepted back as well.
 */
public record LegacyLink(String name, String alias) {

    /** Parses {@code name[:alias]} or {@code /name:/container/alias}, as moby's opts.ParseLink. */
    public static LegacyLink parse(String spec) {
        if (spec == null || spec.isEmpty()) throw new BerthException.InvalidArgument("empty string specified for links");
        String[] parts = spec.split(":", -1);
        if (parts.length > 2) throw new BerthException.InvalidArgument("bad format for links: " + spec);
        String name = strip(parts[0]);
        String alias = parts.length == 1 ? name : parts[1];
        int slash = alias.lastIndexOf('/');
        if (slash >= 0) alias = alias.substring(slash + 1);
        return new LegacyLink(name, alias);
    }

    /** The links of a container's host config (none when null). */
    public static List<LegacyLink> all(List<String> specs) {
        List<LegacyLink> out = new ArrayList<>();
        if (specs != null) for (String s : specs) out.add(parse(s));
        return out;
    }

    /** Whether a container's links are legacy links (it is on the default bridge), registered under {@code /parent/alias}. */
    public static boolean legacy(Container c) {
        String mode = c.hostConfig().networkMode();
        return mode == null || mode.isEmpty() || mode.equals("default") || mode.equals("bridge");
    }

    /** The links as inspect shows them: {@code /name:/container/alias} on the default bridge, none elsewhere (DNS aliases). */
    public static List<String> inspected(Container c) {
        List<String> specs = c.hostConfig().links();
        if (specs == null || specs.isEmpty() || !legacy(c)) return null;
        List<String> out = new ArrayList<>();
        for (LegacyLink l : all(specs)) out.add(l.render(c.name()));
        return out;
    }

    /** The form inspect shows: {@code /name:/container/alias}. */
    public String render(String containerName) { return "/" + name + ":/" + containerName + "/" + alias; }

    private static String strip(String s) { return s.startsWith("/") ? s.substring(1) : s; }
}
