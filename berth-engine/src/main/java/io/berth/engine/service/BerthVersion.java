package io.berth.engine.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Berth's version (the Maven project version, written into {@code build.properties} by the build) and build facts. */
public final class BerthVersion {
    public static final String VERSION = load();
    public static final String GIT_COMMIT = "unknown";

    private BerthVersion() {}

    private static String load() {
        try (InputStream in = BerthVersion.class.getResourceAsStream("build.properties")) {
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
