package io.berth.registry.auth;

/** A token that cannot be trusted (forged, expired, for another service, malformed); the message says why. */
public final class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) { super(message); }
}
