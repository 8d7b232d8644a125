/**
 * The build context and what COPY and ADD do with it: the context received as a (compressed) tar or fetched from a git
 * or HTTP remote ({@link io.berth.engine.build.context.BuildContext}), the classic builder's cache keys of copy
 * sources ({@link io.berth.engine.build.context.SourceHash}), and copy plans
 * ({@link io.berth.engine.build.context.CopyPlanner}) that resolve sources, wildcards and flags before any container
 * exists and then write into a container's root file system without ever leaving it. After moby's
 * {@code builder/remotecontext} and {@code builder/dockerfile/copy.go}, with BuildKit's COPY/ADD flags.
 */
package io.berth.engine.build.context;
