package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuncMessagesTest {
    @Test
    void crunsStartFailuresAreSaidInRuncsWordsWithDockersExitCodes() {
        String missing = Runc.errorMessage("executable file `nope` not found in $PATH: No such file or directory".getBytes());
        assertThat(missing).isEqualTo("unable to start container process: exec: \"nope\": executable file not found in $PATH");
        assertThat(RuntimeErrors.exitCodeFor(missing)).isEqualTo(127);
        String directory = Runc.errorMessage("{\"msg\":\"open executable: Operation not permitted\",\"level\":\"error\"}".getBytes());
        assertThat(directory).isEqualTo("unable to start container process: open executable: permission denied");
        assertThat(RuntimeErrors.exitCodeFor(directory)).isEqualTo(126);
        assertThat(Runc.errorMessage("container \"x\" does not exist".getBytes())).isEqualTo("container \"x\" does not exist");
    }
}
