package io.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.container.Mount;
import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.Test;

/** The -v and --mount grammar and Docker's errors, without root. */
class MountParserTest {
    @Test void bindsNamedAndAnonymousVolumes() {
        MountPoint named = MountParser.parseBind("data:/srv/");
        assertThat(named.type()).isEqualTo("volume");
        assertThat(named.name()).isEqualTo("data");
        assertThat(named.destination()).isEqualTo("/srv");
        assertThat(named.mode()).isEqualTo("z");
        assertThat(named.rw()).isTrue();
        assertThat(named.copyData()).isTrue();

        MountPoint ro = MountParser.parseBind("/host/dir:/c:ro,rshared");
        assertThat(ro.type()).isEqualTo("bind");
        assertThat(ro.source()).isEqualTo("/host/dir");
        assertThat(ro.rw()).isFalse();
        assertThat(ro.propagation()).isEqualTo("rshared");

        assertThat(MountParser.parseBind("v1:/x:nocopy").copyData()).isFalse();
        assertThat(MountParser.parseBind("/anon").name()).isNull();
    }

    @Test void dockersErrors() {
        assertThatThrownBy(() -> MountParser.parseBind("vol:rel")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("invalid volume specification: 'vol:rel': invalid mount config for type \"volume\": "
                        + "invalid mount path: 'rel' mount path must be absolute");
        assertThatThrownBy(() -> MountParser.parseBind("/a:/b:bogus")).hasMessage("invalid mode: bogus");
        assertThatThrownBy(() -> MountParser.parseBind("/x:rw")).hasMessage("invalid volume specification: '/x:rw'");
        assertThatThrownBy(() -> MountParser.parseBind("a@b:/x")).hasMessageContaining("\"a@b\" includes invalid characters for a local volume name");
        assertThatThrownBy(() -> MountParser.parseMount(new Mount("/x", "/no/such/dir/here", "bind", null, null, null, null, null)))
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir/here");
        assertThatThrownBy(() -> MountParser.parseMount(new Mount("/x", null, "volume", true, null, null, null, null)))
                .hasMessage("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes");
        assertThatThrownBy(() -> MountParser.parseMount(new Mount("/x", null, "nfs", null, null, null, null, null)))
                .hasMessage("invalid mount config for type \"nfs\": mount type unknown");
    }

    /** API 1.45's VolumeOptions.Subpath: kept for a named volume (no copy-up), refused as moby refuses it otherwise. */
    @Test void volumeSubpaths() {
        var r = MountParser.parseMount(new Mount("/x", "vol", "volume", true, null, null,
                new Mount.VolumeOptions(null, null, null, "subdir"), null));
        assertThat(r.mount().subpath()).isEqualTo("subdir");
        assertThat(r.mount().copyData()).isFalse();
        assertThatThrownBy(() -> MountParser.parseMount(new Mount("/x", "vol", "volume", null, null, null,
                new Mount.VolumeOptions(null, null, null, "/etc/passwd"), null)))
                .hasMessage("invalid mount config for type \"volume\": subpath must be a relative path within the volume");
        assertThatThrownBy(() -> MountParser.parseMount(new Mount("/x", null, "volume", null, null, null,
                new Mount.VolumeOptions(null, null, null, "subdir"), null)))
                .hasMessage("invalid mount config for type \"volume\": must not set Subpath when using anonymous volumes");
    }

    @Test void tmpfsOptionsAsDocker() {
        var r = MountParser.parseMount(new Mount("/t", null, "tmpfs", null, null, null, null,
                new Mount.TmpfsOptions(100L << 20, 01770, null)));
        assertThat(r.mount().tmpfsData()).isEqualTo("mode=1770,size=100m");
    }

    @Test void duplicatesAndConfigVolumes() {
        var hc = new io.berth.api.container.HostConfig.Builder();
        hc.binds = java.util.List.of("aa:/x", "bb:/x/");
        assertThatThrownBy(() -> MountParser.parse(hc.build(), null, ref -> java.util.List.of()))
                .hasMessage("Duplicate mount point: /x");
        hc.binds = java.util.List.of("aa:/x");
        var out = MountParser.parse(hc.build(), java.util.Map.of("/x", java.util.Map.of(), "/y", java.util.Map.of()), ref -> java.util.List.of());
        assertThat(out).hasSize(2);
        assertThat(out.get(1).mount().destination()).isEqualTo("/y");
        assertThat(out.get(1).labels()).containsKey(LocalVolumeService.ANONYMOUS_LABEL);
        assertThatThrownBy(() -> MountParser.parse(hc.build(), java.util.Map.of("rel", java.util.Map.of()), ref -> java.util.List.of()))
                .hasMessage("invalid mount config: invalid mount path: 'rel' mount path must be absolute");
    }
}
