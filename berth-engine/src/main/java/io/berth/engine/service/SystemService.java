package io.berth.engine.service;

import io.berth.api.system.DiskUsage;
import io.berth.api.system.SystemInfo;
import io.berth.api.system.VersionResponse;
import java.util.Set;

/** The system backend: /version, /info, /system/df. */
public interface SystemService {
    VersionResponse version();

    SystemInfo info();

    /** types: subset of image, container, volume, build-cache; empty means all. */
    DiskUsage diskUsage(Set<String> types);
}
