package io.berth.client;

/** An error the daemon answered with: the HTTP status and the {@code message} of its JSON body. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }

    /** The line docker prints: {@code Error response from daemon: <message>}. */
    public String displayMessage() { return "Error response from daemon: " + getMessage(); }
}
