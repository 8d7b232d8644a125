package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.FakeDaemon;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code builder prune} and the build cache of {@code system df}, as the docker CLI prints them. */
class BuilderCommandsTest {
    static final String DF = """
            {"LayersSize":0,"Images":[],"Containers":[],"Volumes":[],"BuildCache":[
             {"ID":"abcdefghijklmnopq","Type":"exec.cachemount","Description":"/root/.cache","InUse":false,"Shared":false,
              "Size":2000000,"CreatedAt":"2023-11-14T20:13:20Z","LastUsedAt":"2023-11-14T21:13:20Z","UsageCount":3},
             {"ID":"inuse","Type":"regular","Description":"","InUse":true,"Shared":false,"Size":1000,
              "CreatedAt":"2023-11-14T20:13:20Z","LastUsedAt":null,"UsageCount":1}]}
            """;

    @Test void pruneAsksThenPrintsWhatWasDeleted() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(200, "{\"CachesDeleted\":[\"c1\",\"c2\"],\"SpaceReclaimed\":2048}"))) {
            CommandTest.Result no = CommandTest.run(d, "n\n", "builder", "prune");
            assertThat(no.out()).isEqualTo("WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ");
            assertThat(d.requests.stream().filter(r -> r.path().endsWith("/build/prune"))).isEmpty();
            CommandTest.Result r = CommandTest.run(d, "", "builder", "prune", "-a", "-f", "--keep-storage", "1k", "--filter", "until=24h");
            assertThat(r.out()).isEqualTo("Deleted build cache objects:\nc1\nc2\n\nTotal reclaimed space: 2.048kB\n");
            assertThat(URLDecoder.decode(d.requests.getLast().query(), StandardCharsets.UTF_8))
                    .isEqualTo("all=1&filters={\"until\":[\"24h\"]}&keep-storage=1024");
        }
    }

    @Test void systemDfCountsTheBuildCache() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(200, DF))) {
            assertThat(CommandTest.run(d, "", "system", "df").out()).contains("Build Cache     2         1         2.001MB   2MB");
            String verbose = CommandTest.run(d, "", "system", "df", "-v").out();
            assertThat(verbose).contains("Build cache usage: 2.001MB\n\n",
                    "CACHE ID       CACHE TYPE        SIZE      CREATED       LAST USED           USAGE     SHARED\n",
                    "abcdefghijkl   exec.cachemount   2MB       2 hours ago   About an hour ago   3         false\n",
                    "inuse*         regular           1kB       2 hours ago                       1         false\n");
        }
    }
}
