package io.berth.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The build's HTTP client is made on its first use, once, and never after it was closed. */
class LazyHttpClientTest {
    private final AtomicInteger builds = new AtomicInteger();
    private final LazyHttpClient lazy = new LazyHttpClient(() -> {
        builds.incrementAndGet();
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(7)).build();
    });

    @Test void buildsNothingUntilUsed() {
        assertThat(lazy.built()).isFalse();
        assertThat(builds).hasValue(0);
    }

    @Test void buildsOnceOnFirstUseAndDelegates() {
        assertThat(lazy.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
        assertThat(lazy.connectTimeout()).contains(Duration.ofSeconds(7));
        assertThat(lazy.client()).isSameAs(lazy.client());
        assertThat(builds).hasValue(1);
    }

    @Test void closingAnUnusedClientBuildsNoneAndLaterUseFails() {
        lazy.close();
        assertThat(builds).hasValue(0);
        assertThat(lazy.isTerminated()).isTrue();
        assertThatThrownBy(lazy::version).isInstanceOf(IllegalStateException.class).hasMessage("the HTTP client is closed");
    }

    @Test void closingAUsedClientClosesIt() throws InterruptedException {
        HttpClient built = lazy.client();
        lazy.close();
        assertThat(built.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(lazy.isTerminated()).isTrue();
    }
}
