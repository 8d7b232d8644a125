package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * crun's seccomp filters, compiled once per profile. crun turns a spec's {@code linux.seccomp} into a BPF program with
 * libseccomp at every create: 11 ms of the 18 ms a {@code crun run} takes here, for the same default profile each time.
 * It leaves the program it made in its state directory ({@code <root>/<id>/seccomp.bpf}), and it takes a program given
 * in the spec's {@code run.oci.seccomp_bpf_data} annotation (base64) instead of compiling one (crun(1)). So the first
 * create of a profile is learned from, and later ones of the same profile carry the program: the kernel gets the same
 * filter, made once.
 *
 * <p>A profile is known by the SHA-256 of its JSON as the spec has it, which already reflects the capabilities, the
 * architecture and the kernel it was made for. Only the runtime binary that compiled it gets it back (one instance per
 * crun). A file that is not a whole number of BPF instructions, or more than the kernel takes, is not learned.
 * Thread-safe; holds at most {@value #CAPACITY} profiles, the least recently used going first.
 */
final class CrunSeccompFilters {
    private static final Logger LOG = LoggerFactory.getLogger(CrunSeccompFilters.class);
    static final String ANNOTATION = "run.oci.seccomp_bpf_data";
    /** The file crun writes the compiled program to, in the container's state directory. */
    static final String FILE = "seccomp.bpf";
    static final int CAPACITY = 32;
    /** struct sock_filter's size, and the kernel's BPF_MAXINSNS. */
    private static final int INSN = 8;
    private static final int MAX_INSNS = 4096;

    private final Map<String, String> programs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Puts the known program of {@code spec}'s seccomp profile in its annotations. Returns the profile's key when
     * crun will compile it (to {@link #learn} after the create), null when the spec has no profile or got the program.
     */
    String apply(ObjectNode spec) {
        JsonNode seccomp = spec.path("linux").path("seccomp");
        if (!seccomp.isObject() || spec.path("annotations").has(ANNOTATION)) return null;
        String key = key(seccomp);
        String program;
        synchronized (programs) {
            program = programs.get(key);
        }
        if (program == null) return key;
        JsonNode annotations = spec.get("annotations");
        ObjectNode a = annotations instanceof ObjectNode o ? o : spec.putObject("annotations");
        a.put(ANNOTATION, program);
        return null;
    }

    /** Keeps the program crun compiled for the profile {@code key} in the container state directory {@code stateDir}. */
    void learn(String key, Path stateDir) {
        byte[] bpf;
        try {
            bpf = Files.readAllBytes(stateDir.resolve(FILE));
        } catch (IOException e) {
            LOG.debug("no compiled seccomp filter in {}: {}", stateDir, e.getMessage());
            return;
        }
        if (bpf.length == 0 || bpf.length % INSN != 0 || bpf.length > MAX_INSNS * INSN) {
            LOG.debug("{} in {} is not a BPF program ({} bytes): not reused", FILE, stateDir, bpf.length);
            return;
        }
        String program = Base64.getEncoder().encodeToString(bpf);
        synchronized (programs) {
            programs.putIfAbsent(key, program);
        }
    }

    /** How many profiles are known. */
    int size() {
        synchronized (programs) {
            return programs.size();
        }
    }

    private static String key(JsonNode seccomp) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.plain().writeValueAsBytes(seccomp)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
