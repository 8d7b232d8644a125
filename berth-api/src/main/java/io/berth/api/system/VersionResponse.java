package io.berth.api.system;

import java.util.List;
import java.util.Map;

/** GET /version. */
public record VersionResponse(
        Platform platform,
        List<Component> components,
        String version,
        String apiVersion,
        String minAPIVersion,
        String gitCommit,
        String goVersion,
        String os,
        String arch,
        String kernelVersion,
        Boolean experimental,
        String buildTime) {

    public record Platform(String name) {}

    public record Component(String name, String version, Map<String, String> details) {}
}
