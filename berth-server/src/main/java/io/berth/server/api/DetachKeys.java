package io.berth.server.api;

import io.berth.api.errors.BerthException;
import java.io.ByteArrayOutputStream;

/** Docker's detach key sequences: {@code ctrl-p,ctrl-q} (the default), {@code ctrl-a}…{@code ctrl-z}, {@code ctrl-@}, {@code ctrl-[}, single characters. */
final class DetachKeys {
    private DetachKeys() {}

    static byte[] parse(String spec) {
        String s = spec == null || spec.isEmpty() ? "ctrl-p,ctrl-q" : spec;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : s.split(",")) {
            String k = key.trim().toLowerCase();
            if (k.length() == 1) {
                out.write(k.charAt(0));
            } else if (k.startsWith("ctrl-") && k.length() == 6) {
                char c = k.charAt(5);
                if (c >= 'a' && c <= 'z') out.write(c - 'a' + 1);
                else if (c == '@') out.write(0);
                else if (c == '[') out.write(27);
                else if (c == '\\') out.write(28);
                else if (c == ']') out.write(29);
                else if (c == '^') out.write(30);
                else if (c == '_') out.write(31);
                else throw bad(spec);
            } else {
                throw bad(spec);
            }
        }
        return out.toByteArray();
    }

    private static BerthException bad(String spec) {
        return new BerthException.InvalidArgument("Invalid detach keys (" + spec + ") provided");
    }
}
