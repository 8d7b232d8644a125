package io.berth.cli;

import io.berth.registry.GarbageCollector;
import io.berth.registry.RegistryConfig;
import io.berth.registry.RegistryServer;
import io.berth.registry.auth.AuthOptions;
import io.berth.registry.auth.RegistryAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth registry serve} (the OCI distribution server, in the foreground) and {@code berth registry gc}. */
final class RegistryServerCommands {
    private RegistryServerCommands() {}

    @Command(description = "Run a registry (OCI distribution server) in the foreground")
    static final class Serve extends BaseCommand {
        @Option(names = "--addr", description = "Address to listen on (HOST:PORT)") String addr = "0.0.0.0:5000";
        @Option(names = "--root", required = true, description = "Storage directory") Path root;
        @Option(names = "--htpasswd", description = "bcrypt htpasswd file: every request needs credentials") Path htpasswd;
        @Option(names = "--tls-cert", description = "TLS certificate chain (PEM)") Path tlsCert;
        @Option(names = "--tls-key", description = "TLS private key (PEM)") Path tlsKey;
        @Option(names = "--token-realm", description = "Serve a token service at this URL's path and require its tokens") String tokenRealm;
        @Option(names = "--token-service", description = "The tokens' service name") String tokenService;
        @Option(names = "--token-key", description = "PEM key to sign tokens with (default: generated under the root)") Path tokenKey;
        @Option(names = "--access", description = "Access rules (JSON)") Path accessFile;
        @Option(names = "--anonymous-pull", description = "Anyone may pull") boolean anonymousPull;
        @Option(names = "--upload-expiry", description = "Remove uploads idle this long (e.g. 1h, 30m)") String uploadExpiry = "1h";
        @Option(names = "--gc-interval", description = "Collect garbage online this often (e.g. 24h; default: never)") String gcInterval;
        @Option(names = "--gc-delete-untagged", description = "Online collection also deletes manifests no tag reaches") boolean gcDeleteUntagged;

        @Override int execute() throws Exception {
            logToStderr();
            if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            AuthOptions auth = AuthOptions.none(root).withAnonymousPull(anonymousPull);
            if (htpasswd != null) auth = auth.withHtpasswd(htpasswd);
            if (tokenRealm != null) auth = auth.withTokenRealm(tokenRealm, tokenService);
            if (tokenKey != null) auth = auth.withTokenKey(tokenKey);
            if (accessFile != null) auth = auth.withAccessFile(accessFile);
            Duration expiry = GoDuration.parse(uploadExpiry);
            RegistryConfig config = new RegistryConfig(RegistryConfig.address(addr), root, RegistryConfig.DEFAULT_MAX_MANIFEST, expiry, expiry)
                    .withTls(tlsCert, tlsKey);
            CountDownLatch stopped = new CountDownLatch(1);
            try (RegistryServer server = new RegistryServer(config, RegistryAuth.from(auth))) {
                Thread hook = new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }, "berth-registry-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                server.start(); // logs where it listens
                if (gcInterval != null) server.scheduleGarbageCollection(GoDuration.parse(gcInterval), gcDeleteUntagged);
                stopped.await();
            }
            return 0;
        }
    }

    /** slf4j-simple's format as berthd sets it: time, short logger name, level; before the first logger is made. */
    private static void logToStderr() {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    @Command(description = "Delete blobs no manifest references (run while the registry is stopped; "
            + "a running one collects online with serve --gc-interval)")
    static final class Gc extends BaseCommand {
        @Option(names = "--root", required = true, description = "Storage directory") Path root;
        @Option(names = "--dry-run", description = "Only print what would be deleted") boolean dryRun;
        @Option(names = "--delete-untagged", description = "Also delete manifests no tag reaches") boolean deleteUntagged;

        @Override int execute() throws Exception {
            GarbageCollector.Result r = GarbageCollector.offline(root).run(dryRun, deleteUntagged, 0);
            cli.out.println(GarbageCollector.describe(r, dryRun));
            return 0;
        }
    }
}
