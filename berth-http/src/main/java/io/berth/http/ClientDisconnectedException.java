package io.berth.http;

import java.io.IOException;

/** Writing to the client failed: it went away. Not a server error; the connection is just closed. */
public final class ClientDisconnectedException extends IOException {
    public ClientDisconnectedException(IOException cause) { super("client disconnected: " + cause.getMessage(), cause); }
}
