package io.berth.engine.distribution;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge: {@code Basic realm="…"} or {@code Bearer realm="…",service="…",scope="…"}
 * (RFC 7235 auth-params, quoted or not). The scheme is lower-case.
 */
record Challenge(String scheme, Map<String, String> params) {
    Challenge {
        params = Map.copyOf(params);
    }

    boolean isBearer() { return scheme.equals("bearer"); }

    boolean isBasic() { return scheme.equals("basic"); }

    String param(String name) { return params.get(name); }

    /** The first Bearer or Basic challenge of a response (Bearer preferred, as Docker's authorizer). */
    static Optional<Challenge> from(HttpHeaders headers) {
        List<Challenge> all = new ArrayList<>();
        for (String value : headers.allValues("WWW-Authenticate")) all.addAll(parse(value));
        return all.stream().filter(Challenge::isBearer).findFirst().or(() -> all.stream().filter(Challenge::isBasic).findFirst());
    }

    /** Parses a header value that may hold several challenges. */
    static List<Challenge> parse(String value) {
        List<Challenge> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == ',')) i++;
            int start = i;
            while (i < n && value.charAt(i) != ' ' && value.charAt(i) != '=' && value.charAt(i) != ',') i++;
            String token = value.substring(start, i);
            if (token.isEmpty()) break;
            int j = i;
            while (j < n && value.charAt(j) == ' ') j++;
            if (j < n && value.charAt(j) == '=' && scheme != null) {
                i = j + 1;
                while (i < n && value.charAt(i) == ' ') i++;
                StringBuilder v = new StringBuilder();
                if (i < n && value.charAt(i) == '"') {
                    i++;
                    while (i < n && value.charAt(i) != '"') {
                        if (value.charAt(i) == '\\' && i + 1 < n) i++;
                        v.append(value.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && value.charAt(i) != ',' && value.charAt(i) != ' ') v.append(value.charAt(i++));
                }
                params.put(token.toLowerCase(Locale.ROOT), v.toString());
            } else {
                if (scheme != null) out.add(new Challenge(scheme, params));
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) out.add(new Challenge(scheme, params));
        return out;
    }
}
