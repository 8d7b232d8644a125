package io.berth.engine.container;

import java.io.IOException;
import java.util.List;

/**
 * What networking tells the owner of a container's {@code hostname}, {@code hosts} and
 * {@code resolv.conf} ({@link ContainerEtcFiles}) when the container's network is up.
 */
public interface EtcFiles {
    /**
     * The container got {@code address} on its primary network; {@code nameServers} are the servers
     * its resolv.conf must name (a network's embedded DNS), or null for the container's own ({@code --dns}
     * or the host's).
     */
    void networkUp(Container c, String address, List<String> nameServers) throws IOException;
}
