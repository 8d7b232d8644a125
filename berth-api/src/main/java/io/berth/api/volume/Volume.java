package io.berth.api.volume;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A volume as GET /volumes/{name} returns it. {@code usageData} is only filled by /system/df
 * (Size in bytes, RefCount the number of containers referencing it), and left out elsewhere.
 */
public record Volume(String createdAt, String driver, Map<String, String> labels, String mountpoint, String name,
                     Map<String, String> options, String scope,
                     @JsonInclude(JsonInclude.Include.NON_NULL) UsageData usageData) {

    /** {@code UsageData}: -1 when not computed. */
    public record UsageData(long size, long refCount) {}

    public Volume withUsage(UsageData u) {
        return new Volume(createdAt, driver, labels, mountpoint, name, options, scope, u);
    }
}
