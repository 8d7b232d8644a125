package io.berth.http;

/**
 * A failure as the client is told it: the status, the message (for the log and in-stream
 * errors), and the complete body of the error response with its content type.
 */
public record HttpError(int status, String message, String contentType, byte[] body) {}
