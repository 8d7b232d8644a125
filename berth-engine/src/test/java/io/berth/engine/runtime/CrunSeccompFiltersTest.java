package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrunSeccompFiltersTest {
    @TempDir Path dir;

    static ObjectNode spec(String denied) throws Exception {
        return (ObjectNode) Json.plain().readTree("""
                {"ociVersion":"1.0.2","annotations":{"org.opencontainers.image.stopSignal":"SIGTERM"},
                 "linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["%s"],"action":"SCMP_ACT_ERRNO"}]}}}
                """.formatted(denied));
    }

    Path stateDir(String id, byte[] program) throws Exception {
        Path d = Files.createDirectories(dir.resolve(id));
        if (program != null) Files.write(d.resolve(CrunSeccompFilters.FILE), program);
        return d;
    }

    @Test void aProfileCompiledOnceIsGivenToTheNextCreatesOfTheSameProfileOnly() throws Exception {
        var filters = new CrunSeccompFilters();
        byte[] program = new byte[8 * 12];
        program[3] = 7;
        ObjectNode first = spec("mkdir");
        String key = filters.apply(first);
        assertThat(key).as("unknown: crun compiles it").isNotNull();
        assertThat(first.path("annotations").has(CrunSeccompFilters.ANNOTATION)).isFalse();
        filters.learn(key, stateDir("a", program));

        ObjectNode second = spec("mkdir");
        assertThat(filters.apply(second)).isNull();
        assertThat(second.path("annotations").path(CrunSeccompFilters.ANNOTATION).asText())
                .isEqualTo(Base64.getEncoder().encodeToString(program));
        assertThat(second.path("annotations").path("org.opencontainers.image.stopSignal").asText()).isEqualTo("SIGTERM");

        ObjectNode other = spec("chmod");
        assertThat(filters.apply(other)).isNotNull().isNotEqualTo(key);
        assertThat(other.path("annotations").has(CrunSeccompFilters.ANNOTATION)).isFalse();
    }

    @Test void noProfileOrAProgramAlreadyGivenIsLeftAsItIs() throws Exception {
        var filters = new CrunSeccompFilters();
        ObjectNode unconfined = (ObjectNode) Json.plain().readTree("{\"linux\":{}}");
        assertThat(filters.apply(unconfined)).isNull();
        assertThat(unconfined.has("annotations")).isFalse();
        ObjectNode given = spec("mkdir");
        ((ObjectNode) given.get("annotations")).put(CrunSeccompFilters.ANNOTATION, "AAAAAAAAAAA=");
        assertThat(filters.apply(given)).isNull();
        assertThat(given.path("annotations").path(CrunSeccompFilters.ANNOTATION).asText()).isEqualTo("AAAAAAAAAAA=");
    }

    @Test void whatIsNotAWholeBpfProgramIsNotLearned() throws Exception {
        var filters = new CrunSeccompFilters();
        String key = filters.apply(spec("mkdir"));
        filters.learn(key, stateDir("missing", null));
        filters.learn(key, stateDir("empty", new byte[0]));
        filters.learn(key, stateDir("ragged", new byte[13]));
        filters.learn(key, stateDir("huge", new byte[8 * 4097]));
        assertThat(filters.size()).isZero();
        assertThat(filters.apply(spec("mkdir"))).isEqualTo(key);
    }

    @Test void theLeastRecentlyUsedProfileGoesPastCapacity() throws Exception {
        var filters = new CrunSeccompFilters();
        String firstKey = null;
        for (int i = 0; i <= CrunSeccompFilters.CAPACITY; i++) {
            String key = filters.apply(spec("call" + i));
            if (i == 0) firstKey = key;
            filters.learn(key, stateDir("c" + i, new byte[8]));
        }
        assertThat(filters.size()).isEqualTo(CrunSeccompFilters.CAPACITY);
        assertThat(filters.apply(spec("call0"))).isEqualTo(firstKey);
        assertThat(filters.apply(spec("call1"))).isNull();
    }
}
