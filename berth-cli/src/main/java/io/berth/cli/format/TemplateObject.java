package io.berth.cli.format;

/** A value with named fields for templates, like a Go struct: {@code {{.Name}}}; {@code {{json .}}} gives {@link #toJson()}. */
public interface TemplateObject {
    /** The field's value; throws {@link TemplateException} when the type has no such field. */
    Object field(String name);

    /** The value {@code json} encodes (a Map, List, String, Number, Boolean or null). */
    Object toJson();

    /** The Go type name used in error messages. */
    default String typeName() { return "*formatter.context"; }
}
