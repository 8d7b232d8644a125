package io.berth.engine.build.context;

import java.util.regex.Pattern;

/** moby's {@code urlutil}: which {@code remote} strings are HTTP URLs and which are git repositories. */
final class RemoteUrls {
    private static final Pattern GIT_SUFFIX = Pattern.compile("\\.git(?:#.+)?$");

    private RemoteUrls() {}

    static boolean isUrl(String s) { return s.startsWith("https://") || s.startsWith("http://"); }

    /** {@code http(s)://….git[#fragment]}, {@code git://…}, {@code git@…} and the legacy {@code github.com/…}. */
    static boolean isGitUrl(String s) {
        if (isUrl(s) && GIT_SUFFIX.matcher(s).find()) return true;
        return s.startsWith("git://") || s.startsWith("github.com/") || s.startsWith("git@");
    }
}
