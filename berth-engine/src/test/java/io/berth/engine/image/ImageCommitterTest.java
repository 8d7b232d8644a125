package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.archive.LayerDiff;
import io.berth.engine.archive.TarWriter;
import io.berth.engine.content.ContentStore;
import io.berth.engine.events.EventBus;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.Sys;
import io.berth.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommitterTest {
    @TempDir Path root;
    private static ObjectNode json(String s) throws Exception { return (ObjectNode) Json.plain().readTree(s); }

    @Test void mergeFillsWhatTheUserLeftEmptyAsMoby() throws Exception {
        ObjectNode user = json("{\"Env\":[\"A=1\"],\"Cmd\":null,\"Entrypoint\":null,\"Labels\":{\"x\":\"1\"},\"WorkingDir\":\"\"}");
        ObjectNode container = json("{\"User\":\"nobody\",\"Env\":[\"A=0\",\"B=2\"],\"Cmd\":[\"sh\"],\"Entrypoint\":[\"/init\"],"
                + "\"Labels\":{\"x\":\"0\",\"y\":\"2\"},\"WorkingDir\":\"/w\",\"ExposedPorts\":{\"80/tcp\":{}}}");
        ImageCommitter.merge(user, container);
        assertThat(user.get("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(user.get("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(user.get("Entrypoint").toString()).isEqualTo("[\"/init\"]");
        assertThat(user.get("Labels").toString()).isEqualTo("{\"x\":\"1\",\"y\":\"2\"}");
        assertThat(user.get("User").asText()).isEqualTo("nobody");
        assertThat(user.get("WorkingDir").asText()).isEqualTo("/w");
        assertThat(user.get("ExposedPorts").has("80/tcp")).isTrue();
    }

    @Test void anEntrypointGivenKeepsTheUsersCmd() throws Exception {
        ObjectNode user = json("{\"Entrypoint\":[\"/e\"],\"Cmd\":null}");
        ImageCommitter.merge(user, json("{\"Cmd\":[\"sh\"],\"Entrypoint\":[\"/init\"]}"));
        assertThat(user.get("Entrypoint").toString()).isEqualTo("[\"/e\"]");
        assertThat(user.get("Cmd").isNull()).isTrue();
    }

    private static final ContainerConfig CONFIG = Json.wire().convertValue(java.util.Map.of("Cmd", List.of("sh")), ContainerConfig.class);

    @Test void aBuildStepsUpperDirectoryBecomesItsLayerAndAMetadataStepWritesNoLayer() throws Exception {
        ImageStore store = new ImageStore(root.resolve("images"), new ContentStore(root.resolve("content")),
                new OverlaySnapshotter(root.resolve("snapshots")), ImageUsage.NONE);
        ImageCommitter committer = new ImageCommitter(store, new ImageRegistrar(store, new LayerApplier(Sys.linux())), new EventBus());
        Path upper = Files.createDirectories(root.resolve("snapshots").resolve("step").resolve("fs"));
        Files.createDirectories(upper.resolve("app"));
        Files.writeString(upper.resolve("app/hello"), "hello\n");

        Image built = committer.commit(new ImageCommitter.BuildStep(null, null, CONFIG, CONFIG, null, null, "COPY hello"),
                new ImageCommitter.StepLayer(out -> LayerDiff.write(upper, new TarWriter(out), Sys.linux()), upper));

        assertThat(upper).doesNotExist(); // moved, not copied
        assertThat(built.parent()).isEmpty();
        assertThat(built.layers()).hasSize(1);
        Image.Layer layer = built.layers().getFirst();
        assertThat(Digest.of(store.content().read(layer.blob().digestValue()))).isEqualTo(layer.diffId());
        var snapshot = store.snapshots().get(layer.chainId()).orElseThrow();
        assertThat(Files.readString(snapshot.fs().resolve("app/hello"))).isEqualTo("hello\n");
        assertThat(snapshot.size()).isEqualTo(6);

        Image meta = committer.commit(new ImageCommitter.BuildStep(built.id().toString(), null, CONFIG, CONFIG, null, null,
                "ENV A=1"), null);
        assertThat(meta.parent()).isEqualTo(built.id().toString());
        assertThat(meta.layers()).isEqualTo(built.layers());
        JsonNode history = Json.plain().readTree(store.content().read(meta.id())).get("history");
        assertThat(history.get(1).get("empty_layer").asBoolean()).isTrue();
    }
}
