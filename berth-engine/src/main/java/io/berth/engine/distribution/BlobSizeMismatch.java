package io.berth.engine.distribution;

import java.io.IOException;

/**
 * A registry sent a blob body of another length than its descriptor's size (its {@code Content-Length} says so, or
 * the body ends early or goes on). Unlike a dropped connection this is not transient: a pull reports it as moby does a
 * digest mismatch, "filesystem layer verification failed for digest …", without retrying.
 */
final class BlobSizeMismatch extends IOException {
    BlobSizeMismatch(String message) {
        super(message);
    }
}
