package io.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatTest {
    private static Map<String, Object> data() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Env", List.of("PATH=/bin", "A=b"));
        cfg.put("Labels", new java.util.TreeMap<>(Map.of("z", "1", "a", "2")));
        cfg.put("Cmd", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "sha256:abc");
        m.put("Size", 4260000L);
        m.put("Config", cfg);
        m.put("RepoTags", List.of("busybox:latest", "x:1"));
        return m;
    }

    private static String run(String t) { return Template.parse(t).execute(data()); }

    @Test
    void fieldsAndGoPrinting() {
        assertThat(run("{{.Id}}")).isEqualTo("sha256:abc");
        assertThat(run("{{.Size}}")).isEqualTo("4260000");
        assertThat(run("{{.Config.Env}}")).isEqualTo("[PATH=/bin A=b]");
        assertThat(run("{{.Config.Labels}}")).isEqualTo("map[a:2 z:1]");
        assertThat(run("{{.Config.Cmd}}")).isEqualTo("<nil>");
        assertThat(run("{{.Nope}}")).isEqualTo("<no value>");
    }

    @Test
    void functions() {
        assertThat(run("{{json .Config.Env}}")).isEqualTo("[\"PATH=/bin\",\"A=b\"]");
        assertThat(run("{{.Config.Env | json}}")).isEqualTo("[\"PATH=/bin\",\"A=b\"]");
        assertThat(run("{{join .RepoTags \", \"}}")).isEqualTo("busybox:latest, x:1");
        assertThat(run("{{index .Config.Labels \"z\"}}")).isEqualTo("1");
        assertThat(run("{{upper .Id}} {{lower \"AB\"}} {{title \"hello world\"}}")).isEqualTo("SHA256:ABC ab Hello World");
        assertThat(run("{{println .Id}}")).isEqualTo("sha256:abc\n");
        assertThat(run("{{printf \"%s-%d|%-6s|\" .Id .Size \"ab\"}}")).isEqualTo("sha256:abc-4260000|ab    |");
        assertThat(run("{{len .RepoTags}}")).isEqualTo("2");
        assertThat(run("{{split \"a:b\" \":\"}}")).isEqualTo("[a b]");
        assertThat(run("{{json .}}")).isEqualTo("{\"Id\":\"sha256:abc\",\"Size\":4260000,\"Config\":{\"Env\":[\"PATH=/bin\",\"A=b\"],\"Labels\":{\"a\":\"2\",\"z\":\"1\"},\"Cmd\":null},\"RepoTags\":[\"busybox:latest\",\"x:1\"]}");
    }

    @Test
    void controlFlow() {
        assertThat(run("{{range .RepoTags}}<{{.}}>{{end}}")).isEqualTo("<busybox:latest><x:1>");
        assertThat(run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}")).isEqualTo("a=2;z=1;");
        assertThat(run("{{if .Config.Cmd}}yes{{else}}no{{end}}")).isEqualTo("no");
        assertThat(run("{{if eq .Id \"x\"}}1{{else if eq .Id \"sha256:abc\"}}2{{else}}3{{end}}")).isEqualTo("2");
        assertThat(run("{{with .Config}}{{.Env}}{{end}}")).isEqualTo("[PATH=/bin A=b]");
        assertThat(run("{{range .Missing}}x{{else}}empty{{end}}")).isEqualTo("empty");
        assertThat(run("a {{- \" b \" -}} c")).isEqualTo("a b c");
        assertThat(run("{{$.Id}}")).isEqualTo("sha256:abc");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> Template.parse("{{.Id")).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> Template.parse("{{bogus .Id}}")).hasMessageContaining("function \"bogus\" not defined");
        assertThatThrownBy(() -> Template.parse("{{if .Id}}")).isInstanceOf(TemplateException.class);
    }

    @Test
    void humanSize() {
        assertThat(Units.humanSize(0, 3)).isEqualTo("0B");
        assertThat(Units.humanSize(4_260_000, 3)).isEqualTo("4.26MB");
        assertThat(Units.humanSize(1_240, 3)).isEqualTo("1.24kB");
        assertThat(Units.humanSize(999, 3)).isEqualTo("999B");
        assertThat(Units.humanSize(1_000_000, 3)).isEqualTo("1MB");
        assertThat(Units.humanSize(999_999, 3)).isEqualTo("1e+03kB");
        assertThat(Units.humanSize(4_263_129, 3)).isEqualTo("4.26MB");
        assertThat(Units.humanSize(77_812_345)).isEqualTo("77.81MB");
        assertThat(Units.humanSize(0)).isEqualTo("0B");
    }

    @Test
    void humanDuration() {
        assertThat(Units.humanDuration(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(Units.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Units.humanDuration(Duration.ofSeconds(47))).isEqualTo("47 seconds");
        assertThat(Units.humanDuration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(Units.humanDuration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(60))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(150))).isEqualTo("3 hours");
        assertThat(Units.humanDuration(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(Units.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Units.humanDuration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Units.humanDuration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(Units.humanDuration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void tableLikeDocker() {
        List<Map<String, Object>> rows = List.of(
                Map.of("Repository", "busybox", "Tag", "latest", "ID", "0123456789ab", "CreatedSince", "2 hours ago", "Size", "4.26MB"),
                Map.of("Repository", "<none>", "Tag", "<none>", "ID", "ba9876543210", "CreatedSince", "3 weeks ago", "Size", "0B"));
        Map<String, String> header = Map.of("Repository", "REPOSITORY", "Tag", "TAG", "ID", "IMAGE ID", "CreatedSince", "CREATED", "Size", "SIZE");
        String out = new Formatter("table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}").render(rows, header);
        assertThat(out).isEqualTo("""
                REPOSITORY   TAG       IMAGE ID       CREATED       SIZE
                busybox      latest    0123456789ab   2 hours ago   4.26MB
                <none>       <none>    ba9876543210   3 weeks ago   0B
                """);
        assertThat(new Formatter("{{.Repository}}:{{.Tag}}").render(rows, header)).isEqualTo("busybox:latest\n<none>:<none>\n");
    }

    @Test
    void tabWriterBlocksEndAtLinesWithoutTabs() {
        assertThat(TabWriter.docker().format("a\tb\nxx\n\tccc\n")).isEqualTo("a         b\nxx\n          ccc\n");
    }
}
