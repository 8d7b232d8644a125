package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One host side of a published port: {@code {"HostIp": "", "HostPort": "8080"}}. */
public record PortBinding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {}
