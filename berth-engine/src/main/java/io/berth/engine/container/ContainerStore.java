package io.berth.engine.container;

import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.api.errors.BerthException;
import io.berth.engine.image.ImageUsage;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container records in memory, persisted as {@code <data-root>/containers/<id>/container.json}
 * (atomically), with a unique name index. Lookups never touch the disk.
 */
public final class ContainerStore implements ImageUsage {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStore.class);
    private static final Pattern NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String RECORD = "container.json";
    /** A directory being deleted: {@code .<id>.removing}. */
    private static final Pattern TRASH = Pattern.compile("\\.([0-9a-f]{64})\\.removing");

    private final Path root;
    private final Map<String, Container> byId = new ConcurrentHashMap<>();
    private final Map<String, String> byName = new ConcurrentHashMap<>();
    private final List<String> unfinished = new ArrayList<>();

    public ContainerStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path d : dirs.toList()) load(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open container store " + root, e);
        }
    }

    private void load(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Matcher trash = TRASH.matcher(name);
        if (trash.matches()) { // a removal that had begun deleting the directory
            unfinished.add(trash.group(1));
            return;
        }
        Path f = dir.resolve(RECORD);
        if (!Files.exists(f)) { // a removal whose clean-up had not ended (or a create that had not written the record)
            LOG.info("finishing the removal of container directory without a record: {}", dir);
            unfinished.add(name);
            return;
        }
        try {
            Container c = Json.wire().readValue(f.toFile(), Container.class);
            byId.put(c.id(), c);
            byName.put(c.name(), c.id());
        } catch (IOException e) {
            LOG.warn("cannot read container record {}: {}", f, e.getMessage());
        }
    }

    public Path dir(String id) { return root.resolve(id); }



    /**
     * The containers whose directory the last daemon left without a record: removed, but their clean-up (runtime
     * state, mounts, the directory itself) not finished; {@link #deleteDir} ends it.
     */
    public synchronized List<String> unfinishedRemovals() { return List.copyOf(unfinished); }

    public List<Container> all() { return new ArrayList<>(byId.values()); }

    public int count() { return byId.size(); }

    /** The containers' image layers, which image garbage collection must keep. */
    @Override public Set<Digest> layersInUse() {
        Set<Digest> out = new HashSet<>();
        for (Container c : byId.values()) for (String l : c.layerChainIds()) out.add(Digest.parse(l));
        return out;
    }

    /** Containers using an image, for rmi's conflicts. */
    @Override public List<Container> usersOf(String imageId) {
        List<Container> out = new ArrayList<>();
        for (Container c : byId.values()) if (c.image().equals(imageId)) out.add(c);
        return out;
    }

    public Optional<Container> get(String id) { return Optional.ofNullable(byId.get(id)); }

    /** By full ID, exact name (with or without the leading slash), or unique ID prefix, as Docker resolves them. */
    public Optional<Container> find(String ref) {
        if (ref == null || ref.isEmpty()) return Optional.empty();
        Container c = byId.get(ref);
        if (c != null) return Optional.of(c);
        String id = byName.get(ref.startsWith("/") ? ref.substring(1) : ref);
        if (id != null) return get(id);
        Container found = null;
        for (Container x : byId.values()) {
            if (x.id().startsWith(ref)) {
                if (found != null) throw new BerthException.InvalidArgument("multiple IDs found with provided prefix: " + ref);
                found = x;
            }
        }
        return Optional.ofNullable(found);
    }

    public Container require(String ref) {
        return find(ref).orElseThrow(() -> new BerthException.NotFound("No such container: " + ref));
    }

    /** Validates a user-given name (without the slash). */
    public static String validName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BerthException.InvalidArgument("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** Reserves {@code name} for {@code id}; Conflict when another container holds it. */
    public void reserveName(String name, String id) {
        String holder = byName.putIfAbsent(name, id);
        if (holder != null && !holder.equals(id)) {
            throw new BerthException.Conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    public void releaseName(String name, String id) { byName.remove(name, id); }

    public boolean nameTaken(String name) { return byName.containsKey(name); }

    /**
     * Writes a new or changed record: synced to disk, but for an auto-remove container's ({@link Container#durable}).
     */
    public synchronized Container put(Container c) {
        try {
            Files.createDirectories(dir(c.id()));
            AtomicFiles.write(dir(c.id()).resolve(RECORD), Json.wire().writeValueAsBytes(c), c.durable());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write container record " + c.id(), e);
        }
        byId.put(c.id(), c);
        return c;
    }

    /** Atomically replaces the record by {@code change} of the current one. */
    public synchronized Container update(String id, UnaryOperator<Container> change) {
        Container cur = byId.get(id);
        if (cur == null) throw new BerthException.NotFound("No such container: " + id);
        return put(change.apply(cur));
    }

    /**
     * Replaces the record by {@code change} of the current one in memory only: for a state that
     * must not outlive berthd (a removal in progress; after a crash the record on disk is the truth).
     */
    public synchronized Container mark(String id, UnaryOperator<Container> change) {
        Container cur = byId.get(id);
        if (cur == null) throw new BerthException.NotFound("No such container: " + id);
        Container next = change.apply(cur);
        byId.put(id, next);
        return next;
    }

    /**
     * Forgets the container: its name is free and its record deleted, so no listing and no later daemon sees it; its
     * directory stays for {@link #deleteDir}.
     */
    public synchronized void forget(Container c) {
        byId.remove(c.id());
        byName.remove(c.name(), c.id());
        try {
            Files.deleteIfExists(dir(c.id()).resolve(RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the record of container " + c.id(), e);
        }
    }

    /** Deletes what is left of a forgotten container's directory. */
    public void deleteDir(String id) {
        try {
            Path trash = root.resolve("." + id + ".removing");
            if (Files.exists(dir(id))) Files.move(dir(id), trash);
            AtomicFiles.deleteTree(trash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete container directory of " + id, e);
        }
        synchronized (this) {
            unfinished.remove(id);
        }
    }
}
