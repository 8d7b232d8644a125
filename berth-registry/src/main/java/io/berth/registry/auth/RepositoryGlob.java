package io.berth.registry.auth;

import java.util.regex.Pattern;

/**
 * A repository pattern of the access rules: {@code *} matches within one path component (no {@code /}), {@code **}
 * any run of components ({@code team/**} is every repository under {@code team/}), everything else itself.
 */
public record RepositoryGlob(String glob, Pattern regex) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9._/*-]+");

    public static RepositoryGlob of(String glob) {
        if (glob == null || !VALID.matcher(glob).matches()) {
            throw new IllegalArgumentException("invalid repository pattern " + glob + " (lower-case names, / and * only)");
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new RepositoryGlob(glob, Pattern.compile(re.toString()));
    }

    public boolean matches(String repository) { return regex.matcher(repository).matches(); }
}
