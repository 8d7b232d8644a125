package io.berth.engine.container;

import java.io.IOException;
import java.util.List;

/**
 * What networking tells the owner of a container's {@code hostname}, {@code hosts} and
 * {@code resolv.conf} ({@link ContainerEtcFiles}) when the container's network is up or changes.
 */
public interface EtcFiles {
    /**
     * The container got {@code address} on its primary network; {@code embeddedDns} says whether its
     * resolv.conf names the embedded DNS (127.0.0.11) or its own servers ({@code --dns} or the
     * host's); {@code hostEntries} are extra hosts lines ({@code "IP\tnames"}, e.g. legacy links).
     */
    void networkUp(Container c, String address, boolean embeddedDns, List<String> hostEntries) throws IOException;

    /**
     * A running container joined its first or left its last user-defined network: its resolv.conf is
     * rewritten in place (the file is bind-mounted into the container) for or without the embedded DNS.
     */
    void resolverChanged(Container c, boolean embeddedDns) throws IOException;
}
