package io.berth.cli;

import io.berth.client.BerthClient.Query;
import java.util.ArrayList;
import java.util.List;

/** docker's --sig-proxy: signals this process receives are sent to the container ({@code POST /containers/{id}/kill}). */
final class SignalProxy {
    private static final String[] SIGNALS = {"INT", "TERM", "HUP", "USR2", "WINCH"};
    private final List<Object[]> previous = new ArrayList<>();

    private SignalProxy() {}

    @SuppressWarnings("restriction")
    static SignalProxy install(Cli cli, String id) {
        SignalProxy p = new SignalProxy();
        for (String name : SIGNALS) {
            if (name.equals("WINCH")) continue; // docker ignores SIGCHLD/SIGPIPE/SIGURG; WINCH is for resize with a tty
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, s -> Thread.ofVirtual().start(() -> {
                    try {
                        cli.client().raw("POST", "/containers/" + id + "/kill", Query.of().add("signal", "SIG" + s.getName()));
                    } catch (RuntimeException e) {
                        // docker logs and carries on
                    }
                }));
                p.previous.add(new Object[] {sig, old});
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM reserves this signal
            }
        }
        return p;
    }

    @SuppressWarnings("restriction")
    void uninstall() {
        for (Object[] o : previous) {
            try {
                sun.misc.Signal.handle((sun.misc.Signal) o[0], (sun.misc.SignalHandler) o[1]);
            } catch (IllegalArgumentException ignored) {
                // leave it
            }
        }
    }
}
