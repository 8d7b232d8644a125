package io.berth.engine.runtime;

/** A container's standard stream; the codes are conmon's stream ids on the attach socket. */
public enum StdStream {
    STDIN(1), STDOUT(2), STDERR(3);

    private final int conmonId;

    StdStream(int conmonId) {
        this.conmonId = conmonId;
    }

    public int conmonId() {
        return conmonId;
    }

    static StdStream ofConmonId(int id) {
        return switch (id) {
            case 1 -> STDIN;
            case 2 -> STDOUT;
            case 3 -> STDERR;
            default -> throw new IllegalArgumentException("unknown conmon stream id " + id);
        };
    }
}
