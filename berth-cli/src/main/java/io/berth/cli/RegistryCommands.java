package io.berth.cli;

import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.AuthResponse;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.client.ApiException;
import io.berth.client.BerthClient.Query;
import io.berth.client.HttpResponse;
import io.berth.oci.Reference;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** pull, push, login, logout: the docker CLI's registry commands over {@code /images/create}, {@code /push}, {@code /auth}. */
final class RegistryCommands {
    private RegistryCommands() {}

    static Reference parse(String name) {
        try {
            return Reference.parse(name);
        } catch (BerthException.InvalidArgument e) {
            throw new Main.CliException(e.getMessage());
        }
    }

    /** The image argument of pull and push: no tag with {@code -a}; {@code latest} by default, said unless quiet. */
    static Reference target(Cli cli, String arg, boolean all, boolean quiet) {
        Reference ref = parse(arg);
        if (all && (ref.tag() != null || ref.digest() != null)) throw new Main.CliException("tag can't be used with --all-tags/-a");
        if (!all && ref.tag() == null && ref.digest() == null) {
            ref = ref.withDefaultTag();
            if (!quiet) cli.out.println("Using default tag: latest");
        }
        return ref;
    }

    /**
     * Pulls {@code ref} (all tags when {@code all}) drawing the stream on {@code out} (nothing when null), the
     * registry's credentials from config.json in {@code X-Registry-Auth}.
     */
    static void pull(Cli cli, Reference ref, boolean all, String platform, PrintStream out, boolean terminal) {
        Query q = Query.of().add("fromImage", ref.name());
        if (!all) q.add("tag", ref.digest() != null ? ref.digest() : ref.tag() == null ? Reference.DEFAULT_TAG : ref.tag());
        if (platform != null && !platform.isEmpty()) q.add("platform", platform);
        HttpResponse r = cli.client().call("POST", "/images/create", q,
                Map.of("X-Registry-Auth", CredentialStore.of(cli).header(ref)), null);
        ProgressDisplay.show(cli, r, out, terminal, null);
    }

