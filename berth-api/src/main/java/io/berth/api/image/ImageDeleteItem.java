package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An entry of DELETE /images/{name} and of the prune report: exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteItem(String untagged, String deleted) {
    public static ImageDeleteItem untagged(String ref) { return new ImageDeleteItem(ref, null); }
    public static ImageDeleteItem deleted(String id) { return new ImageDeleteItem(null, id); }
}
