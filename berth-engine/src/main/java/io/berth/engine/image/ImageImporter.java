package io.berth.engine.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.engine.archive.Compression;
import io.berth.engine.content.ContentStore;
import io.berth.engine.service.ImageService.ImportRequest;
import io.berth.engine.service.ProgressSink;
import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code docker import}: a root file system tarball (maybe compressed) becomes a one-layer image. */
final class ImageImporter {
    private final ContentStore content;
    private final ImageRegistrar registrar;

    ImageImporter(ContentStore content, ImageRegistrar registrar) {
        this.content = content;
        this.registrar = registrar;
    }

    Image importImage(ImportRequest req, Lease lease, ProgressSink progress) throws IOException {
        String src = req.url() == null || req.url().isEmpty() || req.url().equals("-") ? "-" : req.url();
        ObjectNode runConfig = Json.plain().createObjectNode();
        ConfigChanges.apply(runConfig, req.changes() == null ? List.of() : req.changes());
        String[] platform = platform(req.platform());
        Digest diffId;
        if (src.equals("-")) {
            diffId = ingest(req.source(), lease);
        } else {
            try (InputStream in = download(src, progress)) {
                diffId = ingest(in, lease);
            }
        }
        String msg = req.message() == null || req.message().isEmpty() ? "Imported from " + src : req.message();
        String created = Instant.now().truncatedTo(ChronoUnit.NANOS).toString();
        ObjectNode config = Json.plain().createObjectNode();
        config.put("architecture", platform[1]);
        config.put("comment", msg);
        config.set("config", runConfig);
        config.put("created", created);
        ArrayNode history = config.putArray("history");
        history.addObject().put("created", created).put("comment", msg);
        config.put("os", platform[0]);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        Digest configDigest = content.put(Json.plain().writeValueAsBytes(config));
        lease.hold(configDigest);
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER, diffId, content.size(diffId));
        return registrar.register(lease, configDigest, null, List.of(layer), progress);
    }

    /** Stores the uncompressed tar, whose digest is the layer's DiffID. */
    private Digest ingest(InputStream in, Lease lease) throws IOException {
        if (in == null) throw new BerthException.InvalidArgument("no tar archive given to import");
        Digest d = content.put(Compression.decompress(new BufferedInputStream(in, 1 << 16)), null);
        lease.hold(d);
        return d;
    }

    private static InputStream download(String url, ProgressSink progress) throws IOException {
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new BerthException.InvalidArgument("invalid URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new BerthException.InvalidArgument("unsupported URL scheme for import: " + url);
        }
        progress.send(JsonMessage.status(null, "Downloading from " + uri));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> resp = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new BerthException.InvalidArgument("error downloading " + url + ": HTTP status " + resp.statusCode());
            }
            return resp.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        } catch (java.net.ConnectException e) {
            throw new BerthException.InvalidArgument("error downloading " + url + ": connection refused");
        }
    }

    private static String[] platform(String p) {
        if (p == null || p.isEmpty()) return new String[] {"linux", "amd64"};
        String[] parts = p.toLowerCase().split("/");
        if (!parts[0].equals("linux")) throw new BerthException.InvalidArgument("unsupported os " + parts[0]);
        String arch = parts.length > 1 ? parts[1] : "amd64";
        if (arch.equals("x86_64")) arch = "amd64";
        return new String[] {"linux", arch};
    }
}