    @Command(description = "Download an image from a registry")
    static final class Pull extends BaseCommand {
        @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository") boolean all;
        @Option(names = "--disable-content-trust", arity = "0..1", fallbackValue = "true", description = "Skip image verification (default true)") boolean noTrust;
        @Option(names = "--platform", description = "Set platform if server is multi-platform capable") String platform;
        @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output") boolean quiet;
        @Parameters(arity = "0..*", paramLabel = "NAME[:TAG|@DIGEST]") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, 1);
            Reference ref = target(cli, args.getFirst(), all, quiet);
            pull(cli, ref, all, platform, quiet ? null : cli.out, cli.stdoutTerminal);
            cli.out.println(all ? ref.name() : ref.toString());
            cli.out.flush();
            return 0;
        }
    }

    @Command(description = "Upload an image to a registry")
    static final class Push extends BaseCommand {
        @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository") boolean all;
        @Option(names = "--disable-content-trust", arity = "0..1", fallbackValue = "true", description = "Skip image signing (default true)") boolean noTrust;
        @Option(names = "--platform", description = "Push a platform-specific manifest as a single-platform image to the registry") String platform;
        @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output") boolean quiet;
        @Parameters(arity = "0..*", paramLabel = "NAME[:TAG]") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, 1);
            Reference ref = target(cli, args.getFirst(), all, quiet);
            Query q = Query.of();
            if (!all) q.add("tag", ref.digest() != null ? ref.digest() : ref.tag());
            if (platform != null && !platform.isEmpty()) q.add("platform", ImageCommands.platformJson(platform));
            String path = "/images/" + ref.familiarName() + "/push";
            CredentialStore store = CredentialStore.of(cli);
            HttpResponse r;
            try {
                r = cli.client().call("POST", path, q, Map.of("X-Registry-Auth", store.header(ref)), null);
            } catch (ApiException e) {
                if (e.status() != 401) throw e;
                // docker's privilege function: ask for credentials, then push again with them
                cli.out.println();
                cli.out.println("Login prior to push:");
                AuthConfig c = Login.prompt(cli, null, null, CredentialStore.serverFor(ref));
                r = cli.client().call("POST", path, q, Map.of("X-Registry-Auth", RegistryAuthHeader.encode(c)), null);
            }
            ProgressDisplay.show(cli, r, quiet ? null : cli.out, cli.stdoutTerminal, null);
            if (quiet) cli.out.println(ref.toString());
            cli.out.flush();
            return 0;
        }
    }

    @Command(description = "Authenticate to a registry")
    static final class Login extends BaseCommand {
        @Option(names = {"-u", "--username"}, description = "Username") String user;
        @Option(names = {"-p", "--password"}, description = "Password or Personal Access Token (PAT)") String password;
        @Option(names = "--password-stdin", description = "Take the Password or Personal Access Token (PAT) from stdin") boolean passwordStdin;
        @Parameters(arity = "0..*", paramLabel = "SERVER") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 0, 1);
            if (password != null) {
                cli.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
                if (passwordStdin) throw new Main.CliException("--password and --password-stdin are mutually exclusive");
            }
            if (passwordStdin) {
                if (user == null || user.isEmpty()) throw new Main.CliException("Must provide --username with --password-stdin");
                String s = new String(cli.in.readAllBytes(), StandardCharsets.UTF_8);
                while (s.endsWith("\n") || s.endsWith("\r")) s = s.substring(0, s.length() - 1);
                password = s;
            }
            String given = args.isEmpty() ? "" : args.getFirst();
            boolean hub = given.isEmpty() || given.equals("docker.io") || given.equals(CredentialStore.INDEX_SERVER);
            String server = hub ? CredentialStore.INDEX_SERVER : CredentialStore.hostname(given);
            CredentialStore store = CredentialStore.of(cli);
            AuthConfig c = null;
            AuthResponse resp = null;
            if ((user == null || user.isEmpty()) && (password == null || password.isEmpty())) {
                AuthConfig stored = store.get(server);
                if (stored.username() != null && (stored.password() != null || stored.identityToken() != null)) {
                    try {
                        resp = auth(stored);
                        c = stored;
                        cli.out.println("Authenticating with existing credentials... [Username: " + stored.username() + "]");
                    } catch (ApiException e) {
                        cli.err.println("Login did not succeed, error: " + e.displayMessage());
                    }
                }
            }
            if (resp == null) {
                c = prompt(cli, user, password, server);
                resp = auth(c);
            }
            if (resp.identityToken() != null && !resp.identityToken().isEmpty()) {
                c = new AuthConfig(c.username(), null, null, null, server, resp.identityToken(), null);
            }
            store.store(server, c);
            cli.err.println();
            cli.err.println("WARNING! Your credentials are stored unencrypted in '" + store.file() + "'.");
            cli.err.println("Configure a credential helper to remove this warning. See");
            cli.err.println("https://docs.docker.com/go/credential-store/");
            cli.err.println();
            if (resp.status() != null && !resp.status().isEmpty()) cli.out.println(resp.status());
            cli.out.flush();
            return 0;
        }

        private AuthResponse auth(AuthConfig c) {
            try {
                byte[] body = io.berth.api.Json.plain().writeValueAsBytes(c);
                try (HttpResponse r = cli.client().call("POST", "/auth", Query.of(), Map.of("Content-Type", "application/json"),
                        new ByteArrayInputStream(body))) {
                    return io.berth.api.Json.plain().readValue(r.body().readAllBytes(), AuthResponse.class);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** docker's ConfigureAuth: asks for what was not given (the password only on a terminal). */
        static AuthConfig prompt(Cli cli, String user, String password, String server) {
            BufferedReader in = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8));
            try {
                if (user == null || user.isEmpty()) {
                    cli.out.print("Username: ");
                    cli.out.flush();
                    String line = in.readLine();
                    user = line == null ? "" : line.strip();
                    if (user.isEmpty()) throw new Main.CliException("Error: Non-null Username Required");
                }
                if (password == null || password.isEmpty()) {
                    if (!cli.stdinTerminal) throw new Main.CliException("Error: Cannot perform an interactive login from a non TTY device");
                    java.io.Console console = System.console();
                    cli.out.print("Password: ");
                    cli.out.flush();
                    char[] p = console != null ? console.readPassword() : null;
                    password = p != null ? new String(p) : in.readLine();
                    cli.out.println();
                    if (password == null || password.isEmpty()) throw new Main.CliException("Error: Password Required");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new AuthConfig(user, password, null, null, server, null, null);
        }
    }

    @Command(description = "Log out from a registry")
    static final class Logout extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "SERVER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 0, 1);
            String given = args.isEmpty() ? "" : args.getFirst();
            boolean hub = given.isEmpty() || given.equals(CredentialStore.INDEX_SERVER);
            String server = hub ? CredentialStore.INDEX_SERVER : given;
            List<String> keys = new ArrayList<>(List.of(server));
            String host = hub ? server : CredentialStore.hostname(server);
            if (!hub) keys.addAll(List.of(host, "http://" + host, "https://" + host));
            cli.out.println("Removing login credentials for " + host);
            CredentialStore store = CredentialStore.of(cli);
            for (String k : keys) store.erase(k);
            cli.out.flush();
            return 0;
        }
    }
}
