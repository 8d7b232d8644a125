package io.berth.engine.container;

import java.nio.file.Path;

/** Where the files berthd manages for a container live: hostname, hosts, resolv.conf (written by {@link ContainerEtcFiles}) and its log. */
public final class ContainerFiles {
    private final Path containersData;

    public ContainerFiles(Path containersData) { this.containersData = containersData; }

    public Path hostname(String id) { return containersData.resolve(id).resolve("hostname"); }

    public Path hosts(String id) { return containersData.resolve(id).resolve("hosts"); }

    public Path resolvConf(String id) { return containersData.resolve(id).resolve("resolv.conf"); }

    public Path log(String id) { return containersData.resolve(id).resolve("container.log"); }
}
