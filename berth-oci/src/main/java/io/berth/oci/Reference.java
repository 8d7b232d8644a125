package io.berth.oci;

import io.berth.api.errors.BerthException;
import java.util.regex.Pattern;

/**
 * An image reference normalized as Docker does ({@code busybox} is
 * {@code docker.io/library/busybox}); {@code tag} and {@code digest} may be null.
 * Grammar: distribution/reference.
 */
public record Reference(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final Pattern DOMAIN_RE = Pattern.compile(DOMAIN);
    private static final Pattern PATH_RE = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG_RE = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST_RE = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    /** Parses and normalizes; InvalidArgument with Docker's messages on bad input. */
    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) throw invalid();
        if (HEX64.matcher(text).matches()) {
            throw new BerthException.InvalidArgument("invalid repository name (" + text + "), cannot specify 64-byte hexadecimal strings");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST_RE.matcher(digest).matches()) throw invalid();
        }
        String tag = null;
        int lastColon = rest.lastIndexOf(':');
        if (lastColon > rest.lastIndexOf('/')) {
            tag = rest.substring(lastColon + 1);
            rest = rest.substring(0, lastColon);
            if (!TAG_RE.matcher(tag).matches()) throw invalid();
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost") && first.toLowerCase().equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) path = "library/" + path;
        if (!path.toLowerCase().equals(path)) {
            throw new BerthException.InvalidArgument("invalid reference format: repository name (" + path + ") must be lowercase");
        }
        if (!DOMAIN_RE.matcher(domain).matches() || !PATH_RE.matcher(path).matches()) throw invalid();
        if (domain.length() + 1 + path.length() > 255) throw new BerthException.InvalidArgument("invalid reference format: repository name must not be more than 255 characters");
        return new Reference(domain, path, tag, digest);
    }

    /** Parses a repository (no tag, no digest) and a separate tag, as POST /images/{name}/tag gives them. */
    public static Reference of(String repo, String tag) {
        Reference r = parse(repo);
        if (r.digest != null) throw new BerthException.InvalidArgument("refusing to create a tag with a digest reference");
        if (tag != null && !tag.isEmpty()) {
            if (!TAG_RE.matcher(tag).matches()) throw invalid();
            if (r.tag != null) throw invalid();
            r = new Reference(r.domain, r.path, tag, null);
        }
        return r;
    }

    private static BerthException.InvalidArgument invalid() {
        return new BerthException.InvalidArgument("invalid reference format");
    }

    /** With {@code latest} when there is neither tag nor digest. */
    public Reference withDefaultTag() {
        return tag == null && digest == null ? new Reference(domain, path, DEFAULT_TAG, null) : this;
    }

    public Reference withoutDigest() { return new Reference(domain, path, tag, null); }

    public Reference withDigest(String d) { return new Reference(domain, path, null, d); }

    /** {@code docker.io/library/busybox}. */
    public String name() { return domain + "/" + path; }

    /** {@code busybox}, {@code user/app}, {@code localhost:5000/app}. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name();
    }

    public String familiarString() { return familiarName() + suffix(); }

    private String suffix() { return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : ""); }

    @Override public String toString() { return name() + suffix(); }
}
