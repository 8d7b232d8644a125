package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: tag, rmi, images and its filters and formats, events. Each test uses its own repository names. */
class ImageManageIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void tagAddsANameToTheSameImage() {
        String id = Images.importBusybox(daemon.docker(), "tagsrc:1");
        daemon.docker().ok("tag", "tagsrc:1", "tagdst:2");
        daemon.docker().ok("tag", "tagsrc:1", "registry.example:5000/team/tagdst");
        assertThat(Images.inspect(daemon.docker(), "tagdst:2").path("Id").asText()).isEqualTo(id);
        assertThat(Images.inspect(daemon.docker(), "registry.example:5000/team/tagdst:latest").path("Id").asText()).isEqualTo(id);
        assertThat(Images.inspect(daemon.docker(), id).path("RepoTags").toString())
                .contains("tagsrc:1", "tagdst:2", "registry.example:5000/team/tagdst:latest");
        // by short ID too
        daemon.docker().ok("tag", id.substring(7, 19), "tagdst:short");
        assertThat(Images.inspect(daemon.docker(), "tagdst:short").path("Id").asText()).isEqualTo(id);

        Result bad = daemon.docker().run("tag", "tagsrc:1", "UPPER:case");
        bad.failed();
        Result missing = daemon.docker().run("tag", "nope:missing", "x:y");
        missing.failed();
        assertThat(missing.err()).contains("No such image: nope:missing");
    }

    @Test
    void rmiUntagsThenDeletes() {
        String id = Images.importBusybox(daemon.docker(), "rmi-a:1");
        daemon.docker().ok("tag", "rmi-a:1", "rmi-b:1");

        Result untag = daemon.docker().run("rmi", "rmi-b:1").ok();
        assertThat(untag.lines()).containsExactly("Untagged: rmi-b:1");
        assertThat(Images.inspect(daemon.docker(), id).path("RepoTags").toString()).doesNotContain("rmi-b:1");

        Result delete = daemon.docker().run("rmi", "rmi-a:1").ok();
        assertThat(delete.lines()).contains("Untagged: rmi-a:1", "Deleted: " + id);
        assertThat(daemon.docker().run("image", "inspect", id).exit()).isNotZero();
    }

    @Test
    void rmiByIdOfAnImageTaggedTwiceNeedsForce() {
        String id = Images.importBusybox(daemon.docker(), "twice-a:1", "ENV TWICE=1");
        daemon.docker().ok("tag", "twice-a:1", "twice-b:1");

        Result refused = daemon.docker().run("rmi", id);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("Error response from daemon: conflict: unable to delete " + id.substring(7, 19)
                + " (must be forced) - image is referenced in multiple repositories");

        Http.Response raw = daemon.http().request("DELETE", "/v1.47/images/" + id, Map.of(), null);
        assertThat(raw.status()).isEqualTo(409);
        assertThat(raw.json().path("message").asText()).contains("must be forced");

        Result forced = daemon.docker().run("rmi", "-f", id).ok();
        assertThat(forced.lines()).contains("Untagged: twice-a:1", "Untagged: twice-b:1", "Deleted: " + id);
        assertThat(daemon.docker().run("image", "inspect", id).exit()).isNotZero();
    }

    @Test
    void rmiUnknownImage() {
        Result r = daemon.docker().run("rmi", "nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error response from daemon: No such image: nope:latest");
    }

    @Test
    void imagesFiltersAndFormats() {
        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString()); // created long ago
        String first = Images.importBusybox(daemon.docker(), "flt:same", "LABEL flt.kind=first");
        String second = Images.importBusybox(daemon.docker(), "flt:same", "LABEL flt.kind=second", "LABEL flt.extra=x");
        String other = Images.importBusybox(daemon.docker(), "flt-other:1", "ENV O=1");
        assertThat(first).isNotEqualTo(second);

        // the first lost its tag: dangling
        String dangling = daemon.docker().ok("images", "-q", "--no-trunc", "-f", "dangling=true");
        assertThat(dangling.lines().toList()).contains(first).doesNotContain(second, other);
        assertThat(daemon.docker().ok("images", "-q", "--no-trunc", "-f", "dangling=false").lines().toList())
                .contains(second, other).doesNotContain(first);
        assertThat(daemon.docker().ok("images", "-f", "dangling=true")).containsPattern("<none>\\s+<none>\\s+" + first.substring(7, 19));

        // reference
        assertThat(daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}", "-f", "reference=flt*").lines().toList())
                .containsExactlyInAnyOrder("flt:same", "flt-other:1");
        assertThat(daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}", "-f", "reference=flt:*").lines().toList())
                .containsExactly("flt:same");

        // label (key, key=value)
        assertThat(daemon.docker().ok("images", "-q", "--no-trunc", "-f", "label=flt.extra").lines().toList()).containsExactly(second);
        assertThat(daemon.docker().ok("images", "-q", "--no-trunc", "-a", "-f", "label=flt.kind=first").lines().toList()).containsExactly(first);

        // before / since (the fixture was built long before these imports)
        assertThat(daemon.docker().ok("images", "-q", "--no-trunc", "-f", "before=flt-other:1").lines().toList())
                .contains(Images.FIXTURE_ID).doesNotContain(other);
        assertThat(daemon.docker().ok("images", "-q", "--no-trunc", "-f", "since=" + Images.FIXTURE_REF).lines().toList())
                .contains(second, other).doesNotContain(Images.FIXTURE_ID);

        // -q gives 12-hex IDs, --no-trunc full ones
        List<String> q = daemon.docker().ok("images", "-q").lines().toList();
        assertThat(q).isNotEmpty().allMatch(s -> s.matches("[0-9a-f]{12}"));
        assertThat(q).contains(other.substring(7, 19));
        assertThat(daemon.docker().ok("images", "--no-trunc")).contains(other);

        // --digests adds a column
        Result digests = daemon.docker().run("images", "--digests").ok();
        assertThat(digests.lines().getFirst()).containsPattern("REPOSITORY\\s+TAG\\s+DIGEST\\s+IMAGE ID\\s+CREATED\\s+SIZE");

        // a repository name lists only that repository
        assertThat(daemon.docker().ok("images", "--format", "{{.Repository}}:{{.Tag}}", "flt-other").lines().toList())
                .containsExactly("flt-other:1");

        // bad filter
        Result bad = daemon.docker().run("images", "-f", "nosuchfilter=1");
        bad.failed();
        assertThat(bad.err()).contains("nosuchfilter");
    }

    @Test
    void eventsShowImageActions() throws Exception {
        long since = System.currentTimeMillis() / 1000 - 1;
        Images.importBusybox(daemon.docker(), "ev:1");
        daemon.docker().ok("tag", "ev:1", "ev:2");
        daemon.docker().ok("rmi", "ev:2");
        java.nio.file.Path tar = daemon.scratch().resolve("events.tar");
        daemon.docker().ok("save", "-o", tar.toString(), "ev:1");
        daemon.docker().ok("rmi", "ev:1");
        daemon.docker().ok("load", "-i", tar.toString());
        long until = System.currentTimeMillis() / 1000 + 1;

        Result ev = daemon.docker().run("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "type=image", "--format", "{{.Type}} {{.Action}}").ok();
        assertThat(ev.lines()).contains("image import", "image tag", "image untag", "image delete", "image save", "image load");

        Result json = daemon.docker().run("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "event=tag", "--format", "{{json .}}").ok();
        assertThat(json.lines()).isNotEmpty();
        // the class shares one daemon, so other tests' tag events fall in the window too: find ours
        var first = json.lines().stream().map(Images::parse)
                .filter(e -> e.path("Actor").path("Attributes").path("name").asText().equals("ev:2")).findFirst().orElseThrow();
        assertThat(first.path("Type").asText()).isEqualTo("image");
        assertThat(first.path("Action").asText()).isEqualTo("tag");
        assertThat(first.path("time").asLong()).isBetween(since, until);
    }
}
