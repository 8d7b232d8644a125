package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.container.LogConfig;
import io.berth.api.errors.BerthException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogAttributesTest {
    private static final Map<String, String> LABELS = Map.of("a", "1", "b", "2", "com.x", "3");
    private static final List<String> ENV = List.of("E=x", "F=y", "PATH=/bin", "NOVALUE");

    @Test
    void jsonFileStoresTheNamedLabelsAndEnvSortedByName() {
        Map<String, String> attrs = LogAttributes.of(new LogConfig("json-file", Map.of("labels", "b,a,missing", "env", "F,E,NOVALUE")), LABELS, ENV);

        assertThat(attrs).containsExactly(Map.entry("E", "x"), Map.entry("F", "y"), Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void regexesSelectByName() {
        Map<String, String> attrs = LogAttributes.of(new LogConfig("json-file", Map.of("labels-regex", "^com\\.", "env-regex", "^P")), LABELS, ENV);

        assertThat(attrs).containsExactly(Map.entry("PATH", "/bin"), Map.entry("com.x", "3"));
        assertThatThrownBy(() -> LogAttributes.of(new LogConfig("json-file", Map.of("env-regex", "(")), LABELS, ENV))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("error parsing regexp");
    }

    @Test
    void noOptionsOrAnotherDriverStoreNone() {
        assertThat(LogAttributes.of(new LogConfig("json-file", Map.of()), LABELS, ENV)).isEmpty();
        assertThat(LogAttributes.of(new LogConfig("local", Map.of("labels", "a")), LABELS, ENV)).isEmpty();
        assertThat(LogAttributes.of(null, LABELS, ENV)).isEmpty();
    }
}
