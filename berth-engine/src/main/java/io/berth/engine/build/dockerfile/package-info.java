/**
 * The Dockerfile front end: parser directives, lines and continuations, here-documents, one record per instruction
 * ({@link io.berth.engine.build.dockerfile.Instruction}), and the shell-word lexer that expands {@code $VAR} forms
 * as Docker does. No I/O beyond the text it is given, no engine types: after moby's {@code builder/dockerfile/parser}
 * and BuildKit's {@code frontend/dockerfile/{parser,instructions,shell}}.
 */
package io.berth.engine.build.dockerfile;
