package io.berth.engine.image;

import io.berth.api.image.ContainerConfig;
import io.berth.api.image.HistoryItem;
import io.berth.api.image.ImageInspect;
import io.berth.api.image.ImageSummary;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Reference;
import io.berth.engine.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders images as the API shows them: list summaries, inspect, history. Reads only memory. */
final class ImageViews {
    private final ImageStore store;

    ImageViews(ImageStore store) { this.store = store; }

    ImageSummary summary(Image img, List<Reference> refs, long sharedSize, long containers) {
        long size = store.size(img);
        List<String> tags = new ArrayList<>();
        for (Reference r : refs) if (r.tag() != null) tags.add(r.familiarString());
        return new ImageSummary(img.id().toString(), "", tags, repoDigests(img, refs), img.config().createdEpochSeconds(),
                size, sharedSize, size, labels(img.config()), containers);
    }

    private static List<String> repoDigests(Image img, List<Reference> refs) {
        List<String> out = new ArrayList<>(img.repoDigests());
        for (Reference r : refs) if (r.digest() != null && !out.contains(r.familiarString())) out.add(r.familiarString());
        return out;
    }

    private static Map<String, String> labels(ImageConfig c) {
        Map<String, String> l = c.containerConfig().labels();
        return l == null ? Map.of() : l;
    }

    boolean labelsMatch(Image img, List<String> wanted) {
        Map<String, String> l = labels(img.config());
        for (String w : wanted) if (!labelMatches(l, w)) return false;
        return true;
    }

    boolean labelsMatchAny(Image img, List<String> wanted) {
        Map<String, String> l = labels(img.config());
        for (String w : wanted) if (labelMatches(l, w)) return true;
        return false;
    }

    private static boolean labelMatches(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) return labels.containsKey(filter);
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    ImageInspect inspect(Image img) {
        List<Reference> refs = store.refsOf(img.id());
        List<String> tags = new ArrayList<>();
        for (Reference r : refs) if (r.tag() != null) tags.add(r.familiarString());
        ImageConfig c = img.config();
        long size = store.size(img);
        ContainerConfig cc = c.containerConfig();
        List<String> layers = c.diffIds().stream().map(Digest::toString).toList();
        return new ImageInspect(img.id().toString(), tags, repoDigests(img, refs), img.parent() == null ? "" : img.parent(), c.comment() == null ? "" : c.comment(),
                LocalImageService.createdString(c), c.container() == null ? "" : c.container(), c.storedContainerConfigOrEmpty(),
                c.dockerVersion() == null ? "" : c.dockerVersion(),
                c.author() == null ? "" : c.author(), cc, c.architecture() == null ? "" : c.architecture(), c.variant(),
                c.os() == null ? "" : c.os(), size, size, graphDriver(img), new ImageInspect.RootFs("layers", layers),
                new ImageInspect.Metadata(img.lastTagTime() == null ? "0001-01-01T00:00:00Z" : img.lastTagTime().toString()));
    }

    /** overlay2-style: the top layer is UpperDir, the others LowerDir, top first. */
    private ImageInspect.GraphDriver graphDriver(Image img) {
        Map<String, String> data = new LinkedHashMap<>();
        List<Image.Layer> layers = img.layers();
        if (!layers.isEmpty()) {
            Snapshot top = store.snapshots().get(img.topChainId()).orElseThrow();
            List<String> lower = new ArrayList<>();
            for (int i = layers.size() - 2; i >= 0; i--) {
                store.snapshots().get(layers.get(i).chainId()).ifPresent(s -> lower.add(s.fs().toString()));
            }
            if (!lower.isEmpty()) data.put("LowerDir", String.join(":", lower));
            data.put("MergedDir", top.dir().resolve("merged").toString());
            data.put("UpperDir", top.fs().toString());
            data.put("WorkDir", top.dir().resolve("work").toString());
        }
        return new ImageInspect.GraphDriver("overlay2", data);
    }

    List<HistoryItem> history(Image img) {
        ImageConfig c = img.config();
        List<ImageConfig.History> hist = c.history() == null ? List.of() : c.history();
        List<Long> layerSizes = new ArrayList<>();
        for (Image.Layer l : img.layers()) layerSizes.add(store.snapshots().get(l.chainId()).map(Snapshot::size).orElse(0L));
        List<HistoryItem> out = new ArrayList<>();
        if (hist.isEmpty()) {
            for (long s : layerSizes) out.add(new HistoryItem("<missing>", c.createdEpochSeconds(), "", null, s, ""));
        } else {
            int layer = 0;
            for (ImageConfig.History h : hist) {
                long size = 0;
                if (!h.isEmptyLayer() && layer < layerSizes.size()) size = layerSizes.get(layer++);
                java.time.Instant t = ImageConfig.parseTime(h.created());
                out.add(new HistoryItem("<missing>", t == null ? 0 : t.getEpochSecond(), h.createdBy() == null ? "" : h.createdBy(),
                        null, size, h.comment() == null ? "" : h.comment()));
            }
        }
        Collections.reverse(out);
        // moby's ImageHistory: the newest entries get the IDs (and tags) of the image and then its parents, in turn,
        // as long as the parent chain of images built or committed here goes
        Image at = img;
        for (int i = 0; i < out.size() && at != null; i++) {
            HistoryItem h = out.get(i);
            List<String> tags = new ArrayList<>();
            for (Reference r : store.refsOf(at.id())) if (r.tag() != null) tags.add(r.familiarString());
            out.set(i, new HistoryItem(at.id().toString(), h.created(), h.createdBy(), tags.isEmpty() ? null : tags, h.size(), h.comment()));
            at = at.parent() == null || at.parent().isEmpty() ? null : store.get(Digest.parse(at.parent())).orElse(null);
        }
        return out;
    }

    /** For each image, the bytes of its layers that other images use too. */
    Map<Digest, Long> sharedSizes() {
        Map<Digest, Integer> users = new HashMap<>();
        for (Image img : store.all()) for (Image.Layer l : img.layers()) users.merge(l.chainId(), 1, Integer::sum);
        Map<Digest, Long> out = new HashMap<>();
        for (Image img : store.all()) {
            long shared = 0;
            for (Image.Layer l : img.layers()) {
                if (users.get(l.chainId()) > 1) shared += store.snapshots().get(l.chainId()).map(Snapshot::size).orElse(0L);
            }
            out.put(img.id(), shared);
        }
        return out;
    }
}
