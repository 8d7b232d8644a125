package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, normalization and matching as containerd's platforms package. */
class PlatformMatcherTest {
    static Descriptor entry(String os, String arch, String variant) {
        return new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "0".repeat(63) + Integer.toHexString(seq++ % 16),
                1, null, new Descriptor.Platform(arch, os, variant));
    }

    static int seq;

    @Test
    void parsesAndNormalizesAsContainerd() {
        assertThat(Platform.parse("linux/amd64")).isEqualTo(new Platform("linux", "amd64", ""));
        assertThat(Platform.parse("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", ""));
        assertThat(Platform.parse("linux/aarch64")).isEqualTo(new Platform("linux", "arm64", ""));
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("linux/arm64/v8").normalize()).isEqualTo(new Platform("linux", "arm64", ""));
        assertThat(Platform.parse("linux/arm")).isEqualTo(new Platform("linux", "arm", ""));
        assertThat(Platform.parse("linux/arm").normalize()).isEqualTo(new Platform("linux", "arm", "v7"));
        assertThat(Platform.parse("linux/armhf")).isEqualTo(new Platform("linux", "arm", ""));
        assertThat(Platform.parse("linux/arm/6")).isEqualTo(new Platform("linux", "arm", "v6"));
        assertThat(Platform.parse("Linux/AMD64")).isEqualTo(new Platform("linux", "amd64", ""));
        assertThat(Platform.parse("linux").architecture()).isEqualTo(Platform.host().architecture());
        assertThat(Platform.parse("arm64")).isEqualTo(new Platform("linux", "arm64", ""));
        assertThat(Platform.parse("linux/arm/v7").format()).isEqualTo("linux/arm/v7");
    }

    @Test
    void rejectsWhatContainerdRejects() {
        assertThatThrownBy(() -> Platform.parse("linux/*")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("\"linux/*\": wildcards not yet supported: invalid argument");
        assertThatThrownBy(() -> Platform.parse("nosuch")).hasMessage("\"nosuch\": unknown operating system or architecture: invalid argument");
        assertThatThrownBy(() -> Platform.parse("a/b/c/d")).hasMessage("\"a/b/c/d\": cannot parse platform specifier: invalid argument");
        assertThatThrownBy(() -> Platform.parse("linux/a b")).hasMessageContaining("is an invalid component of");
    }

    @Test
    void matchesCompatibleVariantsBestFirst() {
        Descriptor v5 = entry("linux", "arm", "v5");
        Descriptor v6 = entry("linux", "arm", "v6");
        Descriptor v7 = entry("linux", "arm", "v7");
        Descriptor arm64 = entry("linux", "arm64", "v8");
        Descriptor amd64 = entry("linux", "amd64", null);
        Descriptor i386 = entry("linux", "386", null);
        Descriptor attestation = entry("unknown", "unknown", null);
        List<Descriptor> all = new ArrayList<>(List.of(attestation, v5, v6, v7, arm64, i386, amd64));

        assertThat(PlatformMatcher.only(Platform.parse("linux/arm/v7")).select(all)).contains(v7);
        assertThat(PlatformMatcher.only(Platform.parse("linux/arm/v7")).select(List.of(v5, v6))).contains(v6);
        assertThat(PlatformMatcher.only(Platform.parse("linux/arm/v6")).select(List.of(v7))).isEmpty();
        assertThat(PlatformMatcher.only(Platform.parse("linux/arm64")).select(all)).contains(arm64);
        assertThat(PlatformMatcher.only(Platform.parse("linux/arm64")).select(List.of(v5, v7))).contains(v7);
        assertThat(PlatformMatcher.only(Platform.parse("linux/amd64")).select(all)).contains(amd64);
        assertThat(PlatformMatcher.only(Platform.parse("linux/amd64")).select(List.of(i386, v7))).contains(i386);
        assertThat(PlatformMatcher.only(Platform.parse("linux/s390x")).select(all)).isEmpty();
        assertThat(PlatformMatcher.only(Platform.parse("linux/s390x")).describe()).isEqualTo("linux/s390x");
    }

    @Test
    void theDefaultPrefersTheHostsAmd64Level() {
        assertThat(CpuVariant.amd64(java.util.Set.of("pni", "ssse3"))).isEqualTo("v1");
        assertThat(CpuVariant.amd64(java.util.Set.of("pni", "ssse3", "cx16", "sse4_1", "sse4_2", "popcnt", "lahf_lm"))).isEqualTo("v2");
        assertThat(CpuVariant.amd64(java.util.Set.of("pni", "ssse3", "cx16", "sse4_1", "sse4_2", "popcnt", "lahf_lm",
                "fma", "movbe", "xsave", "avx", "f16c", "bmi1", "avx2", "bmi2", "abm"))).isEqualTo("v3");
        Descriptor plain = entry("linux", "amd64", null);
        Descriptor v2 = entry("linux", "amd64", "v2");
        Descriptor v9 = entry("linux", "amd64", "v9");
        PlatformMatcher byDefault = PlatformMatcher.only(null);
        assertThat(byDefault.select(List.of(plain, v2, v9))).contains(CpuVariant.amd64().equals("v1") ? plain : v2);
        assertThat(byDefault.describe()).isEqualTo("linux/amd64");
        assertThat(PlatformMatcher.only(Platform.parse("linux/amd64")).select(List.of(v2, plain))).contains(plain);
        assertThat(PlatformMatcher.only(Platform.parse("linux/amd64")).select(List.of(v2))).isEmpty();
    }

    @Test
    void entriesWithoutAPlatformMatchLast() {
        Descriptor bare = new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "1".repeat(64), 1, null, null);
        Descriptor amd64 = entry("linux", "amd64", null);
        assertThat(PlatformMatcher.only(null).select(List.of(bare, amd64))).contains(amd64);
        assertThat(PlatformMatcher.only(Platform.parse("linux/riscv64")).select(List.of(bare, amd64))).contains(bare);
    }
}
