package io.berth.cli;

import io.berth.cli.format.TemplateException;
import io.berth.cli.format.TemplateObject;
import java.util.Map;
import java.util.TreeMap;

/** A formatter context: named string fields like docker's {@code *formatter.imageContext}; JSON with sorted keys. */
record Row(String type, Map<String, Object> fields) implements TemplateObject {
    @Override public Object field(String name) {
        if (!fields.containsKey(name)) throw new TemplateException("template: :1: executing \"\" at <." + name + ">: can't evaluate field " + name + " in type " + type);
        return fields.get(name);
    }

    @Override public Object toJson() { return new TreeMap<>(fields); }

    @Override public String typeName() { return type; }
}
