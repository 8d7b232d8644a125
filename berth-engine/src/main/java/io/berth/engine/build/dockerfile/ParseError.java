package io.berth.engine.build.dockerfile;

/**
 * A Dockerfile syntax error inside the parser, carrying BuildKit's bare message; {@link DockerfileParser} turns it
 * into the {@code BerthException.InvalidArgument} with the prefix Docker adds for the phase it happened in.
 */
final class ParseError extends RuntimeException {
    ParseError(String message) { super(message, null, false, false); }
}
