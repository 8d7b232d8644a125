package io.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * moby's {@code image/cache.ImageCache} for {@code cachefrom} images that were pulled or loaded, not built here: they
 * have no parent chain nor stored probe config, so a step matches one of them by its history instead. The step's
 * parent must be a prefix of the image (history entries and layers alike), and the image's next history entry must
 * have been created by the step ({@code strings.Join(cfg.Cmd, " ") == history[i].CreatedBy}). Only values here:
 * {@link EngineBuildBackend} reads the images and writes what a match restores.
 */
final class CacheFromHistory {
    private CacheFromHistory() {}

    /** An image as the match sees it: its ID, its config's {@code history} entries and {@code rootfs.diff_ids}. */
    record Candidate(String id, List<JsonNode> history, List<String> diffIds) {}

    /** What a step reuses from a cache-from image. */
    sealed interface Match {}

    /** The step is the image's last one: the image itself is the step's result (its parent becomes the step's). */
    record Whole(Candidate target) implements Match {}

    /**
     * The step is the image's history entry {@code entry}: a cache image is made of the parent's layers and history
     * plus that entry and its layer ({@code diffId}, null for an empty-layer entry).
     */
    record Step(Candidate target, JsonNode entry, String diffId) implements Match {}

    /** The first of {@code sources} the step {@code cmd} on {@code parent} (null: scratch) matches; null when none. */
    static Match match(Candidate parent, List<Candidate> sources, List<String> cmd) {
        int index = parent == null ? 0 : parent.history().size();
        String createdBy = String.join(" ", cmd == null ? List.of() : cmd);
        for (Candidate target : sources) {
            if (!validParent(target, parent) || target.history().size() <= index) continue;
            JsonNode entry = target.history().get(index);
            if (!createdBy.equals(entry.path("created_by").asText(""))) continue;
            if (target.history().size() - 1 == index) return new Whole(target);
            return new Step(target, entry, layerOf(target, index));
        }
        return null;
    }

    /** moby's {@code isValidParent}: the parent's history and layers are a prefix of the image's. */
    private static boolean validParent(Candidate img, Candidate parent) {
        if (img.history().isEmpty()) return false;
        if (parent == null || (parent.history().isEmpty() && parent.diffIds().isEmpty())) return true;
        if (parent.history().size() >= img.history().size() || parent.diffIds().size() > img.diffIds().size()) return false;
        for (int i = 0; i < parent.history().size(); i++) {
            if (!parent.history().get(i).equals(img.history().get(i))) return false;
        }
        return img.diffIds().subList(0, parent.diffIds().size()).equals(parent.diffIds());
    }

    /** moby's {@code getLayerForHistoryIndex}: the layer that history entry {@code index} added, or null. */
    private static String layerOf(Candidate img, int index) {
        if (img.history().get(index).path("empty_layer").asBoolean(false)) return null;
        int layer = 0;
        for (int i = 0; i < index; i++) if (!img.history().get(i).path("empty_layer").asBoolean(false)) layer++;
        return layer < img.diffIds().size() ? img.diffIds().get(layer) : null;
    }
}
