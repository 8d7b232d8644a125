package io.berth.it.support;

import java.util.Arrays;
import java.util.List;

/** What a finished command printed and how it exited. */
public record Result(List<String> command, int exit, String out, String err) {

    /** Asserts exit 0 and returns this result. */
    public Result ok() {
        if (exit != 0) {
            throw new AssertionError("expected exit 0 but got " + exit + " from " + this);
        }
        return this;
    }

    /** Asserts a non-zero exit and returns this result. */
    public Result failed() {
        if (exit == 0) {
            throw new AssertionError("expected a non-zero exit from " + this);
        }
        return this;
    }

    /** Non-blank lines of stdout, trimmed. */
    public List<String> lines() {
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Non-blank lines of stderr, trimmed. */
    public List<String> errLines() {
        return Arrays.stream(err.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override public String toString() {
        return String.join(" ", command) + "\n  exit: " + exit + "\n  stdout: " + clip(out) + "\n  stderr: " + clip(err);
    }

    private static String clip(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 2000) + "\n…(" + (s.length() - 4000) + " chars)…\n" + s.substring(s.length() - 2000);
    }
}
