package io.berth.cli;

/** A command-line usage error; printed docker-style with the command's usage line. */
final class UsageException extends RuntimeException {
    final int exitCode;
    final String hintVerb;

    UsageException(String message, int exitCode, String hintVerb) {
        super(message);
        this.exitCode = exitCode;
        this.hintVerb = hintVerb;
    }
}
