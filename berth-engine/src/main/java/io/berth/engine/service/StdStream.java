package io.berth.engine.service;

/** A process's standard stream. */
public enum StdStream {
    STDIN, STDOUT, STDERR
}
