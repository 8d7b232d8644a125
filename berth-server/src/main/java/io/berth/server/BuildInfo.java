package io.berth.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Berth's version, filled in by the build into {@code build.properties}. */
public final class BuildInfo {
    private static final String VERSION = load();

    private BuildInfo() {}

    public static String version() { return VERSION; }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
