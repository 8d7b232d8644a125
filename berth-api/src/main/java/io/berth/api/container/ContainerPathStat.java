package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code X-Docker-Container-Path-Stat} header of the archive routes (base64 of this JSON, keys
 * in lower camel case). {@code mode} is Go's {@code os.FileMode}; {@code mtime} RFC 3339.
 */
public record ContainerPathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                                @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                                @JsonProperty("linkTarget") String linkTarget) {}
