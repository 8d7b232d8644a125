package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.volume.Volume;
import io.berth.api.volume.VolumeCreateRequest;
import io.berth.api.volume.VolumeListResponse;
import io.berth.api.volume.VolumePruneReport;
import java.util.List;

/** What the {@code /volumes} routes call. */
public interface VolumeService {
    Volume create(VolumeCreateRequest request);

    VolumeListResponse list(Filters filters);

    Volume inspect(String name);

    /** 409 while a container uses it; {@code force} ignores a missing volume. */
    void remove(String name, boolean force);

    /** Removes unused volumes: anonymous ones only when {@code anonymousOnly} (API 1.42+ without {@code all=true}). */
    VolumePruneReport prune(Filters filters, boolean anonymousOnly);

    /** The volumes part of /system/df, with sizes and reference counts. */
    List<Volume> diskUsage();
}
