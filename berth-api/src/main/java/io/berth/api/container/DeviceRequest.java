package io.berth.api.container;

import java.util.List;
import java.util.Map;

/** {@code HostConfig.DeviceRequests} entry ({@code --gpus}). */
public record DeviceRequest(String driver, Integer count, List<String> deviceIDs,
        List<List<String>> capabilities, Map<String, String> options) {}
