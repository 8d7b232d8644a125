package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.FakeDaemon;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class FastPathTest {
    record Result(int code, String out, String err, List<String> requests) {}

    /** Command lines (after {@code -H <daemon>}) the fast path takes. */
    private static final List<List<String>> TAKEN = List.of(
            List.of("version"), List.of("version", "--format", "{{.Server.Version}}"), List.of("version", "-f", "{{json .Client.Os}}"),
            List.of("version", "--format={{.Client.Version}}"), List.of("version", "-f{{.Server.Os}}"),
            List.of("ps"), List.of("ps", "-a"), List.of("ps", "-aq"), List.of("ps", "-qa", "--no-trunc"), List.of("ps", "-n", "2"),
            List.of("ps", "-n2"), List.of("ps", "--last=3"), List.of("ps", "--last", "1"), List.of("ps", "-l"), List.of("ps", "-s"),
            List.of("ps", "--size", "--format", "{{.Names}} {{.Size}}"), List.of("ps", "-f", "status=running", "-f", "name=web"),
            List.of("ps", "--filter=label=a"), List.of("ps", "-af", "status=exited"), List.of("ps", "--format", "{{.ID}}", "-q"),
            List.of("ps", "--format", "table {{.Names}}\\t{{.Status}}"), List.of("ps", "--format", "json"), List.of("ps", "--format", ""),
            List.of("ps", "-f", "bogus=1"), List.of("ps", "--format", "{{.Nope}}"), List.of("ps", "--format", "{{"));

    /** Command lines left to picocli. */
    private static final List<List<String>> LEFT = List.of(
            List.of(), List.of("ps", "--help"), List.of("version", "--help"), List.of("ps", "-x"), List.of("ps", "-a", "-a"),
            List.of("ps", "--all", "-a"), List.of("ps", "--format"), List.of("ps", "-n", "abc"), List.of("ps", "-n", "99999999999"),
            List.of("ps", "-f", "bad"), List.of("ps", "extra"), List.of("ps", "--all=true"), List.of("ps", "-n=3"), List.of("ps", "-n", "-1"),
            List.of("ps", "--", "-a"), List.of("version", "--bogus"), List.of("version", "extra"), List.of("version", "-f"),
            List.of("images"), List.of("container", "ls"), List.of("ps", "-f", "a=1", "--format", "x", "--format", "y"));

    @Test
    void whatItTakesItRunsAsPicocliWould() throws Exception {
        try (FakeDaemon d = new FakeDaemon(FastPathTest::answer)) {
            for (List<String> line : TAKEN) {
                String[] args = withHost(d.host(), line);
                assertThat(FastPath.parse(args)).as(line.toString()).isPresent();
                assertSame(d, args);
            }
        }
    }

    @Test
    void whatItLeavesPicocliAnswers() throws Exception {
        try (FakeDaemon d = new FakeDaemon(FastPathTest::answer)) {
            for (List<String> line : LEFT) {
                String[] args = withHost(d.host(), line);
                assertThat(FastPath.parse(args)).as(line.toString()).isEmpty();
                assertSame(d, args);
            }
        }
    }

    @Test
    void theRootsFlagsAreTakenOnceEach() {
        assertThat(FastPath.parse(new String[] {"-D", "--host=unix:///a.sock", "ps"}))
                .hasValueSatisfying(i -> assertThat(List.of(i.host(), i.debug(), i.qualifiedName())).containsExactly("unix:///a.sock", true, "berth ps"));
        assertThat(FastPath.parse(new String[] {"-Hunix:///a.sock", "version"}))
                .hasValueSatisfying(i -> assertThat(List.of(i.host(), i.debug(), i.qualifiedName())).containsExactly("unix:///a.sock", false, "berth version"));
        assertThat(FastPath.parse(new String[] {"ps"})).hasValueSatisfying(i -> assertThat(i.host()).isNull());
        for (String[] args : List.of(new String[] {"-H", "a", "-H", "b", "ps"}, new String[] {"-D", "-D", "ps"}, new String[] {"-H"},
                new String[] {"-H", "-D", "ps"}, new String[] {"--host=", "ps"}, new String[] {"-H=unix:///a", "ps"}, new String[] {"-v"})) {
            assertThat(FastPath.parse(args)).as(List.of(args).toString()).isEmpty();
        }
    }

    @Test
    void aDaemonThatIsNotThereIsReportedAlike() {
        String[] args = withHost("unix:///nonexistent/berth.sock", List.of("ps"));
        Result fast = run(null, args, Main::run);
        assertThat(fast.code()).isEqualTo(1);
        assertThat(fast).isEqualTo(run(null, args, Main::runParsed));
    }

    private static void assertSame(FakeDaemon d, String[] args) {
        Result fast = run(d, args, Main::run);
        Result picocli = run(d, args, Main::runParsed);
        assertThat(fast).as(List.of(args).toString()).isEqualTo(picocli);
    }

    private static Result run(FakeDaemon d, String[] args, BiFunction<Cli, String[], Integer> how) {
        if (d != null) d.requests.clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false, false);
        cli.clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        int code = how.apply(cli, args);
        List<String> requests = d == null ? List.of() : d.requests.stream().map(r -> r.method() + " " + r.target()).toList();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), requests);
    }

    private static FakeDaemon.Response answer(FakeDaemon.Request r) {
        return switch (r.path()) {
            case "/v1.47/version" -> FakeDaemon.Response.json(200, AotTraining.VERSION);
            case "/v1.47/containers/json" -> FakeDaemon.Response.json(200, AotTraining.CONTAINERS);
            default -> null;
        };
    }

    private static String[] withHost(String host, List<String> line) {
        List<String> a = new ArrayList<>(List.of("-H", host));
        a.addAll(line);
        return a.toArray(String[]::new);
    }
}
