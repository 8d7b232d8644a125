package io.berth.api.container;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's {@code strslice.StrSlice}: {@code Cmd}, {@code Entrypoint} and {@code Shell} accept a JSON
 * array of strings or one string ({@code "Entrypoint": ""} is {@code [""]}, an explicit reset).
 */
public final class StrSlice extends JsonDeserializer<List<String>> {
    @Override
    public List<String> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            List<String> one = new ArrayList<>(1);
            one.add(p.getText());
            return one;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return ctx.reportInputMismatch(List.class, "expected a string or an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.add(t == JsonToken.VALUE_NULL ? null : p.getValueAsString());
        }
        return out;
    }

    @Override
    public List<String> getNullValue(DeserializationContext ctx) { return null; }
}
