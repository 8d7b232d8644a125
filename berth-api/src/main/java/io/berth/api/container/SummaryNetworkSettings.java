package io.berth.api.container;

import java.util.Map;

/** {@code NetworkSettings} of a ps entry: only the attachments, by network name. */
public record SummaryNetworkSettings(Map<String, EndpointSettings> networks) {}
