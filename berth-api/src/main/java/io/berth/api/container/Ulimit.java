package io.berth.api.container;

/** One {@code --ulimit}: {@code {"Name": "nofile", "Soft": 1024, "Hard": 2048}}. */
public record Ulimit(String name, Long soft, Long hard) {}
