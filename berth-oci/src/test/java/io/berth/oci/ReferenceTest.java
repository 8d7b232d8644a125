package io.berth.oci;

import io.berth.oci.Reference;
import io.berth.oci.Digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    @Test
    void normalizesDockerHubNames() {
        Reference r = Reference.parse("busybox");
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox");
        assertThat(r.withDefaultTag().toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(r.withDefaultTag().familiarString()).isEqualTo("busybox:latest");
        assertThat(Reference.parse("user/app:1.0").toString()).isEqualTo("docker.io/user/app:1.0");
        assertThat(Reference.parse("docker.io/library/busybox:1").familiarString()).isEqualTo("busybox:1");
    }

    @Test
    void keepsRegistriesWithPorts() {
        Reference r = Reference.parse("localhost:5000/a/b:tag");
        assertThat(r.domain()).isEqualTo("localhost:5000");
        assertThat(r.path()).isEqualTo("a/b");
        assertThat(r.tag()).isEqualTo("tag");
        assertThat(r.familiarString()).isEqualTo("localhost:5000/a/b:tag");
        assertThat(Reference.parse("localhost/app").domain()).isEqualTo("localhost");
        assertThat(Reference.parse("registry.example.com/x").familiarName()).isEqualTo("registry.example.com/x");
    }

    @Test
    void parsesDigests() {
        String d = "sha256:" + "a".repeat(64);
        Reference r = Reference.parse("busybox@" + d);
        assertThat(r.digest()).isEqualTo(d);
        assertThat(r.tag()).isNull();
        assertThat(r.withDefaultTag()).isEqualTo(r);
        assertThat(Reference.parse("busybox:1@" + d).familiarString()).isEqualTo("busybox:1@" + d);
    }

    @Test
    void rejectsBadReferences() {
        assertThatThrownBy(() -> Reference.parse("Busybox")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> Reference.parse("a".repeat(64))).hasMessageContaining("cannot specify 64-byte hexadecimal strings");
        assertThatThrownBy(() -> Reference.parse("busy box")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("busybox:")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("busybox@sha256:xyz")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.parse("")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> Reference.of("busybox", "bad tag")).hasMessage("invalid reference format");
    }

    @Test
    void chainIdsFollowTheOciFormula() {
        Digest a = Digest.of("a".getBytes());
        Digest b = Digest.of("b".getBytes());
        var chains = Digest.chainIds(java.util.List.of(a, b));
        assertThat(chains.get(0)).isEqualTo(a);
        assertThat(chains.get(1)).isEqualTo(Digest.of((a + " " + b).getBytes()));
    }
}
