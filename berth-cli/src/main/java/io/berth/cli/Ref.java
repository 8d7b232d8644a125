package io.berth.cli;

/** Docker reference normalization: {@code busybox} ⇄ {@code docker.io/library/busybox}, tags and digests. */
record Ref(String name, String tag, String digest) {
    /** Parses {@code name[:tag][@digest]}; the name is fully normalized. */
    static Ref parse(String s) {
        String rest = s;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty() || !rest.equals(rest.toLowerCase()) || rest.contains("//") || rest.startsWith("/") || rest.endsWith("/"))
            throw new IllegalArgumentException("invalid reference format" + (rest.equals(rest.toLowerCase()) ? "" : ": repository name (" + rest + ") must be lowercase"));
        if (tag != null && !tag.matches("[\\w][\\w.-]{0,127}")) throw new IllegalArgumentException("invalid reference format");
        return new Ref(normalize(rest), tag, digest);
    }

    static String normalize(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasDomain = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (hasDomain) return name;
        if (slash < 0) return "docker.io/library/" + name;
        return "docker.io/" + name;
    }

    static String familiar(String name) {
        String n = name;
        if (n.startsWith("docker.io/")) n = n.substring("docker.io/".length());
        if (n.startsWith("library/") && n.indexOf('/', "library/".length()) < 0) n = n.substring("library/".length());
        return n;
    }

    String familiarName() { return familiar(name); }
}
